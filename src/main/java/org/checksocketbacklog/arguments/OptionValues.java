package org.checksocketbacklog.arguments;

import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.plugin.InvalidValueException;
import org.checksocketbacklog.plugin.Status;

/**
 * The values of the options that take a word or a number. Each parser throws
 * {@link InvalidValueException} with a message that names no option; {@link Arguments} puts the
 * option in front. Words match in any ASCII letter case only: String.equalsIgnoreCase also folds
 * the Turkish dotless ı to I and the Kelvin sign to k, which would let "crıtıcal" through.
 */
final class OptionValues {
    private OptionValues() {
    }

    /** --basis: "somaxconn" or "socket". */
    static Basis basis(String text) {
        if (asciiEqualsIgnoreCase("somaxconn", text)) {
            return Basis.SOMAXCONN;
        }
        if (asciiEqualsIgnoreCase("socket", text)) {
            return Basis.SOCKET;
        }
        throw new InvalidValueException("expected somaxconn or socket, not \"" + text + "\"");
    }

    /** --missing-state, --full-state: a state's name in any letter case, or its exit code 0-3. */
    static Status state(String text) {
        if (text.length() == 1 && text.charAt(0) >= '0' && text.charAt(0) <= '3') {
            switch (text.charAt(0)) {
                case '0': return Status.OK;
                case '1': return Status.WARNING;
                case '2': return Status.CRITICAL;
                default: return Status.UNKNOWN;
            }
        }
        for (Status state : Status.values()) {
            if (asciiEqualsIgnoreCase(state.name(), text)) {
                return state;
            }
        }
        throw new InvalidValueException("invalid status \"" + text + "\": expected OK, WARNING, CRITICAL, UNKNOWN or 0-3");
    }

    /** --source: auto, sock_diag or proc. */
    static SourcePreference source(String text) {
        if (asciiEqualsIgnoreCase("auto", text)) {
            return SourcePreference.AUTO;
        }
        if (asciiEqualsIgnoreCase("sock_diag", text)) {
            return SourcePreference.SOCK_DIAG;
        }
        if (asciiEqualsIgnoreCase("proc", text)) {
            return SourcePreference.PROC;
        }
        throw new InvalidValueException("expected auto, sock_diag or proc, not \"" + text + "\"");
    }

    /**
     * -t, --cpus: a whole number from 1 to max in ASCII digits, without a sign, as in ranges:
     * Integer.parseInt would also take "+5" and Arabic-Indic digits.
     */
    static int positiveInteger(String text, int max) {
        int value = wholeNumber(text, max);
        if (value < 1) {
            throw new InvalidValueException("expected a whole number from 1 to " + max + ", not \"" + text + "\"");
        }
        return value;
    }

    /** 0 to max written in ASCII digits, or -1 for anything else. */
    static int wholeNumber(String text, int max) {
        if (text.isEmpty() || text.length() > 9) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= max ? value : -1;
    }

    private static boolean asciiEqualsIgnoreCase(String word, String text) {
        if (word.length() != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (lower(text.charAt(i)) != lower(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
