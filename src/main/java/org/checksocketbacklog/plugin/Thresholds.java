package org.checksocketbacklog.plugin;

/**
 * The warning and critical ranges of one metric; either may be null, meaning "not set".
 *
 * <p>Critical is checked first, as in monitoring-plugins' {@code get_status}, so a value that
 * breaks both ranges is CRITICAL regardless of how the two ranges overlap.
 */
public record Thresholds(Range warning, Range critical) {

    /** Neither range set: every value is OK. */
    public static Thresholds none() {
        return new Thresholds(null, null);
    }

    /**
     * Parses the two range texts as given on a command line; null or empty means "not set".
     *
     * @throws IllegalArgumentException if a non-empty text is not a valid range; the message
     *     says whether it was the warning or the critical range
     */
    public static Thresholds parse(String warning, String critical) {
        return new Thresholds(parseOptional("warning", warning), parseOptional("critical", critical));
    }

    private static Range parseOptional(String role, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Range.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " threshold: " + e.getMessage(), e);
        }
    }

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
