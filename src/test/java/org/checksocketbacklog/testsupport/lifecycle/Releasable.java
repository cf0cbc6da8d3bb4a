package org.checksocketbacklog.testsupport.lifecycle;

/**
 * Something a test made that {@link #close()} releases once: a second close does nothing, every
 * step of {@link #release} is attempted even when an earlier one failed, and the failures are
 * reported together at the end.
 */
public abstract class Releasable implements AutoCloseable {
    private boolean closed;

    /** Releases everything; called once, by {@link #close()}. */
    protected abstract void release(Cleanup cleanup);

    public final boolean isClosed() {
        return closed;
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** @throws IllegalStateException listing whatever could not be released */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        Cleanup cleanup = new Cleanup();
        release(cleanup);
        cleanup.throwIfAny("cleanup of " + this);
    }
}
