package org.checksocketbacklog.kernel;

import java.util.OptionalLong;

/**
 * A listening socket and its accept queue, in the operator's words; {@link UnixListener} and
 * {@link TcpListener} add what only their family has.
 */
public sealed interface Listener permits UnixListener, TcpListener {
    SocketKind kind();

    /** The socket's inode, which tells apart listeners that share a name; the lowest of a merged group. */
    long inode();

    /** Connections the kernel completed that the service has not accept()ed yet. */
    long pending();

    /** The effective listen() backlog (the queue holds backlog + 1); empty when the source cannot see it (/proc). */
    OptionalLong backlog();

    /** Whether the queue holds backlog + 1, the most it can: new clients are refused or wait now. */
    default boolean full() {
        return backlog().isPresent() && pending() > backlog().getAsLong();
    }
}
