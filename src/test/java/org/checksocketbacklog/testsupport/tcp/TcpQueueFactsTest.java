package org.checksocketbacklog.testsupport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.checksocketbacklog.testsupport.oracles.FdInodes;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.checksocketbacklog.testsupport.oracles.Sysctl;
import org.checksocketbacklog.testsupport.oracles.TcpNetstat;
import org.checksocketbacklog.testsupport.oracles.TcpProcNet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves that the TCP test-support helpers create the kernel states they claim, judged by the
 * kernel's own views: /proc/net/tcp{,6}, /proc/net/netstat, TCP_INFO, /proc/self/fd and ss
 * (inet_diag). Expectations are the facts of docs/kernel-facts.md section 2, written as literals, and
 * ss's spelling of each address is derived from the bind address the test asked for.
 */
class TcpQueueFactsTest {
    private static final int ESTABLISHED_WANTED = 3000;
    private static final String V4_MAPPED_LOOPBACK = "[::ffff:127.0.0.1]";

    private TcpListeners sockets;

    @BeforeEach
    void setUp() {
        sockets = new TcpListeners();
    }

    @AfterEach
    void tearDown() {
        sockets.close();
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void listenerIsWhereItWasAskedToBe(TcpBind bind) throws Exception {
        TcpListener l = listen(bind, 3, 0);

        assertTrue(l.port() > 0, "ephemeral port read back");
        assertEquals(InetAddress.getByName(switch (bind) {
            case IPV4_LOOPBACK -> "127.0.0.1";
            case IPV6_LOOPBACK -> "::1";
            case DUAL_STACK_ANY -> "::";
        }), l.bindAddress());
        assertEquals(bind == TcpBind.IPV4_LOOPBACK ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6,
                l.family());
        // Binding ::1 makes the socket v6only without being asked (inet6_bind); the dual-stack one is not.
        assertEquals(bind == TcpBind.IPV6_LOOPBACK, l.v6only());
        assertTrue(FdInodes.openSocketInodes().contains(l.inode()), "inode belongs to one of our fds");

        TcpProcNet.Entry row = TcpProcNet.byInode(l.inode()).orElseThrow();
        assertEquals(TcpProcNet.ST_LISTEN, row.state());
        assertEquals(l.port(), row.localPort());
        assertEquals(bind != TcpBind.IPV4_LOOPBACK, row.ipv6(), "listed in /proc/net/tcp6");
        assertEquals(l.bindAddress(), row.localAddress());
        assertEquals(0, row.acceptQueue());
        assertEquals(3, l.effectiveBacklog(), "TCP_INFO tcpi_sacked = sk_max_ack_backlog");
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void backlogThreeHoldsFourAndTheFifthStaysSynSent(TcpBind bind) {
        TcpListener l = listen(bind, 3, 0);

        l.queue(4);
        assertEquals(4, l.acceptQueue(), "TCP_INFO");
        assertEquals(4, TcpProcNet.byInode(l.inode()).orElseThrow().acceptQueue(), "/proc rx_queue");
        TcpListener.QueueFullException full = assertThrows(TcpListener.QueueFullException.class, () -> l.queue(1));
        assertEquals(0, full.connected());

        TcpNetstat.Snapshot before = TcpNetstat.read();
        l.startOverflowingClients(1);
        TcpNetstat.Snapshot after = TcpNetstat.read();

        assertTrue(after.since(before, TcpNetstat.LISTEN_OVERFLOWS) >= 1, "ListenOverflows rose");
        assertTrue(after.since(before, TcpNetstat.LISTEN_DROPS) >= 1, "ListenDrops rose");
        assertEquals(1, l.synSentClients());
        assertEquals(1, clientRowsInState(l, TcpProcNet.ST_SYN_SENT), "client side SYN_SENT in /proc");
        // A full accept queue drops the SYN before any request socket exists.
        assertEquals(0, TcpProcNet.synRecvCount(l.port()), "no SYN_RECV on a full accept queue");
        assertEquals(4, l.acceptQueue(), "the dropped SYN did not enter the queue");
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void ssShowsAcceptQueueAsRecvQAndBacklogAsSendQ(TcpBind bind) {
        assumeTrue(SsView.available(), "ss not installed");
        TcpListener l = listen(bind, 3, 0);
        l.queue(4);
        l.startOverflowingClients(1);

        SsView.TcpRow row = SsView.tcpListenerByInode(l.inode()).orElseThrow();
        assertEquals(4, row.recvQ(), "accept queue");
        assertEquals(3, row.sendQ(), "backlog");
        assertEquals(expectedSsHost(bind), row.localHost());
        assertEquals(l.port(), row.localPort());
        assertEquals(switch (bind) {
            case IPV4_LOOPBACK -> Optional.empty();
            case IPV6_LOOPBACK -> Optional.of(true);
            case DUAL_STACK_ANY -> Optional.of(false);
        }, row.v6only());
        List<SsView.TcpRow> mine = ours(l, SsView.tcpSockets(l.port()));
        assertEquals(1, mine.stream().filter(r -> r.state().equals("SYN-SENT")).count(), () -> "rows: " + mine);
        assertEquals(0, mine.stream().filter(r -> r.state().equals(SsView.SYN_RECV)).count(), () -> "rows: " + mine);
        assertEquals(0, SsView.synRecvCount(l.port()));
    }

    @Test
    void ssAsNobodySeesTheSameQueue() {
        assumeTrue(SsView.available(), "ss not installed");
        TcpListener l = listen(TcpBind.IPV6_LOOPBACK, 2, 0);
        l.queue(3);

        SsView.TcpRow row = SsView.tcpListenersUnprivileged().stream().filter(r -> r.inode() == l.inode())
                .findFirst().orElseThrow();
        assertEquals(3, row.recvQ());
        assertEquals(2, row.sendQ());
    }

    @Test
    void acceptingOneLetsTheOverflowingClientInOnItsNextSyn() {
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 3, 0);
        l.queue(4);
        l.startOverflowingClients(1);

        l.acceptOne();
        assertEquals(3, l.acceptQueue());
        // The client retransmits its SYN about a second later and takes the freed slot.
        l.awaitAcceptQueue(4);

        assertEquals(0, l.synSentClients());
        assertEquals(0, clientRowsInState(l, TcpProcNet.ST_SYN_SENT));
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void deferAcceptHoldsSilentClientsAsRequestSockets(TcpBind bind) {
        TcpListener l = listen(bind, 3, TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS);
        TcpNetstat.Snapshot before = TcpNetstat.read();

        l.synRecv(3);

        List<TcpProcNet.Entry> rows = TcpProcNet.withLocalPort(l.port(), TcpProcNet.ST_SYN_RECV);
        assertEquals(3, rows.size(), () -> "st 03 rows: " + rows);
        for (TcpProcNet.Entry e : rows) {
            assertEquals(bind != TcpBind.IPV4_LOOPBACK, e.ipv6(), "an AF_INET6 listener's request sockets are in tcp6");
            assertEquals(0, e.inode(), "a request socket has no inode");
            assertTrue(l.clientPorts().contains(e.remotePort()), "peer is one of our clients");
        }
        assertEquals(0, l.acceptQueue(), "nothing reached the accept queue");
        assertEquals(0, TcpProcNet.byInode(l.inode()).orElseThrow().acceptQueue());
        assertEquals(3, clientRowsInState(l, TcpProcNet.ST_ESTABLISHED), "clients think they are connected");
        assertTrue(TcpNetstat.read().since(before, TcpNetstat.DEFER_ACCEPT_DROP) >= 3, "bare ACKs swallowed");
        assertTrue(l.deferAcceptSeconds() >= TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS, "kernel rounds up");
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void ssCountsTheRequestSocketsOnThePort(TcpBind bind) {
        assumeTrue(SsView.available(), "ss not installed");
        TcpListener l = listen(bind, 3, TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS);
        l.synRecv(3);

        assertEquals(3, SsView.synRecvCount(l.port()));
        String host = bind == TcpBind.DUAL_STACK_ANY ? V4_MAPPED_LOOPBACK : expectedSsHost(bind);
        assertEquals(3, SsView.synRecvCount(host, l.port()), () -> "rows: " + SsView.synRecv(l.port()));
        for (SsView.TcpRow r : SsView.synRecv(l.port())) {
            assertEquals(0, r.inode(), "ino:0");
            assertTrue(l.clientPorts().contains(Integer.parseInt(r.peerPort())), "peer is one of our clients");
        }
        SsView.TcpRow listener = SsView.tcpListenerByInode(l.inode()).orElseThrow();
        assertEquals(0, listener.recvQ(), "request sockets are not in Recv-Q");
        assertEquals(3, listener.sendQ());
    }

    @Test
    void dualStackListenerHoldsRequestSocketsOfBothFamilies() {
        assumeTrue(SsView.available(), "ss not installed");
        TcpListener l = listen(TcpBind.DUAL_STACK_ANY, 3, TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS);

        l.synRecv(2, TcpBind.IPV4_LOOPBACK.bindAddress());
        l.synRecv(2, TcpBind.IPV6_LOOPBACK.bindAddress());

        assertEquals(2, SsView.synRecvCount(V4_MAPPED_LOOPBACK, l.port()));
        assertEquals(2, SsView.synRecvCount("[::1]", l.port()));
        assertEquals(4, TcpProcNet.withLocalPort(l.port(), TcpProcNet.ST_SYN_RECV).stream()
                .filter(TcpProcNet.Entry::ipv6).count(), "all four in tcp6, v4 ones as mapped addresses");
    }

    @Test
    void synQueueCapacityIsBacklogPlusOne() {
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 1, TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS);

        l.synRecv(2);
        assertEquals(2, TcpProcNet.synRecvCount(l.port()));
        // A third would get a syncookie and skip DEFER_ACCEPT (docs/kernel-facts.md 2.6): refused up front.
        assertThrows(IllegalArgumentException.class, () -> l.synRecv(1));
        assertEquals(2, TcpProcNet.synRecvCount(l.port()), "the refused call made no client");
        assertEquals(2, l.synRecvClients());
    }

    @Test
    void synRecvNeedsDeferAccept() {
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 3, 0);
        assertThrows(IllegalStateException.class, () -> l.synRecv(1));
        assertEquals(0, l.clients().size());
    }

    @Test
    void clientsOnlyConnectOverLoopback() throws Exception {
        TcpListener v4 = listen(TcpBind.IPV4_LOOPBACK, 3, 0);
        TcpListener dual = listen(TcpBind.DUAL_STACK_ANY, 3, 0);

        assertThrows(IllegalArgumentException.class, () -> v4.queue(1, InetAddress.getByName("192.0.2.1")));
        assertThrows(IllegalArgumentException.class, () -> dual.queue(1, InetAddress.getByName("2001:db8::1")));
        assertThrows(IllegalArgumentException.class, () -> v4.queue(1, InetAddress.getByName("::1")),
                "::1 does not reach a 127.0.0.1 listener");
        assertEquals(0, v4.clients().size() + dual.clients().size(), "nothing was connected");
    }

    @Test
    void acceptOnEmptyQueueFailsInsteadOfHanging() {
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 3, 0);
        assertThrows(IllegalStateException.class, l::acceptOne);
    }

    @Test
    void thousandsOfEstablishedConnectionsExistAndCloseCleanly() {
        long limit = TcpListeners.openFileLimit();
        int fits = TcpListeners.maxEstablishablePairs();
        int count = Math.min(ESTABLISHED_WANTED, fits);
        System.out.printf("TcpQueueFactsTest: RLIMIT_NOFILE soft %d, %d fds open, room for %d pairs, making %d%n",
                limit, TcpListeners.openFdCount(), fits, count);
        assertTrue(count >= 1000, "fd limit " + limit + " leaves room for only " + fits + " pairs");
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 128, 0);

        l.establish(count);

        assertEquals(count, l.establishedPairs());
        long serverSide = TcpProcNet.withLocalPort(l.port(), TcpProcNet.ST_ESTABLISHED).stream()
                .filter(e -> l.clientPorts().contains(e.remotePort())).filter(e -> e.inode() != 0).count();
        assertEquals(count, serverSide, "accepted ends (they have inodes)");
        assertEquals(count, clientRowsInState(l, TcpProcNet.ST_ESTABLISHED), "client ends");
        assertEquals(0, l.acceptQueue());
        Set<Long> inodes = new HashSet<>(l.ownedSocketInodes());
        assertEquals(2 * count + 1, inodes.size(), "listener + two ends per pair");
        if (SsView.available()) {
            assertEquals(2 * count, ours(l, SsView.tcpSockets(l.port())).stream()
                    .filter(r -> r.state().equals("ESTAB")).count());
            assertEquals(0, SsView.tcpListenerByInode(l.inode()).orElseThrow().recvQ());
        }

        sockets.close();

        assertEquals(List.of(), l.kernelRows(), "nothing of ours in /proc/net/tcp");
        Set<Long> stillOpen = FdInodes.openSocketInodes();
        stillOpen.retainAll(inodes);
        assertEquals(Set.of(), stillOpen, "sockets still open");
        if (SsView.available()) {
            assertEquals(List.of(), ours(l, SsView.tcpSockets(l.port())), "nothing of ours in ss, TIME-WAIT included");
        }
    }

    @Test
    void establishedPairsOverIpv6() {
        assumeTrue(TcpListeners.ipv6LoopbackAvailable(), "no ::1");
        TcpListener l = listen(TcpBind.IPV6_LOOPBACK, 8, 0);
        l.establish(50);
        assertEquals(100, TcpProcNet.read().stream().filter(e -> e.ipv6() && e.state() == TcpProcNet.ST_ESTABLISHED)
                .filter(e -> (e.localPort() == l.port() && l.clientPorts().contains(e.remotePort()))
                        || (e.remotePort() == l.port() && l.clientPorts().contains(e.localPort())))
                .count());
    }

    @Test
    void establishRefusesWhenAcceptWouldTakeAQueuedClient() {
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, 3, 0);
        l.queue(1);
        assertThrows(IllegalStateException.class, () -> l.establish(1));
        assertEquals(0, l.establishedPairs());
    }

    @ParameterizedTest
    @EnumSource(TcpBind.class)
    void closeLeavesNothingBehind(TcpBind bind) {
        TcpListener l = listen(bind, 3, 0);
        TcpListener d = listen(bind, 3, TcpListeners.DEFAULT_DEFER_ACCEPT_SECONDS);
        TcpListener e = listen(bind, 16, 0);
        l.queue(4);
        l.startOverflowingClients(2);
        l.acceptOne();
        d.synRecv(2);
        e.establish(5);
        Set<Long> inodes = new HashSet<>(sockets.ownedSocketInodes());
        assertEquals((1 + 4 + 2 + 1) + (1 + 2) + (1 + 10), inodes.size(),
                "listener + 4 queued + 2 overflowing + 1 accepted; listener + 2 clients; listener + 5 pairs");
        List<TcpListener> all = List.of(l, d, e);
        all.forEach(x -> assertFalse(x.kernelRows().isEmpty()));

        sockets.close();

        for (TcpListener x : all) {
            assertTrue(x.isClosed());
            assertEquals(List.of(), x.kernelRows(), () -> x + " left rows in /proc/net/tcp{,6}");
            assertTrue(TcpProcNet.byInode(x.inode()).isEmpty(), "listener gone");
            if (SsView.available()) {
                assertEquals(List.of(), ours(x, SsView.tcpSockets(x.port())), () -> x + " left rows in ss");
                assertTrue(SsView.tcpListenerByInode(x.inode()).isEmpty());
            }
        }
        assertEquals(0, TcpProcNet.synRecvCount(d.port()), "request sockets dropped by the clients' RST");
        Set<Long> stillOpen = FdInodes.openSocketInodes();
        stillOpen.retainAll(inodes);
        assertEquals(Set.of(), stillOpen, "sockets still open");
    }

    @Test
    void backlogAboveSomaxconnIsCapped() {
        int somaxconn = Sysctl.somaxconn();
        TcpListener l = listen(TcpBind.IPV4_LOOPBACK, somaxconn + 1000, 0);
        assertEquals(somaxconn, l.effectiveBacklog());
        if (SsView.available()) {
            assertEquals(somaxconn, SsView.tcpListenerByInode(l.inode()).orElseThrow().sendQ());
        }
    }

    private TcpListener listen(TcpBind bind, int backlog, int deferSeconds) {
        if (bind != TcpBind.IPV4_LOOPBACK) {
            assumeTrue(TcpListeners.ipv6LoopbackAvailable(), "IPv6 loopback not configured");
        }
        return sockets.listen(bind, backlog, deferSeconds);
    }

    /** How ss prints the local address of a listener bound as asked. */
    private static String expectedSsHost(TcpBind bind) {
        return switch (bind) {
            case IPV4_LOOPBACK -> "127.0.0.1";
            case IPV6_LOOPBACK -> "[::1]";
            case DUAL_STACK_ANY -> "*";
        };
    }

    /** Client-side rows (local port one of our clients, peer port the listener's) in {@code state}. */
    private static long clientRowsInState(TcpListener l, int state) {
        return TcpProcNet.read().stream().filter(e -> e.state() == state && e.remotePort() == l.port()
                && l.clientPorts().contains(e.localPort())).count();
    }

    /** ss rows that belong to {@code l}: its listener (by inode) and both ends of its clients' connections. */
    private static List<SsView.TcpRow> ours(TcpListener l, List<SsView.TcpRow> rows) {
        Set<Integer> ports = l.clientPorts();
        String listenerPort = Integer.toString(l.port());
        return rows.stream().filter(r -> r.inode() == l.inode()
                || (r.localPort() == l.port() && r.peerPort().matches("\\d+")
                        && ports.contains(Integer.parseInt(r.peerPort())))
                || (r.peerPort().equals(listenerPort) && ports.contains(r.localPort()))).toList();
    }
}
