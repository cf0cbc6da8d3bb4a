package org.checksocketbacklog.kernel;

/**
 * One listening socket and its queues, in the operator's words.
 *
 * @param name     the socket's name as ss prints it: a path, "@name" for an abstract unix name,
 *                 "127.0.0.1:8080" or "[::1]:8080" for TCP
 * @param kind     socket family and type
 * @param inode    the socket's inode: tells apart two listeners that share a name
 * @param pending  connections the kernel completed that the service has not accept()ed yet
 * @param backlog  the effective listen() backlog (the queue holds backlog + 1), or {@link #UNKNOWN}
 *                 when the source cannot see it (/proc cannot)
 * @param blocked  unix: clients sleeping in connect() because the queue is full; TCP: {@link #UNKNOWN}
 * @param synRecv  TCP: handshakes in progress (request sockets in SYN-RECV); unix: {@link #UNKNOWN}
 * @param endpoint TCP: the bound address and port; unix: null
 */
public record Listener(String name, SocketKind kind, long inode, long pending, long backlog, long blocked,
        long synRecv, TcpEndpoint endpoint) {
    public static final long UNKNOWN = -1;

    public static Listener unix(String name, SocketKind kind, long inode, long pending, long backlog, long blocked) {
        return new Listener(name, kind, inode, pending, backlog, blocked, UNKNOWN, null);
    }

    public static Listener tcp(TcpEndpoint endpoint, long inode, long pending, long backlog, long synRecv) {
        return new Listener(endpoint.displayName(), endpoint.ipv6() ? SocketKind.TCP6 : SocketKind.TCP4, inode,
                pending, backlog, UNKNOWN, synRecv, endpoint);
    }

    public boolean backlogKnown() {
        return backlog != UNKNOWN;
    }

    /** The name perfdata labels carry: the unix name itself, or "tcp4/ADDRESS/PORT". */
    public String perfName() {
        return endpoint == null ? name : endpoint.perfName();
    }
}
