package org.checksocketbacklog.testsupport.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.testsupport.libc.TcpLibc;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.lifecycle.Cleanup;
import org.checksocketbacklog.testsupport.lifecycle.KernelWait;
import org.checksocketbacklog.testsupport.lifecycle.OwnedSockets;
import org.checksocketbacklog.testsupport.oracles.FdInodes;
import org.checksocketbacklog.testsupport.oracles.TcpNetstat;
import org.checksocketbacklog.testsupport.oracles.TcpProcNet;

/**
 * A real TCP listening socket on loopback (or a dual-stack {@code [::]} socket reached over
 * loopback) plus the client connections a test has put on it. Created by {@link TcpListeners},
 * which closes it; {@link #close()} releases every fd it made.
 *
 * <p>Kernel facts this relies on (docs/kernel-facts.md section 2), with B = effective backlog:
 * <ul>
 *   <li>the accept queue holds B+1 handshaken children; when it is full, every further SYN is
 *       dropped (ListenOverflows), so the client stays in SYN_SENT and retries about once a
 *       second &mdash; no SYN_RECV is created;</li>
 *   <li>with TCP_DEFER_ACCEPT, a client that completes the handshake and sends nothing is held
 *       as a request socket (state 3, "syn-recv"), without retransmissions, for about the
 *       deferral time; the SYN queue also holds B+1 of them, after which syncookies send the
 *       client straight into the accept queue.</li>
 * </ul>
 *
 * <p>Every operation returns only once the kernel shows the state it built: client states come
 * from TCP_INFO on the client fds, queue lengths from TCP_INFO on the listener and from
 * /proc/net/tcp{,6}. All waits are bounded by {@link KernelWait#SETTLE_TIMEOUT}. Clients connect
 * non-blocking, so nothing here can sleep in connect() on a full queue ({@link TcpClients} makes
 * them; {@link ListenerRows} finds their rows in /proc/net/tcp{,6}).
 *
 * <p>Every client and accepted socket gets SO_LINGER {1, 0}: close() sends an RST, so no
 * TIME_WAIT entries outlive the test (see {@link TcpLibc#setLingerZero(int)}).
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class TcpListener extends OwnedSockets {
    /** Upper bound on client sockets per listener (an established pair costs two fds). */
    public static final int MAX_CLIENTS = 10_000;
    /** Upper bound on clients left in SYN_SENT; each retransmits its SYN about once a second. */
    public static final int MAX_OVERFLOWING = 64;

    /** Thrown by {@link #queue(int)} when the accept queue already holds B+1 children. */
    public static final class QueueFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final int connected;

        QueueFullException(int connected, int wanted, String name) {
            super("accept queue of " + name + " is full after " + connected + " of " + wanted
                    + " clients: a further SYN would be dropped (use startOverflowingClients)");
            this.connected = connected;
        }

        /** How many of the requested clients were queued before the queue was full. */
        public int connected() {
            return connected;
        }
    }

    private final TcpBind bind;
    private final int requestedBacklog;
    private final int fd;
    private final InetSocketAddress address;
    private final long inode;
    private final int deferAcceptSeconds;
    private final TcpClients clients = new TcpClients(this);
    private final List<Integer> acceptedFds = new ArrayList<>();

    /**
     * socket(), options, bind(port 0), listen(backlog), O_NONBLOCK (so accept never hangs a
     * test); then waits until /proc/net/tcp{,6} lists the socket as LISTEN.
     */
    TcpListener(TcpBind bind, int backlog, int deferAcceptSeconds) {
        if (deferAcceptSeconds < 0) {
            throw new IllegalArgumentException("deferAcceptSeconds " + deferAcceptSeconds);
        }
        this.bind = bind;
        this.requestedBacklog = backlog;
        this.fd = TcpLibc.socket(bind.kernelFamily());
        try {
            if (bind == TcpBind.DUAL_STACK_ANY) {
                // Explicit: the default comes from net.ipv6.bindv6only, which a host may set to 1.
                TcpLibc.setIntOption(fd, TcpLibc.IPPROTO_IPV6, TcpLibc.IPV6_V6ONLY, 0);
            }
            if (deferAcceptSeconds > 0) {
                TcpLibc.setIntOption(fd, TcpLibc.IPPROTO_TCP, TcpLibc.TCP_DEFER_ACCEPT, deferAcceptSeconds);
            }
            TestLibc.bind(fd, TcpSockAddr.encode(new InetSocketAddress(bind.bindAddress(), 0)));
            TestLibc.listen(fd, backlog);
            TestLibc.setNonBlocking(fd);
            this.address = TcpSockAddr.decode(TcpLibc.getsockname(fd));
            // The kernel keeps the deferral as a number of SYN-ACK timeouts and reports it back
            // rounded up to their sum: 30 s becomes 31 (1+2+4+8+16).
            this.deferAcceptSeconds = TcpLibc.getIntOption(fd, TcpLibc.IPPROTO_TCP, TcpLibc.TCP_DEFER_ACCEPT);
            this.inode = FdInodes.inodeOf(fd);
            KernelWait.until(() -> TcpProcNet.byInode(inode).filter(e -> e.state() == TcpProcNet.ST_LISTEN).isPresent(),
                    () -> "no LISTEN row with inode " + inode + " in /proc/net/tcp{,6}");
        } catch (RuntimeException e) {
            TestLibc.close(fd);
            throw e;
        }
    }

    public TcpBind bind() {
        return bind;
    }

    /** INET or INET6: the family of the listening socket (INET6 for the dual-stack one). */
    public StandardProtocolFamily family() {
        return bind.family();
    }

    /** Bound address and port, as getsockname() reports them. */
    public InetSocketAddress address() {
        return address;
    }

    public InetAddress bindAddress() {
        return address.getAddress();
    }

    /** The ephemeral port the kernel chose. */
    public int port() {
        return address.getPort();
    }

    public int fd() {
        return fd;
    }

    /** Inode of the listening socket, from /proc/self/fd readlink {@code socket:[N]}. */
    public long inode() {
        return inode;
    }

    /** The argument given to listen(); the kernel caps it at somaxconn. */
    public int requestedBacklog() {
        return requestedBacklog;
    }

    /** TCP_DEFER_ACCEPT as the kernel reports it (rounded up); 0 if not set. */
    public int deferAcceptSeconds() {
        return deferAcceptSeconds;
    }

    /** IPV6_V6ONLY as the kernel reports it; false for an IPv4 socket. */
    public boolean v6only() {
        checkOpen();
        return family() == StandardProtocolFamily.INET6
                && TcpLibc.getIntOption(fd, TcpLibc.IPPROTO_IPV6, TcpLibc.IPV6_V6ONLY) != 0;
    }

    /** TCP_INFO of the listener: accept queue length and effective backlog. */
    public TcpLibc.TcpInfo info() {
        checkOpen();
        return TcpLibc.tcpInfo(fd);
    }

    /** Children waiting in the accept queue right now (sk_ack_backlog). */
    public long acceptQueue() {
        return info().acceptQueue();
    }

    /** Effective backlog B (after the somaxconn cap); the accept queue holds B+1. */
    public long effectiveBacklog() {
        return info().backlog();
    }

    /** {@code n} clients over the default loopback peer that complete the handshake and wait in the accept queue. */
    public void queue(int n) {
        queue(n, bind.defaultPeer());
    }

    /**
     * {@code n} clients connecting to {@code peer} that complete the handshake and wait in the
     * accept queue. Returns once each client is ESTABLISHED and the listener's accept queue has
     * grown by n (TCP_INFO, then /proc/net/tcp{,6} as a second view).
     *
     * @throws QueueFullException if the queue already holds B+1 before a client would connect
     */
    public void queue(int n, InetAddress peer) {
        requireRoomFor(n);
        long start = acceptQueue();
        for (int i = 0; i < n; i++) {
            TcpLibc.TcpInfo li = info();
            if (li.acceptQueue() > li.backlog()) { // sk_acceptq_is_full(): ack_backlog > max_ack_backlog
                throw new QueueFullException(i, n, toString());
            }
            long before = li.acceptQueue();
            TcpClient c = connect(peer, TcpClient.Role.QUEUED);
            KernelWait.until(() -> clients.state(c) == TcpLibc.TCP_ESTABLISHED && acceptQueue() > before,
                    () -> "client :" + c.localPort() + " state " + clients.state(c) + ", accept queue "
                            + acceptQueue() + ", wanted " + (before + 1));
        }
        long wanted = start + n;
        KernelWait.until(() -> procAcceptQueue() >= wanted,
                () -> "/proc/net/tcp rx_queue " + procAcceptQueue() + ", wanted " + wanted);
    }

    /** {@code k} overflowing clients over the default loopback peer. */
    public void startOverflowingClients(int k) {
        startOverflowingClients(k, bind.defaultPeer());
    }

    /**
     * {@code k} non-blocking connects to a listener whose accept queue is full. The kernel drops
     * their SYNs, so they stay in SYN_SENT and keep retrying until closed. Returns once every one
     * is in SYN_SENT and TcpExt ListenOverflows has risen by at least k (the counter is per
     * network namespace, so others may add to it; it also counts retransmitted SYNs).
     *
     * @throws IllegalStateException if the accept queue is not full
     */
    public void startOverflowingClients(int k, InetAddress peer) {
        if (k < 1 || overflowingClients() + k > MAX_OVERFLOWING) {
            throw new IllegalArgumentException("k must be 1.." + (MAX_OVERFLOWING - overflowingClients()));
        }
        TcpLibc.TcpInfo li = info();
        if (li.acceptQueue() <= li.backlog()) {
            throw new IllegalStateException("accept queue " + li.acceptQueue() + " of " + (li.backlog() + 1)
                    + " is not full: the SYN would be accepted");
        }
        TcpNetstat.Snapshot before = TcpNetstat.read();
        List<TcpClient> started = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            started.add(connect(peer, TcpClient.Role.OVERFLOWING));
        }
        KernelWait.until(() -> started.stream().allMatch(c -> clients.state(c) == TcpLibc.TCP_SYN_SENT)
                && TcpNetstat.read().since(before, TcpNetstat.LISTEN_OVERFLOWS) >= k,
                () -> "client states " + started.stream().map(clients::state).toList() + ", ListenOverflows +"
                        + TcpNetstat.read().since(before, TcpNetstat.LISTEN_OVERFLOWS) + ", wanted SYN_SENT and +" + k);
    }

    /** Overflowing clients still in SYN_SENT right now (one gets in when a slot frees and its SYN is retried). */
    public int synSentClients() {
        checkOpen();
        return (int) clients.withRole(TcpClient.Role.OVERFLOWING).stream()
                .filter(c -> clients.state(c) == TcpLibc.TCP_SYN_SENT).count();
    }

    /** {@code n} silent clients over the default loopback peer (DEFER_ACCEPT listener only). */
    public void synRecv(int n) {
        synRecv(n, bind.defaultPeer());
    }

    /**
     * For a DEFER_ACCEPT listener: {@code n} clients that complete the handshake and send
     * nothing. The kernel drops their bare ACKs (TCPDeferAcceptDrop) and keeps a request socket
     * for each. Returns once every client is ESTABLISHED (its side of the handshake is done) and
     * /proc/net/tcp{,6} shows one st 03 row per client on this port, with the accept queue
     * unchanged.
     *
     * @throws IllegalArgumentException if the SYN queue (B+1 request sockets) would overflow:
     *     with syncookies the excess would land in the accept queue instead
     */
    public void synRecv(int n, InetAddress peer) {
        requireRoomFor(n);
        if (deferAcceptSeconds == 0) {
            throw new IllegalStateException(this + " has no TCP_DEFER_ACCEPT: request sockets would turn into"
                    + " children within one round trip");
        }
        long capacity = effectiveBacklog() + 1;
        long held = clients.count(TcpClient.Role.SYN_RECV);
        if (held + n > capacity) {
            throw new IllegalArgumentException(held + " + " + n + " request sockets exceed the SYN queue capacity "
                    + capacity + " (B+1); syncookies would move the excess into the accept queue");
        }
        long acceptBefore = acceptQueue();
        List<TcpClient> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TcpClient c = connect(peer, TcpClient.Role.SYN_RECV);
            started.add(c);
            KernelWait.until(() -> clients.state(c) == TcpLibc.TCP_ESTABLISHED,
                    () -> "client :" + c.localPort() + " state " + clients.state(c) + ", wanted ESTABLISHED");
        }
        Set<Integer> ports = clients.ports(TcpClient.Role.SYN_RECV);
        ListenerRows rows = new ListenerRows(inode, port(), ports);
        KernelWait.until(() -> rows.requestSockets() == ports.size(),
                () -> "st 03 rows for our clients: " + rows.requestSockets() + ", wanted " + ports.size());
        long acceptNow = acceptQueue();
        if (acceptNow != acceptBefore) {
            throw new IllegalStateException("accept queue went from " + acceptBefore + " to " + acceptNow
                    + " while making request sockets: DEFER_ACCEPT did not hold them back");
        }
    }

    /** {@code count} established pairs over the default loopback peer. */
    public void establish(int count) {
        establish(count, bind.defaultPeer());
    }

    /**
     * {@code count} ESTABLISHED connections that the listener accepts at once, both ends kept
     * open: background traffic such as a busy server's. Each pair costs two fds, so this first
     * checks the process's fd limit (see {@link TcpListeners#maxEstablishablePairs()}). Returns
     * once /proc/net/tcp{,6} lists both ends of every pair as ESTABLISHED (st 01).
     *
     * @throws IllegalStateException if the accept queue is not empty (accept() would return a
     *     queued client instead) or the listener uses DEFER_ACCEPT (a silent client is never
     *     accepted)
     * @throws IllegalArgumentException if the fds would not fit under the limit
     */
    public void establish(int count, InetAddress peer) {
        requireRoomFor(count);
        if (deferAcceptSeconds != 0) {
            throw new IllegalStateException(this + " uses DEFER_ACCEPT: silent clients are never accepted");
        }
        if (acceptQueue() != 0) {
            throw new IllegalStateException("establish() needs an empty accept queue; " + acceptQueue() + " queued");
        }
        int fits = TcpListeners.maxEstablishablePairs();
        if (count > fits) {
            throw new IllegalArgumentException(count + " pairs need " + (2 * count) + " fds; only " + fits
                    + " pairs fit under the open-file limit " + TcpListeners.openFileLimit());
        }
        for (int i = 0; i < count; i++) {
            TcpClient c = connect(peer, TcpClient.Role.ESTABLISHED);
            int accepted = acceptWithin(c);
            KernelWait.until(() -> clients.state(c) == TcpLibc.TCP_ESTABLISHED,
                    () -> "client :" + c.localPort() + " state " + clients.state(c) + ", wanted ESTABLISHED");
            if (TcpSockAddr.decode(TcpLibc.getpeername(accepted)).getPort() != c.localPort()) {
                throw new IllegalStateException("accept() returned a connection from another client than :"
                        + c.localPort());
            }
        }
        Set<Integer> ports = clients.ports(TcpClient.Role.ESTABLISHED);
        ListenerRows rows = new ListenerRows(inode, port(), ports);
        KernelWait.until(() -> rows.established() == 2L * ports.size(),
                () -> "ESTABLISHED rows of our pairs: " + rows.established() + ", wanted " + 2L * ports.size());
    }

    /**
     * Accepts the oldest queued connection and keeps it open until close. If clients are
     * overflowing, the freed slot is taken by the next retransmitted SYN (about a second later).
     *
     * @return the accepted connection's peer (a client's address and port)
     * @throws IllegalStateException if nothing is queued (EAGAIN: the listener is non-blocking)
     */
    public InetSocketAddress acceptOne() {
        checkOpen();
        int a = TestLibc.acceptIfQueued(fd)
                .orElseThrow(() -> new IllegalStateException("accept on " + this + ": nothing queued"));
        keepAccepted(a);
        return TcpSockAddr.decode(TcpLibc.getpeername(a));
    }

    /** Waits (bounded) until the accept queue holds exactly {@code expected} children. */
    public void awaitAcceptQueue(long expected) {
        KernelWait.until(() -> acceptQueue() == expected,
                () -> "accept queue " + acceptQueue() + ", wanted " + expected);
    }

    /** Clients made by {@link #queue(int)} (including ones accepted since). */
    public int queuedClients() {
        return clients.count(TcpClient.Role.QUEUED);
    }

    public int overflowingClients() {
        return clients.count(TcpClient.Role.OVERFLOWING);
    }

    public int synRecvClients() {
        return clients.count(TcpClient.Role.SYN_RECV);
    }

    public int establishedPairs() {
        return clients.count(TcpClient.Role.ESTABLISHED);
    }

    /** Every client socket made so far (empty once closed). */
    public List<TcpClient> clients() {
        return clients.all();
    }

    /** Local ports of every client ever made here; still available after close. */
    public Set<Integer> clientPorts() {
        return clients.portsEverMade();
    }

    /**
     * This listener's sockets as /proc/net/tcp{,6} shows them: its LISTEN row (by inode) and every
     * row whose port pair is (listener port, one of our client ports) in either direction. That
     * covers children, request sockets, both ends of pairs and TIME_WAIT, but not foreign sockets
     * that happen to reuse the listener's port after close.
     */
    public List<TcpProcNet.Entry> kernelRows() {
        return new ListenerRows(inode, port(), clientPorts()).all();
    }

    /** The listener, clients and accepted connections, for {@link #ownedSocketInodes()}. */
    @Override
    protected List<Integer> openFds() {
        List<Integer> fds = new ArrayList<>();
        fds.add(fd);
        clients.all().forEach(c -> fds.add(c.fd()));
        fds.addAll(acceptedFds);
        return fds;
    }

    /**
     * Closes the clients first (RST, thanks to SO_LINGER 0: that also removes their request
     * sockets and resets their children), then the accepted sockets, then the listener, which
     * frees whatever is left in its accept queue. Then waits (bounded) until /proc/net/tcp{,6}
     * shows none of our sockets.
     */
    @Override
    protected void release(Cleanup cleanup) {
        clients.close(cleanup);
        acceptedFds.forEach(cleanup::closeFd);
        cleanup.closeFd(fd);
        acceptedFds.clear();
        cleanup.run(() -> KernelWait.until(() -> kernelRows().isEmpty(),
                () -> "left in /proc/net/tcp{,6}: " + kernelRows()));
    }

    @Override
    public String toString() {
        return "TCP " + bind + " " + address + " inode " + inode + " backlog " + requestedBacklog
                + (deferAcceptSeconds > 0 ? " defer_accept " + deferAcceptSeconds + "s" : "");
    }

    /** A client of {@code role} connecting to {@code peer}, which must reach this listener over loopback. */
    private TcpClient connect(InetAddress peer, TcpClient.Role role) {
        checkOpen();
        if (!bind.acceptsPeer(peer)) {
            throw new IllegalArgumentException(peer + " does not reach " + this + " over loopback");
        }
        return clients.connect(peer, port(), role);
    }

    /** accept() the connection {@code c} just made; polls EAGAIN (bounded) in case the handshake lags. */
    private int acceptWithin(TcpClient c) {
        int a = KernelWait.untilPresent(() -> TestLibc.acceptIfQueued(fd),
                () -> "nothing to accept for client :" + c.localPort() + " (state " + clients.state(c) + ")");
        keepAccepted(a);
        return a;
    }

    /** Keeps an accepted connection open until close; SO_LINGER 0 so that closing it sends an RST. */
    private void keepAccepted(int a) {
        acceptedFds.add(a);
        TcpLibc.setLingerZero(a);
    }

    /** The listener's accept queue as /proc/net/tcp{,6} prints it (rx_queue of its LISTEN row). */
    private long procAcceptQueue() {
        return TcpProcNet.byInode(inode).map(TcpProcNet.Entry::acceptQueue).orElse(-1L);
    }

    private void requireRoomFor(int n) {
        checkOpen();
        clients.requireRoomFor(n);
    }
}
