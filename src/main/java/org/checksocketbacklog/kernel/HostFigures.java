package org.checksocketbacklog.kernel;

import java.util.Map;
import java.util.Optional;

/**
 * The host-wide figures of this network namespace, read once, each with where it came from.
 *
 * @param somaxconn       net.core.somaxconn: the cap listen() puts on every backlog
 * @param somaxconnSource the file it was read from
 * @param cpus            the CPU count of the documents' basis
 * @param cpusSource      where that came from: /proc/cpuinfo, or --cpus
 * @param tcp             the TCP settings and counters, when TCP listeners were read
 */
public record HostFigures(int somaxconn, String somaxconnSource, int cpus, String cpusSource, Optional<Tcp> tcp) {
    /** somaxconn x CPUs x 2, as the original documents compute it. */
    public long somaxconnCapacity() {
        return (long) somaxconn * cpus * 2;
    }

    /**
     * The SYN-queue settings and the overflow counters of /proc/net/netstat. The counters count
     * packets (each retransmitted SYN again), not connections, cover every listener of the network
     * namespace, and are unsigned 64-bit numbers: graph them as rates.
     *
     * @param maxSynBacklog net.ipv4.tcp_max_syn_backlog
     * @param syncookies    net.ipv4.tcp_syncookies (0 off, 1 when the SYN queue overflows, 2 always)
     * @param counters      the {@link #COUNTERS} this kernel has, in that order
     */
    public record Tcp(int maxSynBacklog, int syncookies, Map<String, Long> counters) {
        /** TcpExt counters that tell a listen queue overflowed, in the order they are reported. */
        public static final String[] COUNTERS = {
            "ListenOverflows", "ListenDrops", "TCPReqQFullDrop", "TCPReqQFullDoCookies", "SyncookiesSent",
        };
    }
}
