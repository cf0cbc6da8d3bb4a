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

    /** The most severe of the states; OK when there are none, since nothing was found wrong. */
    public static Status worst(Iterable<Status> states) {
        Status worst = OK;
        for (Status state : states) {
            worst = worst.worse(state);
        }
        return worst;
    }

    /**
     * Reads a state as given on a command line: a name in any letter case ({@code critical},
     * {@code Warning}) or an exit code digit {@code 0}-{@code 3}.
     *
     * @throws IllegalArgumentException naming the text and the accepted spellings
     */
    public static Status parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing status: expected OK, WARNING, CRITICAL, UNKNOWN or 0-3");
        }
        if (text.length() == 1) {
            switch (text.charAt(0)) {
                case '0': return OK;
                case '1': return WARNING;
                case '2': return CRITICAL;
                case '3': return UNKNOWN;
                default: break;
            }
        }
        for (Status state : values()) {
            if (asciiEqualsIgnoreCase(state.name(), text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("invalid status " + Texts.quoted(text)
                + ": expected OK, WARNING, CRITICAL, UNKNOWN or 0-3");
    }

    // String.equalsIgnoreCase folds non-ASCII letters too (the Turkish dotless 'ı' equals 'I'),
    // which would let "crıtıcal" through; an option value should match the ASCII spelling only.
    private static boolean asciiEqualsIgnoreCase(String upperAscii, String text) {
        if (upperAscii.length() != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            }
            if (c != upperAscii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
