package org.checksocketbacklog.kernel;

import java.util.OptionalLong;

/**
 * A TCP listener, IPv4 or IPv6.
 *
 * @param endpoint the local address, port and device it is bound to
 * @param inode    idiag_inode, or the inode column of /proc/net/tcp{,6}
 * @param pending  the accept queue: established connections not yet accept()ed
 * @param backlog  idiag_wqueue; empty from /proc
 * @param synRecv  handshakes in progress on its address: request sockets in SYN-RECV
 * @param cgroupId the cgroup v2 id of the cgroup the socket was created in (INET_DIAG_CGROUP_ID),
 *                 which names its service even where its holder's descriptors cannot be read; 0
 *                 when not known (from /proc, or a kernel before 5.7)
 */
public record TcpListener(TcpEndpoint endpoint, long inode, long pending, OptionalLong backlog, SynRecv synRecv,
        long cgroupId)
        implements Listener {
    @Override
    public SocketKind kind() {
        return endpoint.ipv6() ? SocketKind.TCP6 : SocketKind.TCP4;
    }

    /**
     * Request sockets in SYN-RECV that this listener could own. inet_diag (and /proc/net/tcp) lists
     * each with the address it was sent to, not the listener that owns it, so among listeners that
     * could each have taken it (a SO_REUSEPORT group, say) only their total is known; those
     * listeners are a pool ({@link SynRecvAttribution}).
     *
     * @param count    the request sockets of the whole pool
     * @param sharedBy the listeners of the pool; 1 when the count is this listener's own
     * @param pool     which pool: the smallest inode among its listeners, the same in every read
     */
    public record SynRecv(long count, int sharedBy, long pool) {
        public boolean shared() {
            return sharedBy > 1;
        }
    }
}
