package org.checksocketbacklog.testsupport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.oracles.FdInodes;
import org.checksocketbacklog.testsupport.oracles.ProcNetUnix;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.checksocketbacklog.testsupport.oracles.Sysctl;
import org.checksocketbacklog.testsupport.unix.UnixListener.ConnectResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves that the test-support helpers create the kernel states they claim, judged by the
 * kernel's own views: /proc/net/unix, ss (sock_diag), /proc/self/fd and /proc/self/task.
 * Expectations are the facts of docs/kernel-facts.md section 1, written as literals.
 */
class UnixQueueFactsTest {

    /** Every naming and type combination the plugin has to handle. */
    enum Variant {
        STREAM_PATH(SocketType.STREAM, false, "l.sock"),
        SEQPACKET_PATH(SocketType.SEQPACKET, false, "l.sock"),
        STREAM_ABSTRACT(SocketType.STREAM, true, ""),
        SEQPACKET_ABSTRACT(SocketType.SEQPACKET, true, ""),
        STREAM_PATH_WITH_SPACES(SocketType.STREAM, false, "with  two spaces.sock"),
        STREAM_ABSTRACT_WITH_NULS(SocketType.STREAM, true, "\0nul\0");

        final SocketType type;
        final boolean abstractName;
        /** File name in a fresh temp dir, or suffix of a unique abstract name. */
        final String name;

        Variant(SocketType type, boolean abstractName, String name) {
            this.type = type;
            this.abstractName = abstractName;
            this.name = name;
        }
    }

    private UnixListeners sockets;
    /** The name ss and /proc/net/unix must show for the listener made by {@link #create}. */
    private String expectedName;

    @BeforeEach
    void setUp() {
        sockets = new UnixListeners();
    }

    @AfterEach
    void tearDown() {
        sockets.close();
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void backlogThreeHoldsFourAndTheFifthGetsEagain(Variant v) {
        UnixListener l = create(v, 3);

        l.queue(4);
        assertEquals(ConnectResult.WOULD_BLOCK, l.tryConnect(), "connection B+2");
        UnixListener.QueueFullException full = assertThrows(UnixListener.QueueFullException.class, () -> l.queue(1));
        assertEquals(0, full.connected());
        // Independent view: one embryo per queued connection, listed under the listener's name.
        assertEquals(4, ProcNetUnix.embryoCount(expectedName));
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void procNetUnixShowsTheListenerWithItsNameAndType(Variant v) {
        UnixListener l = create(v, 3);

        ProcNetUnix.Entry e = ProcNetUnix.byInode(l.inode()).orElseThrow();
        assertTrue(e.listening(), "__SO_ACCEPTCON flag");
        assertEquals(v.type == SocketType.SEQPACKET ? 5 : 1, e.type(), "SOCK_SEQPACKET = 5, SOCK_STREAM = 1");
        assertEquals(2, e.refCount(), "idle listener");
        assertEquals(expectedName, e.name());
        assertEquals(expectedName, l.kernelName(), "the helper's idea of the name");
        assertTrue(FdInodes.openSocketInodes().contains(l.inode()), "inode belongs to one of our fds");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void ssShowsQueuedAsRecvQAndBacklogAsSendQ(Variant v) {
        assumeTrue(SsView.available(), "ss not installed");
        UnixListener l = create(v, 3);
        l.queue(4);

        List<SsView.Listener> rows = SsView.byName(expectedName);
        assertEquals(1, rows.size(), () -> "rows named " + expectedName + ": " + rows);
        SsView.Listener row = rows.get(0);
        assertEquals(l.inode(), row.inode());
        assertEquals(v.type == SocketType.SEQPACKET ? "u_seq" : "u_str", row.netid());
        assertEquals(4, row.recvQ(), "queued");
        assertEquals(3, row.sendQ(), "backlog");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void blockedConnectorsRaiseRefCountAndStayInvisibleToSs(Variant v) {
        UnixListener l = create(v, 3);
        l.queue(4);
        assertEquals(2, ProcNetUnix.refCount(l.inode()));

        l.startBlockedConnectors(2);

        assertEquals(4, ProcNetUnix.refCount(l.inode()), "idle 2 + 2 blocked");
        assertEquals(2, l.blockedConnectors());
        for (Thread t : l.connectorThreads()) {
            assertEquals(Thread.State.RUNNABLE, t.getState(), "in native connect()");
        }
        if (SsView.available()) {
            SsView.Listener row = SsView.byInode(l.inode()).orElseThrow();
            assertEquals(4, row.recvQ(), "sock_diag does not count blocked connectors");
        }
        assertEquals(4, ProcNetUnix.embryoCount(expectedName));
    }

    @Test
    void acceptingOneLetsOneBlockedConnectorIn() {
        UnixListener l = sockets.listenPath(SocketType.STREAM, 3);
        l.queue(4);
        l.startBlockedConnectors(2);

        l.acceptOne();
        l.awaitConnectorsFinished(1);
        l.awaitRefCount(3);

        assertEquals(List.of(0), l.finishedConnectorResults(), "the woken connector connected");
        assertEquals(1, l.blockedConnectors());
        // The woken connection took the freed slot: the queue is full again.
        assertEquals(4, ProcNetUnix.embryoCount(l.kernelName()));
        assertEquals(ConnectResult.WOULD_BLOCK, l.tryConnect());
    }

    @Test
    void acceptOnEmptyQueueFailsInsteadOfHanging() {
        UnixListener l = sockets.listenAbstract(SocketType.STREAM, 3);
        assertThrows(IllegalStateException.class, l::acceptOne);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void backlogZeroHoldsOne(Variant v) {
        UnixListener l = create(v, 0);

        assertEquals(ConnectResult.CONNECTED, l.tryConnect());
        assertEquals(ConnectResult.WOULD_BLOCK, l.tryConnect());
        if (SsView.available()) {
            SsView.Listener row = SsView.byInode(l.inode()).orElseThrow();
            assertEquals(1, row.recvQ());
            assertEquals(0, row.sendQ());
        }
    }

    @Test
    void backlogAboveSomaxconnIsCappedToSomaxconn() {
        assumeTrue(SsView.available(), "ss not installed");
        int somaxconn = Sysctl.somaxconn();
        UnixListener big = sockets.listenPath(SocketType.STREAM, somaxconn + 1000);
        UnixListener minusOne = sockets.listenAbstract(SocketType.SEQPACKET, -1);

        assertEquals(somaxconn, SsView.byInode(big.inode()).orElseThrow().sendQ());
        assertEquals(somaxconn, SsView.byInode(minusOne.inode()).orElseThrow().sendQ(), "listen(-1) is unsigned");
    }

    @Test
    void listenMinusOneHoldsSomaxconnPlusOne() {
        int somaxconn = Sysctl.somaxconn();
        assumeTrue(somaxconn + 2 <= UnixListener.MAX_CONNECTIONS, "somaxconn too large to fill");
        UnixListener l = sockets.listenAbstract(SocketType.STREAM, -1);

        l.queue(somaxconn + 1);
        assertEquals(ConnectResult.WOULD_BLOCK, l.tryConnect());
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void closeLeavesNothingBehind(Variant v) {
        UnixListener l = create(v, 3);
        l.queue(4);
        l.startBlockedConnectors(2);
        l.acceptOne();
        l.awaitConnectorsFinished(1);
        Set<Long> inodes = new HashSet<>(sockets.ownedSocketInodes());
        List<Thread> threads = l.connectorThreads();
        Set<String> threadNames = new HashSet<>(threads.stream().map(Thread::getName).toList());
        List<Path> dirs = sockets.tempDirectories();
        assertEquals(4 + 2 + 1 + 1, inodes.size(), "4 queued + 2 connectors + 1 accepted + listener");
        l.path().ifPresent(p -> assertTrue(Files.exists(p), "socket file exists while open"));

        sockets.close();

        assertTrue(ProcNetUnix.byInode(l.inode()).isEmpty(), "listener gone from /proc/net/unix");
        assertEquals(0, ProcNetUnix.embryoCount(expectedName), "embryos freed");
        if (SsView.available()) {
            assertEquals(List.of(), SsView.byName(expectedName));
        }
        l.path().ifPresent(p -> assertFalse(Files.exists(p), "socket file deleted: " + p));
        dirs.forEach(d -> assertFalse(Files.exists(d), "temp dir deleted: " + d));
        Set<Long> stillOpen = FdInodes.openSocketInodes();
        stillOpen.retainAll(inodes);
        assertEquals(Set.of(), stillOpen, "sockets still open");
        threads.forEach(t -> assertFalse(t.isAlive(), t.getName()));
        Set<String> tasks = taskNames();
        tasks.retainAll(threadNames);
        assertEquals(Set.of(), tasks, "kernel tasks of connector threads");
        // Closing the listener refuses the waiter (rarely it is let in, docs/kernel-facts.md 1.5).
        for (int r : l.finishedConnectorResults()) {
            assertTrue(r == 0 || r == TestLibc.ECONNREFUSED, "connect() result " + r);
        }
        assertEquals(2, l.finishedConnectorResults().size());
    }

    /**
     * Creates the listener and derives the kernel's spelling of its name from what the test
     * asked for, not from the helper: abstract names get '@' for the leading NUL and for every
     * NUL inside, path names are shown as bound.
     */
    private UnixListener create(Variant v, int backlog) {
        if (v.abstractName) {
            String name = UnixListeners.uniqueName() + v.name;
            expectedName = "@" + name.replace('\0', '@');
            return sockets.listenAbstract(name, v.type, backlog);
        }
        UnixListener l = sockets.listenPath(v.name, v.type, backlog);
        Path path = l.path().orElseThrow();
        assertEquals(v.name, path.getFileName().toString());
        assertTrue(sockets.tempDirectories().contains(path.getParent()), "bound inside a fresh temp dir");
        expectedName = path.toString();
        return l;
    }

    /** comm of every thread of this process, as the kernel knows them. */
    private static Set<String> taskNames() {
        Set<String> names = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                } catch (IOException e) {
                    // the thread exited while we listed
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
