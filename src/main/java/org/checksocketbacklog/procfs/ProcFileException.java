package org.checksocketbacklog.procfs;

/**
 * A /proc file that cannot be read, or that does not look as the kernel prints it. The message is
 * one plain sentence naming the file, fit for an UNKNOWN line.
 */
public final class ProcFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProcFileException(String message) {
        super(message);
    }

    public ProcFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
