package org.checksocketbacklog;

import static org.checksocketbacklog.arguments.Configs.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Reason;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.report.IcingaWebStates;
import org.checksocketbacklog.report.Report;
import org.checksocketbacklog.state.StateException;
import org.checksocketbacklog.testsupport.libc.TcpLibc;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.oracles.FdInodes;
import org.checksocketbacklog.testsupport.oracles.TcpProcNet;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole check against sockets a hostile local user could make: names that forge lines of
 * /proc/net/unix, names that are not valid UTF-8, listeners that share a name, a SO_REUSEPORT
 * group, IPv4 listeners reached by their v4-mapped address. Real sockets, made by this test.
 */
class HostileSocketsCheckTest {
    private static final int SO_REUSEPORT = 15;
    private static final int SO_BINDTODEVICE = 25;
    private static final long SETTLE_MILLIS = 5000;

    private final SocketBacklogCheck check = new SocketBacklogCheck(new ProcFiles(Path.of("/proc")),
            () -> NetlinkSocket.open(5000));
    private UnixListeners sockets;
    private final List<Integer> fds = new ArrayList<>();
    private final List<SocketChannel> clients = new ArrayList<>();
    private final List<byte[]> socketFiles = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void create() throws IOException {
        sockets = new UnixListeners();
        dir = Files.createTempDirectory("csb-hostile");
    }

    @AfterEach
    void close() throws IOException {
        for (SocketChannel client : clients) {
            client.close();
        }
        for (int fd : fds) {
            TestLibc.close(fd);
        }
        sockets.close();
        for (byte[] file : socketFiles) {
            TestLibc.unlink(file);
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private CheckResult run(String... args) throws UsageException, KernelReadException, StateException {
        return check.run(config(args));
    }

    /** A /proc/net/unix entry as the kernel prints it (unix_seq_show). */
    private static String entry(int refCount, long inode, String printedName) {
        return String.format("0000000000000000: %08X %08X %08X %04X %02X %5d %s", refCount, 0, 0x10000, 1, 1, inode,
                printedName);
    }

    /** Binds a listener whose abstract name is "x", a newline, then {@code forged}: a line of its own in /proc/net/unix. */
    private void forge(String forged) throws IOException {
        sockets.listenAbstract("x\n" + forged, SocketType.STREAM, 0);
        String table;
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/net/unix")) {
            table = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertTrue(table.contains("\n" + forged + "\n"), "the kernel printed the forged entry as a line of its own");
    }

    /**
     * Before, the last /proc/net/unix line per inode won: one line forged by another user's socket
     * name turned 3 blocked clients into 0, and --blocked-critical 0 read OK.
     */
    @Test
    void aForgedProcLineCannotHideBlockedClients() throws Exception {
        UnixListener victim = sockets.listenAbstract(SocketType.STREAM, 1);
        victim.queue(2);
        victim.startBlockedConnectors(3);
        forge(entry(2, victim.inode(), victim.kernelName()));
        CheckResult result = run("-s", victim.kernelName(), "--full-state", "ok", "--blocked-critical", "0");
        assertEquals(Status.CRITICAL, result.state());
        SocketItem item = result.sockets().get(0);
        assertEquals(3, item.metric("blocked").value());
        assertTrue(item.reasons().contains(new Reason.ForgedLines(1, true)), item.reasons().toString());
    }

    /** With /proc alone, an inode on two lines means one is forged: never OK, and the worst line counts. */
    @Test
    void withProcAloneAForgedDuplicateOfAListenerIsUnknown() throws Exception {
        UnixListener victim = sockets.listenAbstract(SocketType.STREAM, 4);
        forge(entry(40, victim.inode(), victim.kernelName()));
        CheckResult result = run("-s", victim.kernelName(), "--source", "proc");
        assertEquals(Status.UNKNOWN, result.state());
        SocketItem item = result.sockets().get(0);
        assertEquals(38, item.metric("blocked").value(), "the worst of the two lines");
        assertEquals(List.of(new Reason.ForgedLines(1, false)), item.reasons());
        assertEquals(Status.OK, run("-s", victim.kernelName()).state(), "sock_diag knows the listener is idle");
    }

    /**
     * Two listeners of one path (the path re-bound while the old socket lives on). sock_diag has
     * each one's queue; /proc/net/unix cannot tell on which one a connection waits, and before gave
     * each the sum of both.
     */
    @Test
    void listenersOfOneNameAreCountedApartOrTogetherNeverTwice() throws Exception {
        Path path = dir.resolve("same.sock");
        UnixListener first = sockets.listenAt(path, SocketType.STREAM, 5);
        first.queue(2);
        Files.delete(path);
        UnixListener second = sockets.listenAt(path, SocketType.STREAM, 5);
        second.queue(3);

        CheckResult viaSockDiag = run("-s", path.toString());
        assertEquals(2, viaSockDiag.sockets().size());
        assertEquals(List.of(2.0, 3.0), viaSockDiag.sockets().stream().map(s -> s.metric("pending").value())
                .sorted().toList());

        CheckResult viaProc = run("-s", path.toString(), "--source", "proc");
        assertEquals(1, viaProc.sockets().size());
        SocketItem group = viaProc.sockets().get(0);
        assertEquals(SocketItem.Shape.SAME_NAME, group.shape());
        assertEquals(5, group.metric("pending").value(), "5 between them, not 5 each");
        long[] inodes = {first.inode(), second.inode()};
        Arrays.sort(inodes);
        assertArrayEquals(inodes, group.inodes());
        String detail = Report.detail(group);
        assertTrue(detail.contains("2 listeners") && detail.contains("5 pending (the split between them is unknown)"),
                detail);
    }

    @Test
    void namesThatDifferOnlyInInvalidBytesStayApart() throws Exception {
        byte[] prefix = (dir + "/").getBytes(StandardCharsets.UTF_8);
        byte[] ff = concat(prefix, new byte[] {(byte) 0xff, '.', 's'});
        byte[] fe = concat(prefix, new byte[] {(byte) 0xfe, '.', 's'});
        sockets.listenAtBytes(ff, SocketType.STREAM, 5).queue(1);
        socketFiles.add(ff);
        sockets.listenAtBytes(fe, SocketType.STREAM, 5).queue(2);
        socketFiles.add(fe);

        CheckResult exact = run("-s", dir + "/\\xff.s");
        assertEquals(1, exact.sockets().size(), "-s with the exact bytes selects exactly that socket");
        assertEquals(1, exact.sockets().get(0).metric("pending").value());

        CheckResult both = run("-s", dir + "/*");
        assertEquals(2, both.sockets().size());
        String text = Report.render(both, new Report.Options(0, false, 0)).text();
        assertTrue(text.contains(dir + "/%FF.s:pending=1;") && text.contains(dir + "/%FE.s:pending=2;"), text);
        assertTrue(text.contains("\n\t\\_[OK] - " + dir + "/\\xff.s (unix stream")
                && text.contains("\n\t\\_[OK] - " + dir + "/\\xfe.s (unix"), text);
        assertNotEquals(both.sockets().get(0).name(), both.sockets().get(1).name());
    }

    /**
     * Names made to pass for an item of another state in Icinga Web: a newline and a forged tag, a
     * state in brackets or parentheses, a tag after a backslash and an n (a line break there), HTML.
     * Each full listener's line is tagged CRITICAL, and no other state shows, at -vvv too.
     */
    @Test
    void aNameCannotPassForAnItemOfAnotherState() throws Exception {
        String prefix = UnixListeners.uniqueName();
        String[] forged = {"\n\t\\_[OK] - @fake (unix stream, inode 1): 0 pending", " [OK] (OK) [UP)",
            "\\n\\_[OK] - after a backslash n", "<span class=\"state-ball ball-size-m state-ok\">",
            "<br>\\_[OK] - after a break"};
        for (String name : forged) {
            sockets.listenAbstract(prefix + name, SocketType.STREAM, 0).queue(1); // backlog 0 holds one: full
        }
        CheckResult result = run("-vvv", "-s", "@" + prefix + "*");
        assertEquals(forged.length, result.sockets().size());
        String text = Report.render(result, new Report.Options(3, false, 0)).text();
        assertEquals(List.of(), IcingaWebStates.untrue(text));
        assertEquals(forged.length, text.lines().filter(l -> l.startsWith("\t\\_[CRITICAL] - @" + prefix)).count(),
                text);
        assertEquals(2 * forged.length, text.lines().filter(l -> l.startsWith("\t")).count(),
                "no line is tagged but the sockets' and their findings' (a backlog of 0): " + text);
    }

    /** The kernel routes connections to ::ffff:127.0.0.1 as IPv4: either spelling finds the listener. */
    @Test
    void aV4MappedListenerAndItsIpv4AddressAreOneDestination() throws Exception {
        int mapped = listenTcp(TcpLibc.AF_INET6, mappedLoopback(0), false);
        int mappedPort = port(mapped);
        CheckResult byIpv4 = run("-p", "127.0.0.1:" + mappedPort);
        assertEquals(List.of("[::ffff:127.0.0.1]:" + mappedPort), byIpv4.sockets().stream().map(SocketItem::name).toList());
        assertEquals(List.of(), byIpv4.missing());

        int plain = listenTcp(TcpLibc.AF_INET, ipv4Loopback(0), false);
        int plainPort = port(plain);
        CheckResult byMapped = run("-p", "[::ffff:127.0.0.1]:" + plainPort);
        assertEquals(List.of("127.0.0.1:" + plainPort), byMapped.sockets().stream().map(SocketItem::name).toList());
    }

    /**
     * inet_diag does not say which member of a SO_REUSEPORT group a request socket belongs to.
     * Before, all of them were counted on one member and 0 on the others. Now each member has its
     * exact accept queue, and the group one SYN-RECV count, judged once.
     */
    @Test
    void aReusePortGroupHasExactQueuesAndOneSharedSynRecvCount() throws Exception {
        int first = listenTcp(TcpLibc.AF_INET, ipv4Loopback(0), true);
        int port = port(first);
        int second = listenTcp(TcpLibc.AF_INET, ipv4Loopback(port), true);
        for (int i = 0; i < 4; i++) {
            clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port))); // silent: a request socket
        }
        for (int i = 0; i < 3; i++) {
            SocketChannel talker = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            clients.add(talker);
            talker.write(ByteBuffer.wrap(new byte[] {1})); // data: an accept-queue child despite DEFER_ACCEPT
        }
        await(() -> synRecv(port) == 4 && acceptQueue(first) + acceptQueue(second) == 3);

        CheckResult result = run("-p", "127.0.0.1:" + port, "--syn-recv-warning", "3");
        assertEquals(3, result.sockets().size(), "two members and the group's line");
        java.util.Map<Long, Long> queues = java.util.Map.of(inode(first), acceptQueue(first), inode(second),
                acceptQueue(second));
        for (int i = 0; i < 2; i++) {
            SocketItem member = result.sockets().get(i);
            assertEquals(queues.get(member.inodes()[0]), (long) member.metric("pending").value(),
                    "each member's own accept queue, as TCP_INFO has it");
            assertEquals(null, member.metric("syn-recv"), "no member's share is known");
        }
        SocketItem group = result.sockets().get(2);
        assertEquals(SocketItem.Shape.REUSEPORT_GROUP, group.shape());
        assertEquals(4, group.metric("syn-recv").value());
        assertEquals("tcp4/127.0.0.1/" + port + ":syn_recv", group.metric("syn-recv").label());
        assertEquals(Status.WARNING, result.state());
        assertEquals(List.of(group), result.significant(), "judged once, on the group");
    }

    /**
     * Anyone may bind an abstract name once per socket type: a seqpacket listener on a stream
     * listener's name, with a full queue, is a real listener and CRITICAL, but the status line says
     * it is the seqpacket one, and the stream listener keeps its own plain perfdata label.
     */
    @Test
    void aSeqpacketListenerOnAStreamListenersAbstractNameIsToldApart() throws Exception {
        String name = UnixListeners.uniqueName();
        UnixListener stream = sockets.listenAbstract(name, SocketType.STREAM, 8);
        UnixListener squatter = sockets.listenAbstract(name, SocketType.SEQPACKET, 0);
        squatter.queue(1); // backlog 0 holds one: full

        CheckResult result = run("-s", "@" + name);
        assertEquals(Status.CRITICAL, result.state());
        String status = org.checksocketbacklog.report.Report.render(result,
                new org.checksocketbacklog.report.Report.Options(0, false, 8192)).text();
        // The holder is this test's JVM: the status line names it before the socket.
        String self = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/comm")).strip() + " (pid "
                + ProcessHandle.current().pid() + "): ";
        assertTrue(status.startsWith("BACKLOG CRITICAL - " + self + "@" + name + " (unix seqpacket) queue full (1 of 1)"),
                status);
        for (SocketItem item : result.sockets()) {
            String expected = item.inodes()[0] == stream.inode() ? "@" + name + ":pending"
                    : "'@" + name + " inode " + squatter.inode() + ":pending'";
            assertEquals(expected, item.metric("pending").label(), item.kind());
        }
    }

    /**
     * A listener bound to lo and an unbound one on the same address and port (two SO_REUSEPORT
     * groups, as their devices differ). The kernel gives every handshake on lo to the bound one, and
     * an IPv4 request socket carries its owner's bound device (what ss prints as 127.0.0.1%lo): so
     * each listener has its own exact count, and no pool is made of them. Before, the bound one was
     * given every request whatever its device, or both were pooled.
     */
    @Test
    void anIpv4ListenerBoundToADeviceHasItsOwnSynRecvCount() throws Exception {
        int unbound = listenTcp(TcpLibc.AF_INET, ipv4Loopback(0), true);
        int port = port(unbound);
        int bound = TcpLibc.socket(TcpLibc.AF_INET);
        fds.add(bound);
        TcpLibc.setBytesOption(bound, TestLibc.SOL_SOCKET, SO_BINDTODEVICE, "lo\0".getBytes(StandardCharsets.US_ASCII));
        TcpLibc.setIntOption(bound, TestLibc.SOL_SOCKET, SO_REUSEPORT, 1);
        TcpLibc.setIntOption(bound, TcpLibc.IPPROTO_TCP, TcpLibc.TCP_DEFER_ACCEPT, 60);
        TestLibc.bind(bound, ipv4Loopback(port));
        TestLibc.listen(bound, 8);
        for (int i = 0; i < 3; i++) {
            clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port))); // silent: a request socket
        }
        await(() -> synRecv(port) == 3);

        CheckResult result = run("-p", "127.0.0.1:" + port, "--syn-recv-warning", "2");
        assertEquals(2, result.sockets().size(), "the two listeners, and no pool");
        java.util.Map<Long, SocketItem> byInode = new java.util.HashMap<>();
        for (SocketItem item : result.sockets()) {
            byInode.put(item.inodes()[0], item);
            assertEquals(SocketItem.Shape.LISTENER, item.shape());
            assertEquals("'tcp4/127.0.0.1/" + port + " inode " + item.inodes()[0] + ":syn_recv'",
                    item.metric("syn-recv").label());
        }
        assertEquals(3, byInode.get(inode(bound)).metric("syn-recv").value(), "every handshake on lo is the bound one's");
        assertEquals(0, byInode.get(inode(unbound)).metric("syn-recv").value());
        assertEquals(List.of(byInode.get(inode(bound))), result.significant());
        assertEquals(Status.WARNING, result.state());
    }

    private int listenTcp(int family, byte[] sockaddr, boolean reusePort) {
        int fd = TcpLibc.socket(family);
        fds.add(fd);
        if (family == TcpLibc.AF_INET6) {
            TcpLibc.setIntOption(fd, TcpLibc.IPPROTO_IPV6, TcpLibc.IPV6_V6ONLY, 0);
        }
        if (reusePort) {
            TcpLibc.setIntOption(fd, TestLibc.SOL_SOCKET, SO_REUSEPORT, 1);
            TcpLibc.setIntOption(fd, TcpLibc.IPPROTO_TCP, TcpLibc.TCP_DEFER_ACCEPT, 60);
        }
        TestLibc.bind(fd, sockaddr);
        TestLibc.listen(fd, 8);
        return fd;
    }

    private static byte[] ipv4Loopback(int port) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putShort((short) TcpLibc.AF_INET)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port).put(new byte[] {127, 0, 0, 1}).array();
    }

    /** sockaddr_in6 for ::ffff:127.0.0.1, which InetAddress would turn into an IPv4 address. */
    private static byte[] mappedLoopback(int port) {
        byte[] address = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        return ByteBuffer.allocate(28).order(ByteOrder.nativeOrder()).putShort((short) TcpLibc.AF_INET6)
                .order(ByteOrder.BIG_ENDIAN).putShort((short) port).putInt(0).put(address).putInt(0).array();
    }

    private static int port(int fd) {
        return Short.toUnsignedInt(ByteBuffer.wrap(TcpLibc.getsockname(fd)).order(ByteOrder.BIG_ENDIAN).getShort(2));
    }

    private static long inode(int fd) {
        return FdInodes.socketInode(fd).orElseThrow();
    }

    private static long acceptQueue(int fd) {
        return TcpLibc.tcpInfo(fd).acceptQueue();
    }

    private static long synRecv(int port) {
        return TcpProcNet.read().stream().filter(e -> e.state() == TcpProcNet.ST_SYN_RECV && e.localPort() == port)
                .count();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the kernel did not reach the state within " + SETTLE_MILLIS + " ms");
            }
            Thread.sleep(10);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
