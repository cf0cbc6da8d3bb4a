package org.checksocketbacklog.plugin;

/**
 * A plugin result state and the exit code the monitoring core reads it from.
 *
 * <p>Declaration order follows the exit codes; severity is a separate rank because the states
 * are not ordered by their codes when combined: a CRITICAL socket must outrank an UNKNOWN one
 * (the order used by the newer monitoring-plugins output code), so OK &lt; UNKNOWN &lt; WARNING
 * &lt; CRITICAL.
 */
public enum Status {
    OK(0, 0),
    WARNING(1, 2),
    CRITICAL(2, 3),
    UNKNOWN(3, 1);

    private final int exitCode;
    private final int severity;

    Status(int exitCode, int severity) {
        this.exitCode = exitCode;
        this.severity = severity;
    }

    /** The process exit code of this state: 0, 1, 2 or 3. */
    public int exitCode() {
        return exitCode;
    }

    /** The more severe of this state and {@code other}. */
    public Status worse(Status other) {
        if (other == null) {
            throw new NullPointerException("other status");
        }
        return other.severity > severity ? other : this;
    }
}
