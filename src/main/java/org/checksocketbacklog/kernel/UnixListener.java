package org.checksocketbacklog.kernel;

import java.util.OptionalLong;

/**
 * An AF_UNIX listener.
 *
 * @param name        the name it is bound to
 * @param kind        {@link SocketKind#UNIX_STREAM} or {@link SocketKind#UNIX_SEQPACKET}
 * @param inodes      its inode; read from /proc/net/unix, the inodes of every listener of this name and
 *                    kind, which that file cannot tell apart (their pending connections are one count)
 * @param pending     unaccepted connections (of all {@code inodes} together)
 * @param backlog     udiag_wqueue; empty from /proc
 * @param blocked     clients asleep in a blocking connect() because the queue is full, from the
 *                    listener's RefCount in /proc/net/unix; 0 without reading that file when the queue
 *                    is not full, since nobody can be blocked then; empty while a full queue's
 *                    blocked clients have not been counted (sock_diag does not see them)
 * @param extraLines  lines of /proc/net/unix beyond one that claimed one of these inodes: the kernel
 *                    prints one line per socket, so any more were forged by a socket name holding a
 *                    newline, and the worst of them was taken
 */
public record UnixListener(UnixName name, SocketKind kind, long[] inodes, long pending, OptionalLong backlog,
        OptionalLong blocked, int extraLines) implements Listener {
    /** One listener as sock_diag reports it: nobody is blocked on it unless its queue is full. */
    public static UnixListener ofSockDiag(UnixName name, SocketKind kind, long inode, long pending, long backlog) {
        OptionalLong blocked = pending > backlog ? OptionalLong.empty() : OptionalLong.of(0);
        return new UnixListener(name, kind, new long[] {inode}, pending, OptionalLong.of(backlog), blocked, 0);
    }

    @Override
    public long inode() {
        return inodes[0];
    }

    /** The same listener with its blocked clients counted. */
    public UnixListener withBlocked(long blockedClients, int extraClaimingLines) {
        return new UnixListener(name, kind, inodes, pending, backlog, OptionalLong.of(blockedClients),
                extraClaimingLines);
    }
}
