package org.checksocketbacklog.check;

/**
 * The host-wide figures behind the somaxconn basis, with where each came from (verbose output and
 * the long output say it).
 */
public record HostLimits(int somaxconn, String somaxconnSource, int cpus, String cpusSource) {
    /** somaxconn x CPUs x 2, as the original documents compute it. */
    public long somaxconnCapacity() {
        return (long) somaxconn * cpus * 2;
    }
}
