package org.checksocketbacklog.state;

/** A state file that is not a whole state file of this format. */
public final class StateFormatException extends Exception {
    private final boolean foreign;

    StateFormatException(String message, boolean foreign) {
        super(message);
        this.foreign = foreign;
    }

    /** Not ours at all (another program's file, or another format), as against ours but damaged. */
    public boolean foreign() {
        return foreign;
    }
}
