package org.checksocketbacklog.nativeio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import org.checksocketbacklog.netlink.Datagram;
import org.checksocketbacklog.netlink.Errno;
import org.checksocketbacklog.netlink.Netlink;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;

/**
 * A NETLINK_SOCK_DIAG socket. Everything JNA-shaped stops here: callers see byte buffers and
 * {@link NetlinkException}s whose messages name the call and the errno.
 */
public final class NetlinkSocket implements NetlinkTransport {
    /**
     * The kernel sizes each dump datagram to the reader's previous receive length, capped near 32 KiB
     * (26,676 bytes was the largest seen); a smaller buffer silently loses listeners unless MSG_TRUNC is
     * checked. 64 KiB leaves room, and MSG_TRUNC is still checked.
     */
    public static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
    /** EINTR retries per receive: a signal is no reason to fail a check, endless signals are. */
    private static final int MAX_INTERRUPTED_RETRIES = 16;

    private final int fd;
    private final byte[] receiveBuffer;
    private boolean closed;

    private NetlinkSocket(int fd, int receiveBufferBytes) {
        this.fd = fd;
        this.receiveBuffer = new byte[receiveBufferBytes];
    }

    /**
     * Opens the socket with a receive timeout, so that a kernel that never answers ends the check in
     * UNKNOWN instead of hanging it (SO_RCVTIMEO, per socket, rather than a process-wide SIGALRM).
     */
    public static NetlinkSocket open(long receiveTimeoutMillis) throws NetlinkException {
        return open(receiveTimeoutMillis, RECEIVE_BUFFER_BYTES);
    }

    /** With a chosen receive buffer: the fixture recorder uses a small one to record truncation. */
    public static NetlinkSocket open(long receiveTimeoutMillis, int receiveBufferBytes) throws NetlinkException {
        int fd;
        try {
            fd = LibC.socket(Netlink.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Netlink.NETLINK_SOCK_DIAG);
        } catch (LastErrorException e) {
            throw new NetlinkException("cannot open a NETLINK_SOCK_DIAG socket", e.getErrorCode());
        } catch (LinkageError | OutOfMemoryError e) {
            // JNA's native stub is missing or cannot be mapped (noexec temp dir, foreign architecture),
            // or JNA could not start its cleaner thread (a thread limit: OutOfMemoryError). Either way,
            // on this thread or on NativeLoader's, there is no sock_diag here. If the background load
            // failed first, this is only "could not initialize class": say why.
            Throwable why = NativeLoader.failure();
            Throwable cause = why != null ? why : e;
            throw NetlinkException.unavailable(cause instanceof OutOfMemoryError
                    ? "JNA could not start its thread for netlink (" + cause + "; raise the process limit, ulimit -u)"
                    : "cannot load JNA's native library for netlink (" + cause + ")");
        }
        NetlinkSocket socket = new NetlinkSocket(fd, receiveBufferBytes);
        try {
            socket.setReceiveTimeout(receiveTimeoutMillis);
        } catch (NetlinkException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public long namespaceCookie() {
        byte[] value = new byte[8];
        int[] length = {value.length};
        try {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_NETNS_COOKIE, value, length);
        } catch (LastErrorException e) {
            return 0; // ENOPROTOOPT before Linux 5.14: unknown
        }
        return length[0] == 8 ? ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong() : 0;
    }

    private void setReceiveTimeout(long millis) throws NetlinkException {
        // struct timeval { long tv_sec; long tv_usec; } in the C long of this platform.
        ByteBuffer timeval = ByteBuffer.allocate(2 * Native.LONG_SIZE).order(ByteOrder.nativeOrder());
        // At least 1 ms: a zero timeval would mean "block forever".
        long bounded = Math.max(1, millis);
        long seconds = bounded / 1000;
        long micros = bounded % 1000 * 1000;
        if (Native.LONG_SIZE == 8) {
            timeval.putLong(seconds).putLong(micros);
        } else {
            timeval.putInt((int) Math.min(Integer.MAX_VALUE, seconds)).putInt((int) micros);
        }
        try {
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeval.array(), timeval.capacity());
        } catch (LastErrorException e) {
            throw new NetlinkException("cannot set a receive timeout on the netlink socket", e.getErrorCode());
        }
    }

    @Override
    public void send(ByteBuffer request) throws NetlinkException {
        byte[] bytes = new byte[request.remaining()];
        request.duplicate().get(bytes);
        try {
            long sent = LibC.send(fd, bytes, bytes.length, 0);
            if (sent != bytes.length) {
                throw new NetlinkException("the kernel took " + sent + " of " + bytes.length + " request bytes");
            }
        } catch (LastErrorException e) {
            throw new NetlinkException("cannot send the sock_diag request", e.getErrorCode());
        }
    }

    @Override
    public Datagram receive() throws NetlinkException {
        for (int attempt = 0; ; attempt++) {
            try {
                // With MSG_TRUNC, netlink returns the datagram's real length even when it did not fit.
                int length = (int) LibC.recv(fd, receiveBuffer, receiveBuffer.length, LibC.MSG_TRUNC);
                int kept = Math.min(length, receiveBuffer.length);
                byte[] copy = new byte[kept];
                System.arraycopy(receiveBuffer, 0, copy, 0, kept);
                return new Datagram(ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()), length);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == Errno.EINTR && attempt < MAX_INTERRUPTED_RETRIES) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    throw new NetlinkException("the kernel did not answer the sock_diag request in time (SO_RCVTIMEO)");
                }
                throw new NetlinkException("cannot receive the sock_diag reply", errno);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // Nothing to do: the process is about to exit and the kernel reclaims the fd.
            }
        }
    }
}
