package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.checksocketbacklog.netlink.Datagram;
import org.checksocketbacklog.netlink.Errno;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.netlink.RecordedDump;
import org.checksocketbacklog.netlink.ReplayTransport;
import org.checksocketbacklog.procfs.ProcFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader's choices of source, on recorded replies and a recorded /proc/net/unix. */
class UnixListenerReaderTest {
    private static final RecordedDump DUMP = new RecordedDump("unix-listeners");

    @TempDir
    Path proc;

    private ProcFiles recordedProc() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/unix"), DUMP.procNetUnix());
        return new ProcFiles(proc);
    }

    private static NetlinkTransport.Opener refusing(int errno) {
        return () -> {
            throw new NetlinkException("cannot open a NETLINK_SOCK_DIAG socket", errno);
        };
    }

    @Test
    void sockDiagFiguresWithBlockedFromProc() throws Exception {
        UnixListenerReader reader = new UnixListenerReader(recordedProc(), DUMP::transport);
        ListenerSnapshot<UnixListener> snapshot = reader.read(SourcePreference.AUTO, UnixNameFilter.ALL);
        assertEquals(Source.SOCK_DIAG, snapshot.source());
        assertNull(snapshot.fallbackReason());
        List<UnixListener> counted = reader.countBlocked(snapshot.listeners()).listeners();
        for (RecordedDump.Expected expected : DUMP.expected()) {
            UnixListener listener = counted.stream().filter(l -> l.inode() == expected.inode()).findFirst()
                    .orElseThrow();
            assertEquals(expected.name(), listener.name().procText());
            assertEquals(expected.pending(), listener.pending());
            assertEquals(OptionalLong.of(expected.backlog()), listener.backlog());
            assertEquals(OptionalLong.of(expected.blocked()), listener.blocked(),
                    "RefCount - 2 from the recorded /proc/net/unix");
        }
    }

    /** /proc/net/unix is read for blocked clients only when a queue is full: nobody else can be blocked. */
    @Test
    void procNetUnixIsNotReadWhenNoQueueIsFull() throws Exception {
        UnixListenerReader reader = new UnixListenerReader(new ProcFiles(proc.resolve("absent")), DUMP::transport);
        List<UnixListener> notFull = new ArrayList<>();
        for (UnixListener listener : reader.read(SourcePreference.SOCK_DIAG, UnixNameFilter.ALL).listeners()) {
            if (!listener.full()) {
                notFull.add(listener);
                assertEquals(OptionalLong.of(0), listener.blocked(), "known to be 0 without reading");
            }
        }
        assertTrue(notFull.size() >= 1);
        assertEquals(new UnixListenerReader.BlockedCount(notFull, null), reader.countBlocked(notFull),
                "no /proc/net/unix here, and none needed");
        List<UnixListener> all = reader.read(SourcePreference.SOCK_DIAG, UnixNameFilter.ALL).listeners();
        UnixListenerReader.BlockedCount uncounted = reader.countBlocked(all);
        assertEquals(all, uncounted.listeners(), "a full queue's blocked clients stay uncounted");
        assertTrue(uncounted.unreadable().contains("net/unix"), "and it says why: " + uncounted.unreadable());
    }

    @Test
    void refusedSockDiagFallsBackToProcAndSaysWhy() throws Exception {
        for (int errno : new int[] {Errno.EPROTONOSUPPORT, Errno.EACCES, Errno.EPERM, Errno.ENOENT}) {
            ListenerSnapshot<UnixListener> snapshot = new UnixListenerReader(recordedProc(), refusing(errno))
                    .read(SourcePreference.AUTO, UnixNameFilter.ALL);
            assertEquals(Source.PROC, snapshot.source());
            assertTrue(snapshot.fallbackReason().contains(Errno.describe(errno)), snapshot.fallbackReason());
            for (RecordedDump.Expected expected : DUMP.expected()) {
                UnixListener listener = snapshot.listeners().stream().filter(l -> l.inode() == expected.inode())
                        .findFirst().orElseThrow();
                assertEquals(expected.pending(), listener.pending(), "embryo lines");
                assertEquals(OptionalLong.empty(), listener.backlog());
                assertEquals(OptionalLong.of(expected.blocked()), listener.blocked());
            }
        }
    }

    @Test
    void sockDiagOnlyTurnsARefusalIntoAnError() throws Exception {
        KernelReadException e = assertThrows(KernelReadException.class,
                () -> new UnixListenerReader(recordedProc(), refusing(Errno.EACCES)).read(SourcePreference.SOCK_DIAG, UnixNameFilter.ALL));
        assertEquals("cannot open a NETLINK_SOCK_DIAG socket: EACCES (Permission denied)", e.getMessage());
    }

    @Test
    void failureThatIsNotARefusalDoesNotFallBack() throws Exception {
        KernelReadException e = assertThrows(KernelReadException.class,
                () -> new UnixListenerReader(recordedProc(), refusing(Errno.ENOBUFS)).read(SourcePreference.AUTO, UnixNameFilter.ALL));
        assertTrue(e.getMessage().contains("ENOBUFS"), e.getMessage());
    }

    @Test
    void procOnlyNeverOpensNetlink() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        ListenerSnapshot<UnixListener> snapshot = new UnixListenerReader(recordedProc(), () -> {
            opened.incrementAndGet();
            return DUMP.transport();
        }).read(SourcePreference.PROC, UnixNameFilter.ALL);
        assertEquals(Source.PROC, snapshot.source());
        assertEquals(0, opened.get());
    }

    @Test
    void listenerRepeatedInADumpIsCountedOnce() throws Exception {
        // The records datagram twice, then DONE: as a dump under churn was seen to repeat a listener.
        List<Datagram> replies = DUMP.replies();
        ReplayTransport repeating = new ReplayTransport(List.of(replies.get(0), replies.get(0), replies.get(1)),
                DUMP.sequence());
        ListenerSnapshot<UnixListener> snapshot = new UnixListenerReader(recordedProc(), () -> repeating).read(SourcePreference.AUTO, UnixNameFilter.ALL);
        assertEquals(3, snapshot.listeners().size());
    }
}
