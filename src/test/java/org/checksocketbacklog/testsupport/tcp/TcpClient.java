package org.checksocketbacklog.testsupport.tcp;

/** One client socket a {@link TcpListener} made; {@code localPort} identifies its rows in /proc/net/tcp and ss. */
public record TcpClient(int fd, int localPort, Role role) {
    /** What a client socket was made for. */
    public enum Role {
        /** Handshake done, waiting in the accept queue (or accepted later by {@link TcpListener#acceptOne()}). */
        QUEUED,
        /** SYN dropped on a full accept queue; the client stays in SYN_SENT. */
        OVERFLOWING,
        /** Handshake done, nothing sent: a request socket on a DEFER_ACCEPT listener. */
        SYN_RECV,
        /** Accepted at once: both ends open and ESTABLISHED. */
        ESTABLISHED
    }
}
