package org.checksocketbacklog.plugin;

/**
 * A value given on a command line (a range, a state, a pattern, a port, a number) that cannot be
 * read; the message says what is wrong with it, quoting it as given, and names no option: the
 * argument parser puts the option's name in front, in one place.
 */
public final class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
        super(message);
    }
}
