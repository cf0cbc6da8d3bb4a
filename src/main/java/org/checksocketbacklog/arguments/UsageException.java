package org.checksocketbacklog.arguments;

/** A bad command line; the message says what is wrong in one line, and ends in UNKNOWN. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
