package org.checksocketbacklog.kernel;

/**
 * One listening socket and its queue, in the operator's words.
 *
 * @param name    the socket's name as ss prints it: a path, or "@name" for an abstract unix name
 * @param kind    socket family and type
 * @param inode   the socket's inode: tells apart two listeners that share a name
 * @param pending connections the kernel completed that the service has not accept()ed yet
 * @param backlog the effective listen() backlog (the queue holds backlog + 1), or {@link #UNKNOWN}
 *                when the source cannot see it (/proc/net/unix cannot)
 * @param blocked clients sleeping in connect() because the queue is full (unix only)
 */
public record Listener(String name, SocketKind kind, long inode, long pending, long backlog, long blocked) {
    public static final long UNKNOWN = -1;

    public boolean backlogKnown() {
        return backlog != UNKNOWN;
    }
}
