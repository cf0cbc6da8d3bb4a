package org.checksocketbacklog.testsupport.unix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.lifecycle.ListenerOwner;

/**
 * Creates real AF_UNIX listeners for integration tests and owns everything they make: listener
 * and client fds, blocked connector threads, socket files and temporary directories.
 * {@link #close()} releases all of it, newest first (so each socket file goes before its
 * directory), so use it in try-with-resources or an {@code @AfterEach}.
 *
 * <pre>{@code
 * try (UnixListeners socks = new UnixListeners()) {
 *     UnixListener l = socks.listenPath(SocketType.STREAM, 3);
 *     l.queue(4);                    // B+1 = 4 fit
 *     l.startBlockedConnectors(2);   // returns once RefCount = idle + 2
 *     // ... run the plugin against l.kernelName() / l.inode() ...
 * }
 * }</pre>
 */
public final class UnixListeners extends ListenerOwner<UnixListener> {
    /** Upper bound on listeners per instance. */
    public static final int MAX_LISTENERS = 1024;
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Path> tempDirs = new ArrayList<>();

    public UnixListeners() {
        super(MAX_LISTENERS);
    }

    /** A listener on {@code l.sock} in a fresh temporary directory. */
    public UnixListener listenPath(SocketType type, int backlog) {
        return listenPath("l.sock", type, backlog);
    }

    /** A listener on {@code fileName} (may contain spaces) in a fresh temporary directory. */
    public UnixListener listenPath(String fileName, SocketType type, int backlog) {
        if (fileName.contains("/") || fileName.isEmpty()) {
            throw new IllegalArgumentException("not a plain file name: " + fileName);
        }
        checkCapacity();
        Path dir;
        try {
            dir = Files.createTempDirectory("cbt-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tempDirs.add(dir);
        onClose(cleanup -> cleanup.deleteIfExists(dir));
        return listenAt(dir.resolve(fileName).toAbsolutePath(), type, backlog);
    }

    /**
     * A listener bound to exactly {@code path}; the socket file is deleted on close, its
     * directory is not. bind() fails with EADDRINUSE if the file exists.
     */
    public UnixListener listenAt(Path path, SocketType type, int backlog) {
        checkCapacity();
        return add(new UnixListener(type, SockAddrUn.path(path.toString()), path, backlog));
    }

    /**
     * A listener on a path given as raw bytes (they need not be valid UTF-8). Its socket file is
     * not removed by close(): unlink it with {@link TestLibc#unlink}.
     */
    public UnixListener listenAtBytes(byte[] path, SocketType type, int backlog) {
        checkCapacity();
        return add(new UnixListener(type, SockAddrUn.pathBytes(path), null, backlog));
    }

    /** A listener on a fresh, unique abstract name. */
    public UnixListener listenAbstract(SocketType type, int backlog) {
        return listenAbstract(uniqueName(), type, backlog);
    }

    /** A listener on abstract {@code name} (without the leading NUL; may contain NULs). */
    public UnixListener listenAbstract(String name, SocketType type, int backlog) {
        checkCapacity();
        return add(new UnixListener(type, SockAddrUn.abstractName(name), null, backlog));
    }

    /** A name unlikely to collide with other tests or processes: cbt-PID-N-RANDOM. */
    public static String uniqueName() {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        return "cbt-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-"
                + HexFormat.of().formatHex(r);
    }

    public List<Path> tempDirectories() {
        return List.copyOf(tempDirs);
    }
}
