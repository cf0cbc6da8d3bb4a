package org.checksocketbacklog.testsupport.unix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checksocketbacklog.testsupport.libc.ErrnoException;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.lifecycle.Cleanup;
import org.checksocketbacklog.testsupport.lifecycle.KernelWait;
import org.checksocketbacklog.testsupport.lifecycle.OwnedSockets;
import org.checksocketbacklog.testsupport.oracles.FdInodes;
import org.checksocketbacklog.testsupport.oracles.ProcNetUnix;

/**
 * A real AF_UNIX listening socket plus the connections and blocked connectors a test has
 * put on it. Created by {@link UnixListeners}, which closes it; every fd, thread and socket
 * file it makes is released by {@link #close()}.
 *
 * <p>Kernel facts this relies on (see docs/kernel-facts.md section 1): a listener with effective
 * backlog B holds B+1 unaccepted connections; connection B+2 gets EAGAIN when non-blocking and
 * sleeps when blocking; each sleeping connector adds 1 to the listener's RefCount.
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class UnixListener extends OwnedSockets {
    /** Upper bound on connections per listener (each costs an fd; the JVM limit here is 20000). */
    public static final int MAX_CONNECTIONS = 10_000;
    /** Upper bound on blocked connector threads per listener. */
    public static final int MAX_BLOCKED = 64;
    /** Name prefix of blocked-connector threads (also visible in /proc/self/task/TID/comm). */
    public static final String CONNECTOR_THREAD_PREFIX = BlockedConnector.THREAD_PREFIX;

    /** Outcome of one non-blocking connect(). */
    public enum ConnectResult {
        /** Queued on the listener (unix connect() completes at once when there is room). */
        CONNECTED,
        /** EAGAIN: the queue already holds B+1 connections. */
        WOULD_BLOCK
    }

    /** Thrown by {@link #queue(int)} when a connect() gets EAGAIN. */
    public static final class QueueFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final int connected;

        QueueFullException(int connected, int wanted, String name) {
            super("EAGAIN on " + name + " after " + connected + " of " + wanted + " connects: queue is full");
            this.connected = connected;
        }

        /** How many of the requested connects succeeded before EAGAIN. */
        public int connected() {
            return connected;
        }
    }

    private final SocketType type;
    private final SockAddrUn address;
    private final Path path;
    private final int requestedBacklog;
    private final int fd;
    private final long inode;
    private final int idleRefCount;
    private final List<Integer> clientFds = new ArrayList<>();
    private final List<Integer> acceptedFds = new ArrayList<>();
    private final List<BlockedConnector> connectors = new ArrayList<>();

    /** socket(), bind(), listen(backlog), O_NONBLOCK (so accept never hangs a test). */
    UnixListener(SocketType type, SockAddrUn address, Path path, int backlog) {
        this.type = type;
        this.address = address;
        this.path = path;
        this.requestedBacklog = backlog;
        this.fd = TestLibc.socket(type.kernelType());
        boolean bound = false;
        try {
            TestLibc.bind(fd, address.bytes());
            bound = true;
            TestLibc.listen(fd, backlog);
            TestLibc.setNonBlocking(fd);
            this.inode = FdInodes.inodeOf(fd);
            this.idleRefCount = ProcNetUnix.refCount(inode);
        } catch (RuntimeException e) {
            TestLibc.close(fd);
            if (bound && path != null) {
                deleteQuietly(path);
            }
            throw e;
        }
    }

    public SocketType type() {
        return type;
    }

    public SockAddrUn address() {
        return address;
    }

    /** The name as ss and /proc/net/unix show it: {@code /path} or {@code @name} (NULs as '@'). */
    public String kernelName() {
        return address.kernelName();
    }

    /** The socket file, for path listeners. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** The argument given to listen(); the kernel caps it at somaxconn. */
    public int requestedBacklog() {
        return requestedBacklog;
    }

    public int fd() {
        return fd;
    }

    /** Inode of the listening socket, from /proc/self/fd readlink {@code socket:[N]}. */
    public long inode() {
        return inode;
    }

    /** RefCount in /proc/net/unix right after listen(), before any connector (2 on Linux 6.x). */
    public int idleRefCount() {
        return idleRefCount;
    }

    /** Current RefCount in /proc/net/unix. */
    public int refCount() {
        return ProcNetUnix.refCount(inode);
    }

    /** One non-blocking connect(); EAGAIN is reported as WOULD_BLOCK, other errors are thrown. */
    public ConnectResult tryConnect() {
        checkOpen();
        if (clientFds.size() + connectors.size() >= MAX_CONNECTIONS) {
            throw new IllegalStateException("more than " + MAX_CONNECTIONS + " connections on " + kernelName());
        }
        int client = TestLibc.socket(type.kernelType());
        try {
            TestLibc.setNonBlocking(client);
            TestLibc.connect(client, address.bytes());
        } catch (ErrnoException e) {
            TestLibc.close(client);
            if (e.errno() == TestLibc.EAGAIN) {
                return ConnectResult.WOULD_BLOCK;
            }
            throw e;
        } catch (RuntimeException e) {
            TestLibc.close(client);
            throw e;
        }
        clientFds.add(client);
        return ConnectResult.CONNECTED;
    }

    /** {@code n} non-blocking connects that must all succeed; EAGAIN ends it with QueueFullException. */
    public void queue(int n) {
        for (int i = 0; i < n; i++) {
            if (tryConnect() == ConnectResult.WOULD_BLOCK) {
                throw new QueueFullException(i, n, kernelName());
            }
        }
    }

    /**
     * Starts {@code k} threads doing a blocking connect() and returns only once the kernel shows
     * them blocked: the RefCount has risen by k and every thread sleeps in connect(). The queue
     * must already be full, otherwise connect() returns and this throws.
     */
    public void startBlockedConnectors(int k) {
        checkOpen();
        if (k < 1 || connectors.size() + k > MAX_BLOCKED) {
            throw new IllegalArgumentException("k must be 1.." + (MAX_BLOCKED - connectors.size()));
        }
        int base = refCount();
        List<BlockedConnector> started = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            BlockedConnector c = new BlockedConnector(type, address);
            connectors.add(c); // tracked before start: close() must find it whatever happens next
            started.add(c);
            c.start();
        }
        KernelWait.until(() -> {
            for (BlockedConnector c : started) {
                if (c.finished()) {
                    throw new IllegalStateException("connect() returned instead of blocking (is the queue full?): "
                            + c.describe());
                }
            }
            return refCount() >= base + k && started.stream().allMatch(BlockedConnector::sleepingInConnect);
        }, () -> "RefCount " + refCount() + ", wanted " + (base + k) + "; " + describe(started));
    }

    /** Waits (bounded) until {@code n} connector threads in total have returned from connect(). */
    public void awaitConnectorsFinished(int n) {
        KernelWait.until(() -> finishedConnectorResults().size() >= n,
                () -> "finished " + finishedConnectorResults().size() + ", wanted " + n + "; " + describe(connectors));
    }

    /** Connector threads still inside connect(). */
    public int blockedConnectors() {
        return (int) connectors.stream().filter(c -> !c.finished()).count();
    }

    /** Results of the connector threads that returned: 0 = connected, else errno. */
    public List<Integer> finishedConnectorResults() {
        return connectors.stream().filter(BlockedConnector::finished).map(BlockedConnector::result).toList();
    }

    /** The connector threads, for liveness checks after close. */
    public List<Thread> connectorThreads() {
        return connectors.stream().map(BlockedConnector::thread).toList();
    }

    /**
     * Accepts one queued connection and keeps it open until close. If connectors are blocked,
     * the freed slot wakes one of them and its connection takes the slot.
     *
     * @throws IllegalStateException if nothing is queued (EAGAIN: the listener is non-blocking)
     */
    public void acceptOne() {
        checkOpen();
        acceptedFds.add(TestLibc.acceptIfQueued(fd)
                .orElseThrow(() -> new IllegalStateException("accept on " + kernelName() + ": nothing queued")));
    }

    /** Waits (bounded) until RefCount equals {@code expected}, e.g. after a blocked connector was let in. */
    public void awaitRefCount(int expected) {
        KernelWait.until(() -> refCount() == expected, () -> "RefCount " + refCount() + ", wanted " + expected);
    }

    /** The listener, clients, accepted connections and connectors, for {@link #ownedSocketInodes()}. */
    @Override
    protected List<Integer> openFds() {
        List<Integer> fds = new ArrayList<>();
        fds.add(fd);
        fds.addAll(clientFds);
        fds.addAll(acceptedFds);
        connectors.forEach(c -> fds.add(c.fd()));
        return fds;
    }

    /**
     * Closes the listener first: that wakes every blocked connector (ECONNREFUSED, or rarely
     * success, see docs/kernel-facts.md 1.5). Then joins the threads (bounded), closes all fds and
     * deletes the socket file. A connector fd is closed only after its thread returned, since
     * its number could otherwise be reused while connect() still runs on it.
     */
    @Override
    protected void release(Cleanup cleanup) {
        cleanup.closeFd(fd);
        KernelWait.Deadline deadline = KernelWait.deadline();
        for (BlockedConnector c : connectors) {
            deadline.join(c.thread());
            if (c.thread().isAlive()) {
                cleanup.add("connector thread still alive, fd " + c.fd() + " leaked: " + c.describe());
            } else {
                cleanup.closeFd(c.fd());
            }
        }
        clientFds.forEach(cleanup::closeFd);
        acceptedFds.forEach(cleanup::closeFd);
        clientFds.clear();
        acceptedFds.clear();
        if (path != null) {
            cleanup.deleteIfExists(path);
        }
    }

    @Override
    public String toString() {
        return type + " " + kernelName() + " inode " + inode + " backlog " + requestedBacklog;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort on an error path that already throws.
        }
    }

    private static String describe(List<BlockedConnector> cs) {
        return cs.stream().map(BlockedConnector::describe).toList().toString();
    }
}
