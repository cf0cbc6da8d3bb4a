package org.checksocketbacklog.testsupport.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * All listeners one test made through a factory (UnixListeners, TcpListeners), and whatever was
 * made for them, such as temporary directories. {@link #close()} undoes it all in reverse order of
 * creation, so that a socket file is gone before its directory is deleted, and reports every
 * failure together; use it in try-with-resources or an {@code @AfterEach}.
 *
 * @param <L> the kind of listener
 */
public abstract class ListenerOwner<L extends OwnedSockets> extends Releasable {
    private final int maxListeners;
    private final List<L> listeners = new ArrayList<>();
    /** What close() does, newest first. */
    private final Deque<Consumer<Cleanup>> undo = new ArrayDeque<>();

    protected ListenerOwner(int maxListeners) {
        this.maxListeners = maxListeners;
    }

    /** Throws if closed or full; call before making anything for a new listener. */
    protected final void checkCapacity() {
        checkOpen();
        if (listeners.size() >= maxListeners) {
            throw new IllegalStateException("more than " + maxListeners + " listeners");
        }
    }

    /** Takes a listener just made into this owner's care: close() closes it. */
    protected final L add(L listener) {
        listeners.add(listener);
        undo.push(cleanup -> cleanup.run(listener::close));
        return listener;
    }

    /** A step for close(), run before everything registered earlier. */
    protected final void onClose(Consumer<Cleanup> step) {
        undo.push(step);
    }

    public final List<L> listeners() {
        return List.copyOf(listeners);
    }

    /** Inodes of all sockets held open by this owner's listeners (capture before close to check for leaks). */
    public final Set<Long> ownedSocketInodes() {
        Set<Long> inodes = new LinkedHashSet<>();
        listeners.forEach(l -> inodes.addAll(l.ownedSocketInodes()));
        return inodes;
    }

    /** Closes every listener and runs every other step, newest first. */
    @Override
    protected final void release(Cleanup cleanup) {
        while (!undo.isEmpty()) {
            undo.pop().accept(cleanup);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
