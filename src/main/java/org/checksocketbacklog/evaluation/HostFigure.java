package org.checksocketbacklog.evaluation;

/**
 * A host-wide figure printed as perfdata without thresholds: somaxconn, the CPU count, the TCP
 * settings and overflow counters.
 *
 * @param label  perfdata label, which is also its name in the long output
 * @param value  exact decimal text (a counter is an unsigned 64-bit number)
 * @param unit   "" or "c" (a counter, graphed as a rate)
 * @param source where it was read, for the verbose output
 */
public record HostFigure(String label, String value, String unit, String source) {
}
