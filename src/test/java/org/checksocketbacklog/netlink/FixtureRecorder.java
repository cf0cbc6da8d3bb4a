package org.checksocketbacklog.netlink;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.tcp.TcpBind;
import org.checksocketbacklog.testsupport.tcp.TcpListener;
import org.checksocketbacklog.testsupport.tcp.TcpListeners;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;

/**
 * Records the binary fixtures in test-fixtures/netlink from the running kernel. Not a test: run it
 * by hand (see test-fixtures/README.md) when a fixture must be made again.
 *
 * <p>Unlike the tests, which read the copy on the test classpath ({@link RecordedDump#ROOT}), the
 * recorder writes into the source tree: by default to test-fixtures/netlink relative to the working
 * directory, so run it from the project root (or pass the directory). The tests see a new recording
 * once Maven has copied it again (any build from {@code process-test-resources} on).
 *
 * <p>Each scenario directory holds the request we sent, every reply datagram as received, the
 * /proc/net/unix and {@code ss -xlH} views taken right after the dump, and {@code expected.tsv}: the
 * listeners the recorder created, with the figures it created them with.
 */
public final class FixtureRecorder {
    static final int SEQUENCE = 4242;

    private FixtureRecorder() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "test-fixtures/netlink");
        List<String> only = args.length > 1 ? List.of(args).subList(1, args.length) : List.of();
        if (only.isEmpty() || only.contains("unix")) {
            recordListeners(root.resolve("unix-listeners"));
            recordMany(root.resolve("unix-multipart"), NetlinkSocket.RECEIVE_BUFFER_BYTES);
            recordMany(root.resolve("unix-truncated"), 2048);
            recordError(root.resolve("error-einval"));
        }
        if (only.isEmpty() || only.contains("tcp")) {
            recordTcp(root.resolve("tcp-listeners"));
        }
    }

    /**
     * TCP on loopback: an IPv4 listener (backlog 3, 4 queued), an IPv6 one (backlog 5, 2 queued), an
     * IPv4 DEFER_ACCEPT listener with 3 silent clients in SYN-RECV, and a dual-stack [::] DEFER_ACCEPT
     * listener with 2 IPv4 and 1 IPv6 silent clients. Four conversations (listeners and SYN-RECV, per
     * family, unfiltered) and the /proc and ss views.
     */
    static void recordTcp(Path dir) throws Exception {
        try (TcpListeners sockets = new TcpListeners()) {
            TcpListener v4 = sockets.listen(TcpBind.IPV4_LOOPBACK, 3);
            v4.queue(4);
            TcpListener v6 = sockets.listen(TcpBind.IPV6_LOOPBACK, 5);
            v6.queue(2);
            TcpListener deferred = sockets.listen(TcpBind.IPV4_LOOPBACK, 7, 60);
            deferred.synRecv(3);
            TcpListener dual = sockets.listen(TcpBind.DUAL_STACK_ANY, 6, 60);
            dual.synRecv(2, InetAddress.getByName("127.0.0.1"));
            dual.synRecv(1, InetAddress.getByName("::1"));
            String expected = "# name\tkind\tinode\tpending\tbacklog\tsyn-recv\n"
                    + tcpRow(v4, 4, 3, 0) + tcpRow(v6, 2, 5, 0) + tcpRow(deferred, 0, 7, 3) + tcpRow(dual, 0, 6, 3);
            String description = "TCP loopback: IPv4 backlog 3 with 4 queued; IPv6 ::1 backlog 5 with 2 queued; IPv4 "
                    + "DEFER_ACCEPT backlog 7 with 3 in SYN-RECV; dual-stack [::] DEFER_ACCEPT backlog 6 with 2 IPv4 "
                    + "and 1 IPv6 clients in SYN-RECV";
            record(dir.resolve("v4-listen"), NetlinkSocket.RECEIVE_BUFFER_BYTES,
                    InetDiag.listenerRequest(InetDiag.AF_INET, List.of()), expected, description);
            record(dir.resolve("v4-synrecv"), NetlinkSocket.RECEIVE_BUFFER_BYTES,
                    InetDiag.synRecvRequest(InetDiag.AF_INET, List.of()), expected, description);
            record(dir.resolve("v6-listen"), NetlinkSocket.RECEIVE_BUFFER_BYTES,
                    InetDiag.listenerRequest(InetDiag.AF_INET6, List.of()), expected, description);
            record(dir.resolve("v6-synrecv"), NetlinkSocket.RECEIVE_BUFFER_BYTES,
                    InetDiag.synRecvRequest(InetDiag.AF_INET6, List.of()), expected, description);
            Files.writeString(dir.resolve("proc-net-tcp.txt"), readProc("/proc/net/tcp"));
            Files.writeString(dir.resolve("proc-net-tcp6.txt"), readProc("/proc/net/tcp6"));
            Files.writeString(dir.resolve("proc-net-netstat.txt"), readProc("/proc/net/netstat"));
            Files.writeString(dir.resolve("ss-ltnHe.txt"),
                    BoundedProcess.run(List.of("ss", "-ltnHe"), Duration.ofSeconds(10)).stdout());
            Files.writeString(dir.resolve("ss-synrecv.txt"),
                    BoundedProcess.run(List.of("ss", "-ntH", "state", "syn-recv"), Duration.ofSeconds(10)).stdout());
            Files.writeString(dir.resolve("expected.tsv"), expected);
        }
    }

    private static String tcpRow(TcpListener listener, int pending, int backlog, int synRecv) {
        String kind = listener.family() == java.net.StandardProtocolFamily.INET6 ? "TCP6" : "TCP4";
        return listener.port() + "\t" + kind + "\t" + listener.inode() + "\t" + pending + "\t" + backlog + "\t"
                + synRecv + "\n";
    }

    private static String readProc(String file) throws IOException {
        try (var in = new java.io.FileInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A path stream listener, full, with blocked clients; an abstract seqpacket one; a path with a space. */
    static void recordListeners(Path dir) throws Exception {
        try (UnixListeners sockets = new UnixListeners()) {
            UnixListener full = sockets.listenPath("full.sock", SocketType.STREAM, 3);
            full.queue(4);
            full.startBlockedConnectors(2);
            UnixListener seq = sockets.listenAbstract("csb-fixture\0seq", SocketType.SEQPACKET, 5);
            seq.queue(2);
            UnixListener spaced = sockets.listenPath("with space.sock", SocketType.STREAM, 0);
            spaced.queue(1);
            StringBuilder expected = new StringBuilder("# name\tkind\tinode\tpending\tbacklog\tblocked\n");
            expected.append(row(full, 4, 3, 2)).append(row(seq, 2, 5, 0)).append(row(spaced, 1, 0, 0));
            record(dir, NetlinkSocket.RECEIVE_BUFFER_BYTES, UnixDiag.listenerRequest(), expected.toString(),
                    "three listeners: a full stream path listener (backlog 3, 4 queued, 2 clients blocked in "
                            + "connect()), an abstract seqpacket listener whose name holds a NUL (backlog 5, 2 "
                            + "queued) and a stream path with a space (backlog 0, 1 queued)");
        }
    }

    /** 400 listeners: more than one datagram, or (with a 2 KiB buffer) a truncated one. */
    static void recordMany(Path dir, int receiveBuffer) throws Exception {
        try (UnixListeners sockets = new UnixListeners()) {
            StringBuilder expected = new StringBuilder("# name\tkind\tinode\tpending\tbacklog\tblocked\n");
            for (int i = 0; i < 400; i++) {
                int backlog = i % 7;
                int queued = i % 3 == 0 ? Math.min(i % 5, backlog + 1) : 0;
                UnixListener listener = i % 2 == 0
                        ? sockets.listenAbstract("csb-many-" + i, SocketType.STREAM, backlog)
                        : sockets.listenPath("many-" + i + ".sock", SocketType.SEQPACKET, backlog);
                listener.queue(queued);
                expected.append(row(listener, queued, backlog, 0));
            }
            record(dir, receiveBuffer, UnixDiag.listenerRequest(), expected.toString(),
                    "400 listeners (even: abstract stream @csb-many-i, odd: seqpacket path many-i.sock; backlog i%7; "
                            + "queued min(i%5, backlog+1) when i%3==0) read with a " + receiveBuffer + "-byte buffer");
        }
    }

    /** sdiag_family 255 is above AF_MAX: the kernel answers NLMSG_ERROR with -EINVAL. */
    static void recordError(Path dir) throws Exception {
        byte[] request = UnixDiag.listenerRequest();
        request[0] = (byte) 255;
        record(dir, NetlinkSocket.RECEIVE_BUFFER_BYTES, request, "# no listeners\n",
                "a request with sdiag_family 255 (above AF_MAX), answered with NLMSG_ERROR");
    }

    private static String row(UnixListener listener, int pending, int backlog, int blocked) {
        String kind = listener.type() == SocketType.STREAM ? "UNIX_STREAM" : "UNIX_SEQPACKET";
        return listener.kernelName() + "\t" + kind + "\t" + listener.inode() + "\t" + pending + "\t" + backlog
                + "\t" + blocked + "\n";
    }

    private static void record(Path dir, int receiveBuffer, byte[] familyRequest, String expected, String description)
            throws Exception {
        Files.createDirectories(dir);
        try (var old = Files.list(dir)) {
            for (Path file : old.toList()) {
                Files.delete(file);
            }
        }
        ByteBuffer request = Netlink.dumpRequest(SEQUENCE, familyRequest);
        Files.write(dir.resolve("request.bin"), toArray(request));
        List<Datagram> replies = new ArrayList<>();
        try (NetlinkSocket socket = NetlinkSocket.open(5000, receiveBuffer)) {
            socket.send(request);
            for (int i = 0; i < 10_000; i++) {
                Datagram datagram = socket.receive();
                replies.add(datagram);
                if (datagram.truncated() || endsDump(datagram)) {
                    break;
                }
            }
        }
        String procNetUnix = new String(new java.io.FileInputStream("/proc/net/unix").readAllBytes(),
                StandardCharsets.UTF_8);
        BoundedProcess.Result ss = BoundedProcess.run(List.of("ss", "-xlH"), Duration.ofSeconds(10));

        Properties meta = new Properties();
        meta.setProperty("description", description);
        meta.setProperty("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        meta.setProperty("machine", System.getProperty("os.arch"));
        meta.setProperty("recorded", Instant.now().toString());
        meta.setProperty("sequence", Integer.toString(SEQUENCE));
        meta.setProperty("receiveBuffer", Integer.toString(receiveBuffer));
        meta.setProperty("replies", Integer.toString(replies.size()));
        for (int i = 0; i < replies.size(); i++) {
            Datagram datagram = replies.get(i);
            String name = String.format("reply-%03d.bin", i);
            Files.write(dir.resolve(name), toArray(datagram.bytes()));
            meta.setProperty(name + ".fullLength", Integer.toString(datagram.fullLength()));
        }
        try (var out = Files.newBufferedWriter(dir.resolve("meta.properties"))) {
            meta.store(out, "recorded by org.checksocketbacklog.netlink.FixtureRecorder");
        }
        Files.writeString(dir.resolve("proc-net-unix.txt"), procNetUnix);
        Files.writeString(dir.resolve("ss-xlH.txt"), ss.stdout());
        Files.writeString(dir.resolve("expected.tsv"), expected);
        System.out.println(dir + ": " + replies.size() + " datagram(s)");
    }

    private static boolean endsDump(Datagram datagram) {
        ByteBuffer bytes = datagram.bytes();
        int position = 0;
        while (position + Netlink.HEADER_LENGTH <= bytes.limit()) {
            int length = bytes.getInt(position);
            int type = Short.toUnsignedInt(bytes.getShort(position + 4));
            if (type == Netlink.NLMSG_DONE || type == Netlink.NLMSG_ERROR) {
                return true;
            }
            if (length < Netlink.HEADER_LENGTH) {
                return true;
            }
            position += Netlink.align(length);
        }
        return false;
    }

    private static byte[] toArray(ByteBuffer buffer) throws IOException {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
