package org.checksocketbacklog.testsupport.libc;

import static org.checksocketbacklog.testsupport.libc.Libc.C;
import static org.checksocketbacklog.testsupport.libc.Libc.call;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * The few libc calls the integration tests need to build real AF_UNIX socket states.
 *
 * <p>Test-only and independent of the production binding on purpose: a test that checks the
 * plugin's view of the kernel should not create that state through the code under test. A call
 * that returns -1 throws an {@link ErrnoException} carrying errno. Constants are the Linux
 * x86_64/aarch64 values (both use the asm-generic numbers for everything here).
 */
public final class TestLibc {
    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;

    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 0x800;

    public static final int SOL_SOCKET = 1;
    /** SO_SNDTIMEO (old, {@code struct timeval} = two longs on 64-bit): bounds a blocking connect(). */
    public static final int SO_SNDTIMEO = 21;

    public static final int EAGAIN = 11;
    public static final int EADDRINUSE = 98;
    public static final int ECONNREFUSED = 111;

    private TestLibc() {
    }

    public static int socket(int type) {
        return call("socket", () -> C.socket(AF_UNIX, type, 0));
    }

    public static void bind(int fd, byte[] sockaddr) {
        call("bind", () -> C.bind(fd, sockaddr, sockaddr.length));
    }

    /** Plain listen(2); the kernel caps {@code backlog} at somaxconn and reads -1 as unsigned. */
    public static void listen(int fd, int backlog) {
        call("listen", () -> C.listen(fd, backlog));
    }

    public static void connect(int fd, byte[] sockaddr) {
        call("connect", () -> C.connect(fd, sockaddr, sockaddr.length));
    }

    /** accept(2) without peer address; returns the new fd. */
    public static int accept(int fd) {
        return call("accept", () -> C.accept(fd, null, null));
    }

    /** accept(2) on a non-blocking listener: the new fd, or empty when nothing is queued (EAGAIN). */
    public static Optional<Integer> acceptIfQueued(int fd) {
        try {
            return Optional.of(accept(fd));
        } catch (ErrnoException e) {
            if (e.errno() == EAGAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public static void setNonBlocking(int fd) {
        int flags = call("fcntl", () -> C.fcntl(fd, F_GETFL));
        call("fcntl", () -> C.fcntl(fd, F_SETFL, flags | O_NONBLOCK));
    }

    /** Sets SO_SNDTIMEO, which unix_stream_connect() uses as its wait limit on a full queue. */
    public static void setSendTimeoutMillis(int fd, long millis) {
        byte[] timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder())
                .putLong(millis / 1000).putLong((millis % 1000) * 1000).array();
        call("setsockopt", () -> C.setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, timeval, timeval.length));
    }

    public static void close(int fd) {
        call("close", () -> C.close(fd));
    }

    /** unlink(2) of a path given as raw bytes (a NUL is appended). */
    public static void unlink(byte[] path) {
        byte[] terminated = Arrays.copyOf(path, path.length + 1);
        call("unlink", () -> C.unlink(terminated));
    }

    /** CLONE_NEWNET: setns(2)'s type for a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    /**
     * Moves the calling thread (only it) into the network namespace of {@code namespaceFile}
     * (/run/netns/NAME, /proc/PID/ns/net): the sockets it makes from then on belong there.
     */
    public static void enterNetworkNamespace(String namespaceFile) {
        int fd = call("open", () -> C.open(namespaceFile, O_RDONLY_CLOEXEC));
        try {
            call("setns", () -> C.setns(fd, CLONE_NEWNET));
        } finally {
            close(fd);
        }
    }

    /** Kernel thread id of the calling thread (glibc >= 2.30), to find /proc/self/task/TID. */
    public static int gettid() {
        return C.gettid();
    }
}
