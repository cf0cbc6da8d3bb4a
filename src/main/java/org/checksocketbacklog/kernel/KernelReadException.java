package org.checksocketbacklog.kernel;

/** The kernel's state could not be read; the message is one plain sentence for the UNKNOWN line. */
public final class KernelReadException extends Exception {
    private static final long serialVersionUID = 1L;

    public KernelReadException(String message) {
        super(message);
    }

    public KernelReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
