package org.checksocketbacklog.testsupport.libc;

import static org.checksocketbacklog.testsupport.libc.Libc.C;
import static org.checksocketbacklog.testsupport.libc.Libc.call;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The libc calls the TCP test helpers need beyond {@link TestLibc}: sockets of family AF_INET and
 * AF_INET6, getsockname, and socket options. Calls that do not depend on the family (bind,
 * listen, connect, accept, fcntl, close) stay in {@link TestLibc}, which passes the sockaddr bytes
 * through unchanged.
 *
 * <p>Why JNA rather than {@code java.nio}: TCP_DEFER_ACCEPT, TCP_INFO and SO_LINGER with a zero
 * timeout on a non-blocking socket have no Java API, and fd numbers are needed to find each
 * socket's inode in /proc/self/fd. Constants are the Linux x86_64/aarch64 values (checked with
 * gcc against the system headers: TCP_DEFER_ACCEPT 9, TCP_INFO 11, IPV6_V6ONLY 26).
 */
public final class TcpLibc {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;

    public static final int SO_ERROR = 4;
    public static final int SO_LINGER = 13;
    public static final int IPV6_V6ONLY = 26;
    /** Seconds; the kernel stores it as a count of SYN-ACK timeouts and reports it rounded up. */
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_INFO = 11;

    public static final int EINPROGRESS = 115;

    /** tcpi_state values (include/net/tcp_states.h), the same numbers as /proc/net/tcp's "st" column. */
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_LISTEN = 10;

    /** sizeof(struct tcp_info) in uapi 6.x; the kernel copies min(len, its size), so more is harmless. */
    private static final int TCP_INFO_LEN = 232;
    /** Offsets in struct tcp_info: u8 tcpi_state at 0, u32 tcpi_unacked at 24, u32 tcpi_sacked at 28. */
    private static final int TCPI_STATE = 0;
    private static final int TCPI_UNACKED = 24;
    private static final int TCPI_SACKED = 28;

    private TcpLibc() {
    }

    /**
     * What TCP_INFO says about one socket. For a LISTEN socket tcp_get_info() fills
     * {@code tcpi_unacked} with the accept queue length (sk_ack_backlog) and {@code tcpi_sacked}
     * with the effective backlog (sk_max_ack_backlog): the same figures as ss's Recv-Q/Send-Q.
     */
    public record TcpInfo(int state, long unacked, long sacked) {
        /** Accept queue length; meaningful for a LISTEN socket only. */
        public long acceptQueue() {
            return unacked;
        }

        /** Effective backlog B after the somaxconn cap; meaningful for a LISTEN socket only. */
        public long backlog() {
            return sacked;
        }
    }

    /** socket(family, SOCK_STREAM, IPPROTO_TCP). */
    public static int socket(int family) {
        return call("socket", () -> C.socket(family, TestLibc.SOCK_STREAM, IPPROTO_TCP));
    }

    /** getsockname(2): the raw sockaddr bytes, trimmed to the length the kernel wrote. */
    public static byte[] getsockname(int fd) {
        byte[] buf = new byte[128]; // sizeof(struct sockaddr_storage)
        int[] len = {buf.length};
        call("getsockname", () -> C.getsockname(fd, buf, len));
        return Arrays.copyOf(buf, Math.min(len[0], buf.length));
    }

    /** getpeername(2), same shape as {@link #getsockname(int)}; ENOTCONN while not connected. */
    public static byte[] getpeername(int fd) {
        byte[] buf = new byte[128];
        int[] len = {buf.length};
        call("getpeername", () -> C.getpeername(fd, buf, len));
        return Arrays.copyOf(buf, Math.min(len[0], buf.length));
    }

    public static void setIntOption(int fd, int level, int name, int value) {
        byte[] v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        call("setsockopt", () -> C.setsockopt(fd, level, name, v, v.length));
    }

    public static void setBytesOption(int fd, int level, int name, byte[] value) {
        call("setsockopt", () -> C.setsockopt(fd, level, name, value, value.length));
    }

    public static int getIntOption(int fd, int level, int name) {
        byte[] v = new byte[4];
        int[] len = {v.length};
        call("getsockopt", () -> C.getsockopt(fd, level, name, v, len));
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * SO_LINGER {on, 0 s}: close() then aborts with an RST instead of a FIN. Nothing enters
     * TIME_WAIT (60 s on Linux), so thousands of test connections leave no trace in ss and give
     * their ephemeral ports back at once; an RST also removes a DEFER_ACCEPT request socket on the
     * listener side, which a FIN would not do promptly.
     */
    public static void setLingerZero(int fd) {
        byte[] linger = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(1).putInt(0).array();
        call("setsockopt", () -> C.setsockopt(fd, TestLibc.SOL_SOCKET, SO_LINGER, linger, linger.length));
    }

    public static TcpInfo tcpInfo(int fd) {
        byte[] v = new byte[TCP_INFO_LEN];
        int[] len = {v.length};
        call("getsockopt", () -> C.getsockopt(fd, IPPROTO_TCP, TCP_INFO, v, len));
        if (len[0] < TCPI_SACKED + 4) {
            throw new IllegalStateException("TCP_INFO returned only " + len[0] + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        return new TcpInfo(Byte.toUnsignedInt(b.get(TCPI_STATE)), Integer.toUnsignedLong(b.getInt(TCPI_UNACKED)),
                Integer.toUnsignedLong(b.getInt(TCPI_SACKED)));
    }

    /** SO_ERROR: the pending error of a socket (e.g. ECONNREFUSED after a failed non-blocking connect). */
    public static int pendingError(int fd) {
        return getIntOption(fd, TestLibc.SOL_SOCKET, SO_ERROR);
    }
}
