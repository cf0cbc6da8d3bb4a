package org.checksocketbacklog.testsupport.unix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.checksocketbacklog.testsupport.libc.ErrnoException;
import org.checksocketbacklog.testsupport.libc.TestLibc;

/**
 * One thread sitting in a blocking connect() on a full AF_UNIX listener.
 *
 * <p>In the kernel such a thread sleeps in {@code unix_wait_for_peer()} while holding a
 * reference on the listener, which is how /proc/net/unix makes blocked connectors visible
 * (RefCount - 2). It returns when the queue gets room (accept), when the listener closes
 * (ECONNREFUSED), or when SO_SNDTIMEO runs out; the timeout is a safety net so that a thread
 * can never outlive the test run even if cleanup goes wrong.
 */
final class BlockedConnector {
    /** Thread names: prefix + a JVM-wide number, short enough for comm's 15 bytes. */
    static final String THREAD_PREFIX = "cbt-blk-";
    private static final AtomicInteger NUMBER = new AtomicInteger();
    private static final long SAFETY_TIMEOUT_MS = 60_000;

    private final int fd;
    private final Thread thread;
    private volatile int tid;
    private volatile boolean finished;
    /** 0 = connected, otherwise errno; meaningful once finished. */
    private volatile int result = -1;
    private volatile Throwable failure;

    BlockedConnector(SocketType type, SockAddrUn address) {
        this.fd = TestLibc.socket(type.kernelType());
        try {
            TestLibc.setSendTimeoutMillis(fd, SAFETY_TIMEOUT_MS);
        } catch (RuntimeException e) {
            TestLibc.close(fd);
            throw e;
        }
        byte[] addr = address.bytes();
        this.thread = new Thread(() -> run(addr), THREAD_PREFIX + NUMBER.incrementAndGet());
        // Daemon: if a thread were ever stuck despite everything, it must not keep the JVM alive.
        thread.setDaemon(true);
    }

    private void run(byte[] addr) {
        tid = TestLibc.gettid();
        try {
            TestLibc.connect(fd, addr);
            result = 0;
        } catch (ErrnoException e) {
            result = e.errno();
        } catch (Throwable t) {
            failure = t;
        } finally {
            finished = true;
        }
    }

    void start() {
        thread.start();
    }

    int fd() {
        return fd;
    }

    Thread thread() {
        return thread;
    }

    boolean finished() {
        return finished;
    }

    /** 0 if connect() succeeded, else its errno; -1 while running or on a non-errno failure. */
    int result() {
        return result;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * Whether the thread is asleep in connect(): /proc task state 'S' and wchan
     * {@code unix_wait_for_peer}. wchan reads "0" when the kernel hides it (no kallsyms, or
     * restricted ptrace access); then the caller's RefCount check has to carry the proof alone.
     */
    boolean sleepingInConnect() {
        int t = tid;
        if (t == 0 || finished) {
            return false;
        }
        String state = taskState(t);
        String wchan = wchan(t);
        return state.equals("S") && (wchan.equals("unix_wait_for_peer") || wchan.equals("0"));
    }

    String describe() {
        int t = tid;
        return thread.getName() + "[tid=" + t + ", state=" + (t == 0 ? "?" : taskState(t)) + ", wchan="
                + (t == 0 ? "?" : wchan(t)) + ", finished=" + finished + ", result=" + result + "]";
    }

    static String wchan(int tid) {
        return readTaskFile(tid, "wchan").strip();
    }

    /** Field 3 of /proc/self/task/TID/stat; comm (field 2) may hold spaces and ')' so skip past the last ')'. */
    static String taskState(int tid) {
        String stat = readTaskFile(tid, "stat");
        int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 >= stat.length() ? "?" : stat.substring(close + 2, close + 3);
    }

    private static String readTaskFile(int tid, String file) {
        try {
            return Files.readString(Path.of("/proc/self/task", Integer.toString(tid), file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "?"; // the thread has exited
        }
    }
}
