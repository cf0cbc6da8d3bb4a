package org.checksocketbacklog.state;

/** The state cannot be used at all: the check ends in UNKNOWN with this message, which says what to do. */
public final class StateException extends Exception {
    StateException(String message) {
        super(message);
    }

    StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
