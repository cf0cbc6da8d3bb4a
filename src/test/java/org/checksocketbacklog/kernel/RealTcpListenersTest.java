package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.netlink.Datagram;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.checksocketbacklog.testsupport.tcp.TcpBind;
import org.checksocketbacklog.testsupport.tcp.TcpListener;
import org.checksocketbacklog.testsupport.tcp.TcpListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP path on real loopback listeners: both sources against what the test created and against ss. */
class RealTcpListenersTest {
    private static final ProcFiles PROC = new ProcFiles(Path.of("/proc"));

    private TcpListeners sockets;
    private final AtomicLong bytesReceived = new AtomicLong();

    @BeforeEach
    void create() {
        sockets = new TcpListeners();
    }

    @AfterEach
    void close() {
        sockets.close();
    }

    /** The real socket, counting what the kernel sends back. */
    private NetlinkTransport countingSocket() throws NetlinkException {
        NetlinkSocket socket = NetlinkSocket.open(5000);
        return new NetlinkTransport() {
            @Override
            public void send(java.nio.ByteBuffer request) throws NetlinkException {
                socket.send(request);
            }

            @Override
            public Datagram receive() throws NetlinkException {
                Datagram datagram = socket.receive();
                bytesReceived.addAndGet(datagram.fullLength());
                return datagram;
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }

    private Map<Long, org.checksocketbacklog.kernel.TcpListener> read(SourcePreference preference, List<Integer> ports) throws KernelReadException {
        ListenerSnapshot<org.checksocketbacklog.kernel.TcpListener> snapshot = new TcpListenerReader(PROC, this::countingSocket).read(preference, ports);
        assertNull(snapshot.fallbackReason());
        Map<Long, org.checksocketbacklog.kernel.TcpListener> byInode = new HashMap<>();
        for (org.checksocketbacklog.kernel.TcpListener listener : snapshot.listeners()) {
            assertNull(byInode.put(listener.inode(), listener), "inode " + listener.inode() + " twice");
        }
        return byInode;
    }

    private static void assertListener(Map<Long, org.checksocketbacklog.kernel.TcpListener> listeners, TcpListener created, long pending, long backlog,
            long synRecv) {
        org.checksocketbacklog.kernel.TcpListener listener = listeners.get(created.inode());
        assertNotNull(listener, created + " not found");
        assertEquals(created.port(), listener.endpoint().port());
        assertEquals(pending, listener.pending(), created + " pending");
        assertEquals(backlog < 0 ? OptionalLong.empty() : OptionalLong.of(backlog), listener.backlog(),
                created + " backlog");
        assertEquals(synRecv, listener.synRecv().count(), created + " syn-recv");
        assertEquals(1, listener.synRecv().sharedBy(), created + " syn-recv is its own");
    }

    @Test
    void bothFamiliesAndBothQueuesAsCreated() throws Exception {
        TcpListener v4 = sockets.listen(TcpBind.IPV4_LOOPBACK, 3);
        v4.queue(4);
        TcpListener v6 = sockets.listen(TcpBind.IPV6_LOOPBACK, 5);
        v6.queue(2);
        // DEFER_ACCEPT: silent clients stay request sockets (SYN-RECV), none reaches the accept queue.
        TcpListener deferred = sockets.listen(TcpBind.IPV4_LOOPBACK, 7, 60);
        deferred.synRecv(3);
        TcpListener deferred6 = sockets.listen(TcpBind.IPV6_LOOPBACK, 4, 60);
        deferred6.synRecv(2);
        for (List<Integer> ports : List.of(List.<Integer>of(),
                List.of(v4.port(), v6.port(), deferred.port(), deferred6.port()))) {
            Map<Long, org.checksocketbacklog.kernel.TcpListener> listeners = read(SourcePreference.SOCK_DIAG, ports);
            assertListener(listeners, v4, 4, 3, 0);
            assertListener(listeners, v6, 2, 5, 0);
            assertListener(listeners, deferred, 0, 7, 3);
            assertListener(listeners, deferred6, 0, 4, 2);
            assertEquals("[::1]:" + v6.port(), listeners.get(v6.inode()).endpoint().displayName());
            assertTrue(listeners.get(v6.inode()).endpoint().v6only(), "::1 is v6only");
            if (!ports.isEmpty()) {
                assertEquals(4, listeners.size(), "the kernel's port filter left only the selected listeners");
            }
        }
    }

    @Test
    void procFallbackGivesTheSamePendingAndSynRecv() throws Exception {
        TcpListener v4 = sockets.listen(TcpBind.IPV4_LOOPBACK, 3);
        v4.queue(2);
        TcpListener deferred = sockets.listen(TcpBind.IPV4_LOOPBACK, 3, 60);
        deferred.synRecv(2);
        TcpListener v6 = sockets.listen(TcpBind.IPV6_LOOPBACK, 3, 60);
        v6.synRecv(1);
        Map<Long, org.checksocketbacklog.kernel.TcpListener> viaProc = read(SourcePreference.PROC, List.of());
        assertListener(viaProc, v4, 2, -1, 0);
        assertListener(viaProc, deferred, 0, -1, 2);
        assertListener(viaProc, v6, 0, -1, 1);
        Map<Long, org.checksocketbacklog.kernel.TcpListener> viaNetlink = read(SourcePreference.SOCK_DIAG, List.of());
        assertEquals(viaNetlink.keySet(), viaProc.keySet());
        for (org.checksocketbacklog.kernel.TcpListener listener : viaNetlink.values()) {
            org.checksocketbacklog.kernel.TcpListener other = viaProc.get(listener.inode());
            String name = listener.endpoint().displayName();
            assertEquals(name, other.endpoint().displayName());
            assertEquals(listener.pending(), other.pending(), name);
            assertEquals(listener.synRecv(), other.synRecv(), name);
        }
    }

    @Test
    void dualStackListenerCountsIpv4ClientsToo() throws Exception {
        TcpListener any = sockets.listen(TcpBind.DUAL_STACK_ANY, 6, 60);
        any.synRecv(2, InetAddress.getByName("127.0.0.1"));
        any.synRecv(1, InetAddress.getByName("::1"));
        org.checksocketbacklog.kernel.TcpListener listener = read(SourcePreference.SOCK_DIAG, List.of(any.port())).get(any.inode());
        assertEquals("[::]:" + any.port(), listener.endpoint().displayName());
        assertEquals(3, listener.synRecv().count(), "v4-mapped requests belong to the [::] listener");
        assertEquals(3, read(SourcePreference.PROC, List.of(any.port())).get(any.inode()).synRecv().count());
    }

    @Test
    void figuresEqualWhatSsPrints() throws Exception {
        assumeTrue(SsView.available(), "ss (iproute2) is not installed");
        TcpListener v4 = sockets.listen(TcpBind.IPV4_LOOPBACK, 9, 60);
        v4.synRecv(4);
        TcpListener plain = sockets.listen(TcpBind.IPV4_LOOPBACK, 9);
        plain.queue(3);
        TcpListener v6 = sockets.listen(TcpBind.IPV6_LOOPBACK, 2);
        v6.queue(3);
        Map<Long, org.checksocketbacklog.kernel.TcpListener> listeners = read(SourcePreference.SOCK_DIAG, List.of());
        int compared = 0;
        for (SsView.TcpRow row : SsView.tcpListeners()) {
            org.checksocketbacklog.kernel.TcpListener listener = listeners.get(row.inode());
            if (listener == null) {
                continue; // another process's listener, come or gone between the two reads
            }
            assertEquals(row.recvQ(), listener.pending(), row.local() + " Recv-Q");
            assertEquals(OptionalLong.of(row.sendQ()), listener.backlog(), row.local() + " Send-Q");
            assertEquals(row.localPort(), listener.endpoint().port());
            compared++;
        }
        assertTrue(compared >= 3, "our three listeners were compared");
        assertEquals(SsView.synRecvCount(v4.port()), listeners.get(v4.inode()).synRecv().count());
        assertEquals(4, SsView.synRecvCount(v4.port()));
    }

    @Test
    void thousandsOfEstablishedConnectionsChangeNeitherResultNorWork() throws Exception {
        TcpListener watched = sockets.listen(TcpBind.IPV4_LOOPBACK, 5);
        watched.queue(2);
        TcpListener deferred = sockets.listen(TcpBind.IPV4_LOOPBACK, 5, 60);
        deferred.synRecv(2);
        List<Integer> ports = List.of(watched.port(), deferred.port());

        bytesReceived.set(0);
        Map<Long, org.checksocketbacklog.kernel.TcpListener> before = read(SourcePreference.SOCK_DIAG, ports);
        long bytesBefore = bytesReceived.get();
        int pairs = Math.min(3000, TcpListeners.maxEstablishablePairs());
        assertTrue(pairs >= 1000, "fd limit allows only " + pairs + " pairs");
        sockets.listen(TcpBind.IPV4_LOOPBACK, 128).establish(pairs);

        bytesReceived.set(0);
        Map<Long, org.checksocketbacklog.kernel.TcpListener> after = read(SourcePreference.SOCK_DIAG, ports);
        assertEquals(before, after, "same figures with " + pairs + " established connections on the host");
        assertEquals(2, after.get(watched.inode()).pending());
        assertEquals(2, after.get(deferred.inode()).synRecv().count());
        assertEquals(bytesBefore, bytesReceived.get(),
                "the kernel filtered the connections out: the reply did not grow");
    }
}
