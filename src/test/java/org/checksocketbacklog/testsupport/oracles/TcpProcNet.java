package org.checksocketbacklog.testsupport.oracles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.testsupport.libc.TcpLibc;

/**
 * Reader of {@code /proc/net/tcp} and {@code /proc/net/tcp6}: a view of TCP sockets that does
 * not go through sock_diag, so it is independent of ss and of the plugin.
 *
 * <p>What the kernel prints (net/ipv4/tcp_ipv4.c get_tcp4_sock, get_openreq4, get_timewait4_sock
 * and their IPv6 twins):
 * <ul>
 *   <li>addresses as 32-bit words printed with {@code %08X} from the raw network-order value, so
 *       on a little-endian machine {@code 0100007F} is 127.0.0.1; IPv6 is four such words;
 *       ports as plain {@code %04X} numbers;</li>
 *   <li>for a LISTEN socket (st 0A) {@code rx_queue} is the accept queue (sk_ack_backlog), the
 *       figure ss shows as Recv-Q; the backlog itself is not printed here;</li>
 *   <li>a request socket (TCP_NEW_SYN_RECV) is printed with st 03, the listener's local address
 *       and port, and inode 0;</li>
 *   <li>a child waiting in the accept queue has no file yet, so its inode is 0 until accept();</li>
 *   <li>a dual-stack {@code [::]} listener's IPv4 peers appear in tcp6 with v4-mapped addresses.</li>
 * </ul>
 * Not a snapshot: the kernel walks its hash tables while sockets come and go.
 */
public final class TcpProcNet {
    public static final int ST_ESTABLISHED = TcpLibc.TCP_ESTABLISHED;
    public static final int ST_SYN_SENT = TcpLibc.TCP_SYN_SENT;
    public static final int ST_SYN_RECV = TcpLibc.TCP_SYN_RECV;
    public static final int ST_TIME_WAIT = TcpLibc.TCP_TIME_WAIT;
    public static final int ST_LISTEN = TcpLibc.TCP_LISTEN;

    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");
    private static final Pattern LINE = Pattern.compile(
            "^ *\\d+: ([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4}) ([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4}) ([0-9A-F]{2})"
                    + " ([0-9A-F]{8}):([0-9A-F]{8}) [0-9A-F]{2}:[0-9A-F]{8} [0-9A-F]{8}"
                    + " +(\\d+) +-?\\d+ (\\d+)(?: .*)?$");

    /**
     * One row. {@code ipv6} tells which file it came from; a v4-mapped address in tcp6 is
     * returned as an Inet4Address (that is how {@link InetAddress#getByAddress} maps it).
     */
    public record Entry(boolean ipv6, InetAddress localAddress, int localPort, InetAddress remoteAddress,
            int remotePort, int state, long txQueue, long rxQueue, long uid, long inode) {
        /** Accept queue length, for a LISTEN row. */
        public long acceptQueue() {
            return rxQueue;
        }
    }

    private TcpProcNet() {
    }

    /** Both files; tcp6 is skipped when IPv6 is disabled in this kernel. */
    public static List<Entry> read() {
        List<Entry> all = new ArrayList<>(parse(readFile(TCP).orElseThrow(), false));
        readFile(TCP6).ifPresent(text -> all.addAll(parse(text, true)));
        return all;
    }

    private static Optional<String> readFile(Path p) {
        try {
            // seq_file honours offsets, so reading in several chunks is fine here (unlike /proc/sys).
            return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one file's text; {@code ipv6} says whether it is tcp6 (32 hex digits per address). */
    public static List<Entry> parse(String text, boolean ipv6) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) { // line 0 is the header
            if (lines[i].isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(lines[i]);
            int width = ipv6 ? 32 : 8;
            if (!m.matches() || m.group(1).length() != width || m.group(3).length() != width) {
                throw new IllegalArgumentException("unexpected /proc/net/tcp" + (ipv6 ? "6" : "") + " line: "
                        + lines[i]);
            }
            entries.add(new Entry(ipv6, address(m.group(1)), Integer.parseInt(m.group(2), 16), address(m.group(3)),
                    Integer.parseInt(m.group(4), 16), Integer.parseInt(m.group(5), 16),
                    Long.parseLong(m.group(6), 16), Long.parseLong(m.group(7), 16),
                    Long.parseLong(m.group(8)), Long.parseLong(m.group(9))));
        }
        return entries;
    }

    /** Each group of 8 hex digits is one u32 of network-order bytes printed as a host-order int. */
    static InetAddress address(String hex) {
        ByteBuffer b = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            b.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        try {
            return InetAddress.getByAddress(b.array());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(hex, e); // only for a wrong length, excluded by the pattern
        }
    }

    /** The socket with this inode (0 is shared by request sockets and unaccepted children). */
    public static Optional<Entry> byInode(long inode) {
        if (inode == 0) {
            throw new IllegalArgumentException("inode 0 is shared by request sockets and queued children");
        }
        return read().stream().filter(e -> e.inode() == inode).findFirst();
    }

    /** Rows in {@code state} whose local port is {@code port}, from both files. */
    public static List<Entry> withLocalPort(int port, int state) {
        return read().stream().filter(e -> e.localPort() == port && e.state() == state).toList();
    }

    /** Request sockets (st 03) on a listener's port: one per handshaken client that DEFER_ACCEPT holds back. */
    public static long synRecvCount(int port) {
        return withLocalPort(port, ST_SYN_RECV).size();
    }
}
