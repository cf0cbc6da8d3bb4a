package org.checksocketbacklog.plugin;

/**
 * The warning and critical ranges of one metric; either may be null, meaning "not set".
 *
 * <p>Critical is checked first, as in monitoring-plugins' {@code get_status}, so a value that
 * breaks both ranges is CRITICAL regardless of how the two ranges overlap.
 */
public record Thresholds(Range warning, Range critical) {

    /**
     * CRITICAL if the critical range alerts, else WARNING if the warning range alerts, else OK.
     *
     * @throws IllegalArgumentException for NaN, which no range can judge (see {@link Range#alerts})
     */
    public Status evaluate(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("cannot evaluate NaN against thresholds");
        }
        if (critical != null && critical.alerts(value)) {
            return Status.CRITICAL;
        }
        if (warning != null && warning.alerts(value)) {
            return Status.WARNING;
        }
        return Status.OK;
    }
}
