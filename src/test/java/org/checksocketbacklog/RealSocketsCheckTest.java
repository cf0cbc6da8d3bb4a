package org.checksocketbacklog;

import static org.checksocketbacklog.arguments.Configs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.MissingSelector;
import org.checksocketbacklog.evaluation.Reason;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.report.IcingaWebStates;
import org.checksocketbacklog.report.Report;
import org.checksocketbacklog.state.StateException;
import org.checksocketbacklog.testsupport.tcp.TcpBind;
import org.checksocketbacklog.testsupport.tcp.TcpListener;
import org.checksocketbacklog.testsupport.tcp.TcpListeners;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole check, in process, on real listeners this test fills one connection at a time. */
class RealSocketsCheckTest {
    /** Dump requests sent: every dump of one check goes over one netlink socket. */
    private final AtomicInteger dumps = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final SocketBacklogCheck check = new SocketBacklogCheck(new ProcFiles(Path.of("/proc")), () -> {
        opened.incrementAndGet();
        NetlinkSocket socket = NetlinkSocket.open(5000);
        return new org.checksocketbacklog.netlink.NetlinkTransport() {
            @Override
            public void send(java.nio.ByteBuffer request) throws org.checksocketbacklog.netlink.NetlinkException {
                dumps.incrementAndGet();
                socket.send(request);
            }

            @Override
            public org.checksocketbacklog.netlink.Datagram receive()
                    throws org.checksocketbacklog.netlink.NetlinkException {
                return socket.receive();
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    });
    private UnixListeners sockets;
    private TcpListeners tcp;

    @BeforeEach
    void create() {
        sockets = new UnixListeners();
        tcp = new TcpListeners();
    }

    @AfterEach
    void close() {
        sockets.close();
        tcp.close();
    }

    private CheckResult run(String... args) throws UsageException, KernelReadException, StateException {
        return check.run(config(args));
    }

    static String reasons(SocketItem socket) {
        StringBuilder text = new StringBuilder();
        for (Reason reason : socket.reasons()) {
            text.append(text.length() == 0 ? "" : ", ").append(Report.reason(reason));
        }
        return text.toString();
    }

    @Test
    void stateFollowsTheQueueAcrossEveryThresholdBoundary() throws Exception {
        // Backlog 9 holds 10: with --basis socket each queued connection is exactly 10%.
        UnixListener listener = sockets.listenPath("boundary.sock", SocketType.STREAM, 9);
        String name = listener.kernelName();
        int[] queued = {0, 5, 6, 8, 9, 10};
        Status[] expected = {Status.OK, Status.OK, Status.WARNING, Status.WARNING, Status.CRITICAL, Status.CRITICAL};
        int total = 0;
        for (int i = 0; i < queued.length; i++) {
            listener.queue(queued[i] - total);
            total = queued[i];
            CheckResult result = run("-b", "socket", "-s", name);
            assertEquals(expected[i], result.state(), total + " of 10 queued");
            assertEquals(10.0 * total, result.sockets().get(0).metric("usage").value(), 1e-9);
        }
        assertEquals(UnixListener.ConnectResult.WOULD_BLOCK, listener.tryConnect(), "the 11th is refused: B+1 is full");
    }

    @Test
    void blockedClientsAreCountedAndCanAlert() throws Exception {
        UnixListener listener = sockets.listenAbstract(SocketType.STREAM, 1);
        listener.queue(2);
        listener.startBlockedConnectors(3);
        // --full-state ok: the queue is full too, and that alone would be CRITICAL.
        CheckResult result = run("-s", listener.kernelName(), "--blocked-warning", "0", "--full-state", "ok");
        assertEquals(3, result.sockets().get(0).metric("blocked").value());
        assertEquals(2, result.sockets().get(0).metric("pending").value());
        assertEquals(Status.WARNING, result.state());
        assertEquals(Status.OK, run("-s", listener.kernelName(), "--full-state", "ok").state(),
                "no blocked thresholds by default");
    }

    @Test
    void fullQueueIsCriticalOnTheDefaultBasisToo() throws Exception {
        // On somaxconn x CPUs x 2 a full queue of backlog 1 is far below 50%: only the full-queue rule sees it.
        UnixListener listener = sockets.listenAbstract(SocketType.STREAM, 1);
        listener.queue(1);
        assertEquals(Status.OK, run("-s", listener.kernelName()).state(), "1 of 2: not full");
        listener.queue(1);
        CheckResult full = run("-s", listener.kernelName());
        assertEquals(Status.CRITICAL, full.state());
        assertEquals("queue full (2 of 2)", reasons(full.sockets().get(0)));
        assertEquals(Status.WARNING, run("-s", listener.kernelName(), "--full-state", "warning").state());
    }

    /**
     * The long output as Icinga Web draws it: a full listener's line tagged CRITICAL and an idle
     * one's OK, each its own state, in the Monitoring Plugins' multi-line format; the -v lines untagged.
     */
    @Test
    void eachSocketsLineIsTaggedWithItsOwnState() throws Exception {
        UnixListener full = sockets.listenPath("full.sock", SocketType.STREAM, 2);
        full.queue(3);
        Path dir = full.path().orElseThrow().getParent();
        UnixListener idle = sockets.listenAt(dir.resolve("idle.sock"), SocketType.STREAM, 64);
        CheckResult result = run("-v", "-b", "socket", "-s", dir + "/*.sock");
        String text = Report.render(result, new Report.Options(1, false, 0)).text();
        List<String> lines = text.lines().toList();
        String fullLine = lines.stream().filter(l -> l.contains(full.kernelName() + " (")).findFirst().orElseThrow();
        assertTrue(fullLine.startsWith("\t\\_[CRITICAL] - " + full.kernelName() + " (unix stream, inode "
                + full.inode()), text);
        assertTrue(fullLine.endsWith(", backlog 2, 0 blocked, usage 100% of 3 - usage 100% (critical above 80), queue full (3 of 3)"), fullLine);
        String idleLine = lines.stream().filter(l -> l.contains(idle.kernelName() + " (")).findFirst().orElseThrow();
        assertTrue(idleLine.startsWith("\t\\_[OK] - " + idle.kernelName() + " (unix stream, inode " + idle.inode()),
                text);
        assertTrue(idleLine.endsWith(": 0 pending, backlog 64, 0 blocked, usage 0% of 65"), idleLine);
        assertTrue(lines.contains("source: unix sock_diag (blocked clients from /proc/net/unix)"), text);
        assertEquals(List.of(), IcingaWebStates.untrue(text));
    }

    @Test
    void seqpacketAndAbstractListenersAreChecked() throws Exception {
        String unique = UnixListeners.uniqueName();
        UnixListener seqpacket = sockets.listenAbstract(unique + "\0nul", SocketType.SEQPACKET, 4);
        seqpacket.queue(5);
        assertEquals("@" + unique + "@nul", seqpacket.kernelName(), "as ss prints it");
        assertEquals(0, run("-s", seqpacket.kernelName()).sockets().size(),
                "ss's @ for a NUL is an @ here: the name holds no @");
        CheckResult result = run("-b", "socket", "-s", "@" + unique + "\\x00nul");
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(100.0, result.sockets().get(0).metric("usage").value(), 1e-9);
    }

    @Test
    void globPicksTheTestsListenersOnly() throws Exception {
        UnixListener a = sockets.listenPath("a.sock", SocketType.STREAM, 5);
        Path dir = a.path().orElseThrow().getParent();
        sockets.listenAt(dir.resolve("b.sock"), SocketType.STREAM, 5).queue(2);
        sockets.listenAt(dir.resolve("c.other"), SocketType.STREAM, 5);
        CheckResult result = run("-s", dir + "/*.sock");
        assertEquals(2, result.sockets().size());
        assertEquals(2, result.sockets().get(1).metric("pending").value());
    }

    @Test
    void notListeningIsCriticalAfterTheDumpIsRepeated() throws Exception {
        Path gone = sockets.listenPath("closed.sock", SocketType.STREAM, 1).path().orElseThrow();
        sockets.listeners().get(0).close();
        CheckResult result = run("-s", gone.toString());
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(1 + SocketBacklogCheck.EXTRA_READS_FOR_MISSING, dumps.get(), "dumped again before calling it missing");
        assertEquals(1, opened.get(), "on the one netlink socket of the check");
        assertEquals(Status.UNKNOWN, run("-s", gone.toString(), "--missing-state", "unknown").state());
    }

    @Test
    void procSourceGivesTheSameVerdict() throws Exception {
        UnixListener listener = sockets.listenPath("proc.sock", SocketType.STREAM, 3);
        listener.queue(3);
        CheckResult viaNetlink = run("-s", listener.kernelName(), "--pending-warning", "2");
        CheckResult viaProc = run("-s", listener.kernelName(), "--pending-warning", "2", "--source", "proc");
        assertEquals(Status.WARNING, viaNetlink.state());
        assertEquals(viaNetlink.state(), viaProc.state());
        assertEquals(viaNetlink.sockets().get(0).metric("usage").value(), viaProc.sockets().get(0).metric("usage").value(), 0.0);
        assertTrue(Report.render(viaProc, new Report.Options(0, false, 0)).text().contains("source: unix /proc/net/unix (--source proc)\n"));
    }

    @Test
    void tcpStateFollowsTheAcceptQueueAcrossTheBoundaries() throws Exception {
        TcpListener listener = tcp.listen(TcpBind.IPV6_LOOPBACK, 9);
        String port = "[::1]:" + listener.port();
        int[] queued = {0, 5, 6, 9};
        Status[] expected = {Status.OK, Status.OK, Status.WARNING, Status.CRITICAL};
        int total = 0;
        for (int i = 0; i < queued.length; i++) {
            if (queued[i] > total) {
                listener.queue(queued[i] - total);
            }
            total = queued[i];
            CheckResult result = run("-b", "socket", "-p", port);
            assertEquals(expected[i], result.state(), total + " of 10 queued");
            assertEquals(10.0 * total, result.sockets().get(0).metric("usage").value(), 1e-9);
        }
    }

    @Test
    void tcpAndUnixInOneRunWorstWins() throws Exception {
        TcpListener web = tcp.listen(TcpBind.IPV4_LOOPBACK, 1);
        web.queue(2);
        UnixListener fpm = sockets.listenAbstract(SocketType.STREAM, 9);
        fpm.queue(6);
        CheckResult result = run("-b", "socket", "-s", fpm.kernelName(), "-p", Integer.toString(web.port()));
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(2, result.sockets().size());
        assertEquals(Status.WARNING, result.sockets().get(0).state(), "unix first: " + fpm.kernelName());
        assertEquals(Status.CRITICAL, result.sockets().get(1).state(), "then TCP: 127.0.0.1:" + web.port());
    }

    @Test
    void synRecvThresholdsCountHandshakesInProgress() throws Exception {
        TcpListener deferred = tcp.listen(TcpBind.IPV4_LOOPBACK, 8, 60);
        deferred.synRecv(3);
        String port = "127.0.0.1:" + deferred.port();
        assertEquals(Status.OK, run("-p", port, "--syn-recv-warning", "3").state());
        CheckResult result = run("-p", port, "--syn-recv-warning", "2");
        assertEquals(Status.WARNING, result.state());
        assertEquals("syn-recv 3 (warning above 2)", reasons(result.sockets().get(0)));
    }

    @Test
    void portWithoutListenerIsNotListening() throws Exception {
        TcpListener closed = tcp.listen(TcpBind.IPV4_LOOPBACK, 1);
        int port = closed.port();
        closed.close();
        CheckResult result = run("-p", Integer.toString(port));
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(java.util.List.of(new MissingSelector(Integer.toString(port), Status.CRITICAL)), result.missing());
    }
}
