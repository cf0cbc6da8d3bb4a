package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel path on real sockets this test creates: both sources report what was created, and what
 * ss prints.
 */
class RealUnixListenersTest {
    private static final ProcFiles PROC = new ProcFiles(Path.of("/proc"));

    private UnixListeners sockets;
    private UnixListener full;
    private UnixListener seqpacket;
    private UnixListener zeroBacklog;
    private UnixListener idle;

    @BeforeEach
    void createListeners() {
        sockets = new UnixListeners();
        full = sockets.listenPath("full.sock", SocketType.STREAM, 3);
        full.queue(4);
        full.startBlockedConnectors(2);
        seqpacket = sockets.listenAbstract(UnixListeners.uniqueName() + "\0seq", SocketType.SEQPACKET, 5);
        seqpacket.queue(2);
        zeroBacklog = sockets.listenPath("zero backlog.sock", SocketType.STREAM, 0);
        zeroBacklog.queue(1);
        idle = sockets.listenAbstract(SocketType.STREAM, 128);
    }

    @AfterEach
    void closeListeners() {
        sockets.close();
    }

    /** Every listener, with the blocked clients of the full ones counted. */
    private static Map<Long, org.checksocketbacklog.kernel.UnixListener> read(SourcePreference preference) throws KernelReadException {
        UnixListenerReader reader = new UnixListenerReader(PROC, () -> NetlinkSocket.open(5000));
        ListenerSnapshot<org.checksocketbacklog.kernel.UnixListener> snapshot = reader.read(preference, UnixNameFilter.ALL);
        assertNull(snapshot.fallbackReason(), "no fallback on this kernel");
        Map<Long, org.checksocketbacklog.kernel.UnixListener> byInode = new HashMap<>();
        for (org.checksocketbacklog.kernel.UnixListener listener : reader.countBlocked(snapshot.listeners()).listeners()) {
            assertNull(byInode.put(listener.inode(), listener), "inode " + listener.inode() + " listed twice");
        }
        return byInode;
    }

    private static void assertListener(Map<Long, org.checksocketbacklog.kernel.UnixListener> listeners, UnixListener created, SocketKind kind,
            long pending, long backlog, long blocked) {
        org.checksocketbacklog.kernel.UnixListener listener = listeners.get(created.inode());
        assertNotNull(listener, created.kernelName() + " not found");
        assertEquals(created.kernelName(), listener.name().procText());
        assertEquals(kind, listener.kind(), created.kernelName());
        assertEquals(pending, listener.pending(), created.kernelName() + " pending");
        assertEquals(backlog < 0 ? OptionalLong.empty() : OptionalLong.of(backlog), listener.backlog(),
                created.kernelName() + " backlog");
        assertEquals(OptionalLong.of(blocked), listener.blocked(), created.kernelName() + " blocked");
    }

    @Test
    void sockDiagReportsWhatTheTestCreated() throws KernelReadException {
        Map<Long, org.checksocketbacklog.kernel.UnixListener> listeners = read(SourcePreference.SOCK_DIAG);
        assertListener(listeners, full, SocketKind.UNIX_STREAM, 4, 3, 2);
        assertListener(listeners, seqpacket, SocketKind.UNIX_SEQPACKET, 2, 5, 0);
        assertListener(listeners, zeroBacklog, SocketKind.UNIX_STREAM, 1, 0, 0);
        assertListener(listeners, idle, SocketKind.UNIX_STREAM, 0, 128, 0);
    }

    @Test
    void procFallbackReportsTheSamePendingAndBlocked() throws KernelReadException {
        Map<Long, org.checksocketbacklog.kernel.UnixListener> listeners = read(SourcePreference.PROC);
        assertListener(listeners, full, SocketKind.UNIX_STREAM, 4, -1, 2);
        assertListener(listeners, seqpacket, SocketKind.UNIX_SEQPACKET, 2, -1, 0);
        assertListener(listeners, zeroBacklog, SocketKind.UNIX_STREAM, 1, -1, 0);
        assertListener(listeners, idle, SocketKind.UNIX_STREAM, 0, -1, 0);
    }

    @Test
    void bothSourcesAgreeOnTheTestsListeners() throws KernelReadException {
        // Only the test's own: other processes' queues may move between the two reads.
        Map<Long, org.checksocketbacklog.kernel.UnixListener> sockDiag = read(SourcePreference.SOCK_DIAG);
        Map<Long, org.checksocketbacklog.kernel.UnixListener> proc = read(SourcePreference.PROC);
        int compared = 0;
        for (UnixListener created : List.of(full, seqpacket, zeroBacklog, idle)) {
            org.checksocketbacklog.kernel.UnixListener listener = sockDiag.get(created.inode());
            org.checksocketbacklog.kernel.UnixListener other = proc.get(created.inode());
            String name = created.kernelName();
            assertEquals(listener.name().procText(), other.name().procText());
            assertEquals(listener.pending(), other.pending(), name);
            assertEquals(listener.blocked(), other.blocked(), name);
            compared++;
        }
        assertEquals(4, compared);
    }

    @Test
    void sockDiagEqualsWhatSsPrints() throws KernelReadException {
        assumeTrue(SsView.available(), "ss (iproute2) is not installed");
        Map<Long, org.checksocketbacklog.kernel.UnixListener> listeners = read(SourcePreference.SOCK_DIAG);
        List<SsView.Listener> rows = SsView.listeners();
        int compared = 0;
        for (SsView.Listener row : rows) {
            org.checksocketbacklog.kernel.UnixListener listener = listeners.get(row.inode());
            if (listener == null) {
                continue; // a listener of another process that came or went between the two reads
            }
            assertEquals(row.localName(), listener.name().procText());
            assertEquals(row.recvQ(), listener.pending(), row.localName() + " Recv-Q");
            assertEquals(OptionalLong.of(row.sendQ()), listener.backlog(), row.localName() + " Send-Q");
            compared++;
        }
        assertTrue(compared >= 4, "the test's own four listeners were compared, got " + compared);
    }

    @Test
    void backlogAboveSomaxconnIsCappedToIt() throws Exception {
        int somaxconn = PROC.somaxconn();
        UnixListener capped = sockets.listenAbstract(SocketType.STREAM, somaxconn + 1000);
        assertEquals(OptionalLong.of(somaxconn), read(SourcePreference.SOCK_DIAG).get(capped.inode()).backlog());
    }

    @Test
    void somaxconnIsReadWhole() throws Exception {
        // /proc/sys files report size 0; a size-driven read returns their first byte only.
        String text = new String(java.nio.file.Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))
                .readAllBytes()).trim();
        assertEquals(Integer.parseInt(text), PROC.somaxconn());
    }

    @Test
    void cpuCountIsTheProcessorLinesOfCpuinfo() throws Exception {
        long lines = java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.matches("processor\\s*:.*")).count();
        assertTrue(lines > 0);
        assertEquals(lines, PROC.cpuinfoProcessors());
    }
}
