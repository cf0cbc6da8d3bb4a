package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.checksocketbacklog.netlink.Datagram;
import org.checksocketbacklog.netlink.RecordedDump;
import org.checksocketbacklog.netlink.ReplayTransport;
import org.checksocketbacklog.procfs.ProcFileException;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.procfs.ProcNetTcp;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP reader on inet_diag replies, /proc/net/tcp{,6} and /proc/net/netstat recorded from a real
 * kernel (test-fixtures/netlink/tcp-listeners), checked against what the recorder created and ss showed.
 */
class TcpFixtureTest {
    /** sdiag_family of AF_INET, the first byte of a request's payload (after the 16-byte nlmsghdr). */
    private static final byte AF_INET = 2;

    static final Path DIR = RecordedDump.ROOT.resolve("tcp-listeners");

    /** port, kind, inode, pending, backlog, syn-recv. */
    record Expected(int port, String kind, long inode, long pending, long backlog, long synRecv) {
    }

    @TempDir
    Path proc;

    static List<Expected> expected() throws IOException {
        List<Expected> rows = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("expected.tsv"))) {
            if (!line.startsWith("#")) {
                String[] f = line.split("\t");
                rows.add(new Expected(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5])));
            }
        }
        return rows;
    }

    private ProcFiles recordedProc() throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.copy(DIR.resolve("proc-net-tcp.txt"), proc.resolve("net/tcp"));
        Files.copy(DIR.resolve("proc-net-tcp6.txt"), proc.resolve("net/tcp6"));
        Files.copy(DIR.resolve("proc-net-netstat.txt"), proc.resolve("net/netstat"));
        Files.createDirectories(proc.resolve("sys/net/ipv4"));
        Files.writeString(proc.resolve("sys/net/ipv4/tcp_max_syn_backlog"), "2048\n");
        Files.writeString(proc.resolve("sys/net/ipv4/tcp_syncookies"), "1\n");
        return new ProcFiles(proc);
    }

    /**
     * The four recorded conversations, in the order the reader asks: the listeners of both families,
     * then the SYN-RECV request sockets of each family that has a listener.
     */
    private static ReplayTransport replay() {
        List<List<Datagram>> conversations = new ArrayList<>();
        int sequence = 0;
        for (String part : new String[] {"v4-listen", "v6-listen", "v4-synrecv", "v6-synrecv"}) {
            RecordedDump dump = new RecordedDump(DIR.resolve(part));
            conversations.add(dump.replies());
            sequence = dump.sequence();
        }
        return ReplayTransport.ofConversations(conversations, sequence);
    }

    private static Map<Long, TcpListener> byInode(ListenerSnapshot<TcpListener> snapshot) {
        Map<Long, TcpListener> listeners = new HashMap<>();
        snapshot.listeners().forEach(listener -> listeners.put(listener.inode(), listener));
        return listeners;
    }

    @Test
    void sockDiagRepliesGiveWhatWasCreated() throws Exception {
        ReplayTransport transport = replay();
        Map<Long, TcpListener> listeners = byInode(new TcpListenerReader(recordedProc(), () -> transport)
                .read(SourcePreference.SOCK_DIAG, List.of()));
        for (Expected expected : expected()) {
            TcpListener listener = listeners.get(expected.inode());
            assertNotNull(listener, "port " + expected.port());
            assertEquals(SocketKind.valueOf(expected.kind()), listener.kind());
            assertEquals(expected.port(), listener.endpoint().port());
            assertEquals(expected.pending(), listener.pending(), "port " + expected.port() + " pending");
            assertEquals(OptionalLong.of(expected.backlog()), listener.backlog(), "port " + expected.port() + " backlog");
            assertEquals(expected.synRecv(), listener.synRecv().count(), "port " + expected.port() + " syn-recv");
            assertEquals(1, listener.synRecv().sharedBy(), "port " + expected.port() + " syn-recv is its own");
        }
        assertEquals(4, transport.sent().size(), "listeners and SYN-RECV, for each family");
    }

    /** A reply that lists no socket: NLMSG_DONE alone. */
    private static List<Datagram> emptyDump(int sequence) {
        java.nio.ByteBuffer done = java.nio.ByteBuffer.allocate(20).order(java.nio.ByteOrder.nativeOrder());
        done.putInt(20).putShort((short) 3).putShort((short) 2).putInt(sequence).putInt(0).putInt(0).flip();
        return List.of(new Datagram(done, 20));
    }

    /** A request dump walks every connected socket of the host; a family without a listener needs none. */
    /**
     * INET_DIAG_CGROUP_ID, sent unasked by 5.7+: the recorder ran in the root cgroup of the unified
     * hierarchy, whose id (the inode of its directory) is 1; /proc has no such column.
     */
    @Test
    void sockDiagRepliesGiveTheSocketsCgroup() throws Exception {
        ReplayTransport transport = replay();
        ProcFiles recorded = recordedProc();
        Map<Long, TcpListener> fromSockDiag = byInode(new TcpListenerReader(recorded, () -> transport)
                .read(SourcePreference.SOCK_DIAG, List.of()));
        Map<Long, TcpListener> fromProc = byInode(new TcpListenerReader(recorded, () -> {
            throw new AssertionError("no netlink with --source proc");
        }).read(SourcePreference.PROC, List.of()));
        for (Expected expected : expected()) {
            assertEquals(1, fromSockDiag.get(expected.inode()).cgroupId(), "port " + expected.port());
            assertEquals(0, fromProc.get(expected.inode()).cgroupId(), "port " + expected.port());
        }
    }

    @Test
    void aFamilyWithoutAListenerGetsNoRequestDump() throws Exception {
        RecordedDump v4Listen = new RecordedDump(DIR.resolve("v4-listen"));
        RecordedDump v4SynRecv = new RecordedDump(DIR.resolve("v4-synrecv"));
        ReplayTransport transport = ReplayTransport.ofConversations(List.of(v4Listen.replies(),
                emptyDump(v4Listen.sequence()), v4SynRecv.replies()), v4Listen.sequence());
        Map<Long, TcpListener> listeners = byInode(new TcpListenerReader(recordedProc(), () -> transport)
                .read(SourcePreference.SOCK_DIAG, List.of()));
        assertEquals(3, transport.sent().size(), "both listener dumps, and the AF_INET request dump only");
        assertEquals(AF_INET, transport.sent().get(2).get(16), "the last is AF_INET's");
        for (Expected expected : expected()) {
            if (expected.kind().equals("TCP4")) {
                assertEquals(expected.synRecv(), listeners.get(expected.inode()).synRecv().count(),
                        "port " + expected.port());
            }
        }
    }

    @Test
    void procTablesGiveTheSamePendingAndSynRecv() throws Exception {
        Map<Long, TcpListener> listeners = byInode(new TcpListenerReader(recordedProc(), () -> {
            throw new AssertionError("no netlink with --source proc");
        }).read(SourcePreference.PROC, List.of()));
        for (Expected expected : expected()) {
            TcpListener listener = listeners.get(expected.inode());
            assertNotNull(listener, "port " + expected.port());
            assertEquals(expected.pending(), listener.pending(), "port " + expected.port() + " pending");
            assertEquals(OptionalLong.empty(), listener.backlog());
            assertEquals(expected.synRecv(), listener.synRecv().count(), "port " + expected.port() + " syn-recv");
        }
    }

    @Test
    void figuresEqualWhatSsPrintedAtTheSameMoment() throws Exception {
        ReplayTransport transport = replay();
        Map<Long, TcpListener> listeners = byInode(new TcpListenerReader(recordedProc(), () -> transport)
                .read(SourcePreference.SOCK_DIAG, List.of()));
        List<SsView.TcpRow> rows = SsView.parseTcp(Files.readString(DIR.resolve("ss-ltnHe.txt")), null);
        assertEquals(rows.size(), listeners.size());
        for (SsView.TcpRow row : rows) {
            TcpListener listener = listeners.get(row.inode());
            assertNotNull(listener, row.local());
            assertEquals(row.recvQ(), listener.pending(), row.local());
            assertEquals(OptionalLong.of(row.sendQ()), listener.backlog(), row.local());
        }
        List<SsView.TcpRow> synRecv = SsView.parseTcp(Files.readString(DIR.resolve("ss-synrecv.txt")), SsView.SYN_RECV);
        long total = listeners.values().stream().mapToLong(listener -> listener.synRecv().count()).sum();
        assertEquals(synRecv.size(), total, "every SYN-RECV row ss showed is counted to a listener");
    }

    @Test
    void netstatCountersAreRead() throws Exception {
        ProcFiles proc = recordedProc();
        HostFigures.Tcp figures = new HostFigures.Tcp(proc.tcpMaxSynBacklog(), proc.tcpSyncookies(),
                proc.tcpExtCounters(HostFigures.Tcp.COUNTERS));
        assertEquals(2048, figures.maxSynBacklog());
        assertEquals(1, figures.syncookies());
        assertEquals(List.of(HostFigures.Tcp.COUNTERS), new ArrayList<>(figures.counters().keySet()));
        // The recorded file's values, found by name in its TcpExt header and value lines.
        String[] lines = Files.readString(DIR.resolve("proc-net-netstat.txt")).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:")) {
                List<String> names = List.of(lines[i].split(" "));
                String[] values = lines[i + 1].split(" ");
                for (String counter : HostFigures.Tcp.COUNTERS) {
                    assertEquals(Long.parseLong(values[names.indexOf(counter)]), figures.counters().get(counter), counter);
                }
                break;
            }
        }
    }

    @Test
    void procNetTcpAddressesDecode() throws Exception {
        List<ProcNetTcp.Row> rows = ProcNetTcp.parse(Files.readString(DIR.resolve("proc-net-tcp6.txt")), "tcp6");
        assertTrue(rows.stream().anyMatch(row -> IpAddresses.format(row.localAddress()).equals("::1")));
        assertTrue(rows.stream().anyMatch(row -> IpAddresses.format(row.localAddress()).equals("::ffff:127.0.0.1")),
                "IPv4 clients of the dual-stack listener are v4-mapped rows of tcp6");
    }

    @Test
    void malformedTablesAreErrors() {
        assertThrows(ProcFileException.class, () -> ProcNetTcp.parse("nonsense\n", "/proc/net/tcp"));
        ProcFileException e = assertThrows(ProcFileException.class, () -> ProcNetTcp.parse(
                "  sl  local_address rem_address   st\n   0: 0100007F:ZZZZ 00000000:0000 0A\n", "/proc/net/tcp"));
        assertTrue(e.getMessage().startsWith("/proc/net/tcp has a line that cannot be read"), e.getMessage());
    }
}
