package org.checksocketbacklog.testsupport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.lifecycle.ListenerOwner;

/**
 * Creates real TCP listeners on loopback for integration tests and owns everything they make:
 * listener, client and accepted fds. {@link #close()} releases all of it, newest listener first,
 * so use it in try-with-resources or an {@code @AfterEach}.
 *
 * <pre>{@code
 * try (TcpListeners tcp = new TcpListeners()) {
 *     TcpListener l = tcp.listen(TcpBind.IPV4_LOOPBACK, 3);
 *     l.queue(4);                     // B+1 = 4 fit in the accept queue
 *     l.startOverflowingClients(1);   // SYN dropped: client stays SYN_SENT
 *     TcpListener d = tcp.listen(TcpBind.IPV6_LOOPBACK, 8, 60);
 *     d.synRecv(3);                   // 3 request sockets held by TCP_DEFER_ACCEPT
 *     // ... run the plugin against l.port() / l.inode() ...
 * }
 * }</pre>
 *
 * <p>Ports are ephemeral (bind to port 0), so parallel runs do not collide. Nothing here
 * touches any interface but loopback, except that a {@link TcpBind#DUAL_STACK_ANY} listener
 * is bound to {@code ::} (it is still only connected to over loopback).
 */
public final class TcpListeners extends ListenerOwner<TcpListener> {
    /** Upper bound on listeners per instance. */
    public static final int MAX_LISTENERS = 256;
    /** fds kept free for the JVM, JUnit, ss subprocess pipes and the plugin under test. */
    public static final int FD_RESERVE = 512;
    /** Deferral long enough to outlast any test: the kernel holds the request socket about this long. */
    public static final int DEFAULT_DEFER_ACCEPT_SECONDS = 60;
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final Path IF_INET6 = Path.of("/proc/net/if_inet6");

    public TcpListeners() {
        super(MAX_LISTENERS);
    }

    /** A listener on {@code bind} with {@code backlog}, port chosen by the kernel. */
    public TcpListener listen(TcpBind bind, int backlog) {
        return listen(bind, backlog, 0);
    }

    /**
     * Same, with TCP_DEFER_ACCEPT set to {@code deferAcceptSeconds} (0 = off), which
     * {@link TcpListener#synRecv(int)} needs. Use {@link #DEFAULT_DEFER_ACCEPT_SECONDS} unless the
     * test is about expiry.
     */
    public TcpListener listen(TcpBind bind, int backlog, int deferAcceptSeconds) {
        checkCapacity();
        return add(new TcpListener(bind, backlog, deferAcceptSeconds));
    }

    /**
     * Whether ::1 is configured, from /proc/net/if_inet6 (absent when IPv6 is disabled at boot;
     * without the ::1 line when it is disabled on lo).
     */
    public static boolean ipv6LoopbackAvailable() {
        try {
            return Files.readAllLines(IF_INET6).stream()
                    .anyMatch(line -> line.startsWith("00000000000000000000000000000001 "));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * This process's soft RLIMIT_NOFILE ("Max open files" in /proc/self/limits). HotSpot raises
     * its soft limit to the hard limit at start-up (-XX:+MaxFDLimit, the default on Linux), so
     * inside the test JVM this is usually the hard limit of the shell that started Maven.
     */
    public static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(LIMITS)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no 'Max open files' line in " + LIMITS);
    }

    /** Number of fds this process has open now. */
    public static int openFdCount() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * How many more established pairs (two fds each) fit under the fd limit with
     * {@link #FD_RESERVE} left over, capped at {@link TcpListener#MAX_CLIENTS}.
     */
    public static int maxEstablishablePairs() {
        long free = openFileLimit() - openFdCount() - FD_RESERVE;
        return (int) Math.max(0, Math.min(TcpListener.MAX_CLIENTS, free / 2));
    }
}
