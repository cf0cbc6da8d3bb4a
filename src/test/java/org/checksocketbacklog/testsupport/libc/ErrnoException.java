package org.checksocketbacklog.testsupport.libc;

/**
 * A libc call of the test binding returned -1; {@link #errno()} says why. Thrown instead of JNA's
 * own exception so that the helpers which react to an errno (EAGAIN, EINPROGRESS) need nothing from
 * JNA.
 */
public final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    ErrnoException(String call, int errno, Throwable cause) {
        super(call + ": " + cause.getMessage(), cause);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
