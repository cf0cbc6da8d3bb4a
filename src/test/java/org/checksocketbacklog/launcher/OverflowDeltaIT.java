package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overflows between two runs, counted with a state directory, against what the kernel counted
 * (nstat, iproute2's reader of the same counters), in a network namespace of the test's own so
 * that nothing else on the machine moves its counters. A listener with backlog 1 that never
 * accepts, syncookies off: every handshake past its queue is dropped and counted.
 */
class OverflowDeltaIT {
    private static final Pattern OVERFLOWS = Pattern.compile(" overflows=(\\d+);");

    private TestNamespace namespace;
    private Path stateDirectory;
    private final List<SocketChannel> clients = new ArrayList<>();
    private ServerSocketChannel listener;

    @BeforeEach
    void create() throws IOException {
        assumeTrue(TestNamespace.available(), "needs root and iproute2 for a network namespace");
        namespace = new TestNamespace();
        namespace.sysctl("net.ipv4.tcp_syncookies", "0");
        stateDirectory = Files.createTempDirectory("csb-state");
        listener = namespace.inside(() -> {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            return server;
        });
    }

    @AfterEach
    void close() throws IOException {
        if (namespace == null) {
            return;
        }
        for (SocketChannel client : clients) {
            client.close();
        }
        listener.close();
        namespace.close();
        try (var files = Files.walk(stateDirectory)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** What the kernel counted so far: ListenOverflows + TCPReqQFullDrop, as nstat reads them. */
    private long kernelOverflows() {
        BoundedProcess.Result nstat = namespace.exec("nstat", "-a", "-s", "-z", "TcpExtListenOverflows",
                "TcpExtTCPReqQFullDrop");
        long sum = 0;
        for (String line : nstat.stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].startsWith("TcpExt")) {
                sum += Long.parseLong(fields[1]);
            }
        }
        return sum;
    }

    /** {@code count} clients whose handshakes are dropped, then closed so that none retries. */
    private void overflow(int count) throws Exception {
        int port = port();
        long before = kernelOverflows();
        namespace.inside(() -> {
            for (int i = 0; i < count; i++) {
                SocketChannel client = SocketChannel.open();
                client.configureBlocking(false);
                client.connect(new InetSocketAddress("127.0.0.1", port));
                clients.add(client);
            }
            return null;
        });
        long deadline = System.currentTimeMillis() + 5000;
        while (kernelOverflows() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200);
        for (SocketChannel client : clients.subList(Math.min(2, clients.size()), clients.size())) {
            client.close(); // what is not in the queue stops retrying
        }
        long settled = kernelOverflows();
        Thread.sleep(300);
        assertEquals(settled, kernelOverflows(), "the counters are still");
    }

    private BoundedProcess.Result check() throws IOException {
        return namespace.exec(LauncherIT.LAUNCHER.toAbsolutePath().toString(), "-p", Integer.toString(port()),
                "--state-dir", stateDirectory.toString(), "--overflow-critical", "0", "-t", "10");
    }

    private static long reported(BoundedProcess.Result result) {
        Matcher m = OVERFLOWS.matcher(result.stdout());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void theDeltaIsWhatTheKernelCountedBetweenTheRuns() throws Exception {
        BoundedProcess.Result first = check();
        assertEquals(0, first.exitCode(), first.stdout());
        assertTrue(first.stdout().contains("overflows since the previous run: counted from this run on (first run "
                + "with this state) - OK"), first.stdout());
        long before = kernelOverflows();
        overflow(6);
        long counted = kernelOverflows() - before;
        assertTrue(counted > 0, "the kernel dropped handshakes: " + counted);

        BoundedProcess.Result second = check();
        assertEquals(counted, reported(second), second.stdout());
        assertEquals(2, second.exitCode(), "--overflow-critical 0: " + second.stdout());
        // Java binds a dual-stack socket, which ss and the check show as [::ffff:127.0.0.1].
        assertTrue(second.stdout().contains("likely: [::ffff:127.0.0.1]:" + port() + " (accept queue 2 of 2"),
                second.stdout());

        BoundedProcess.Result third = check();
        assertEquals(0, reported(third), "nothing since the second run: " + third.stdout());
        assertEquals(2, third.exitCode(), "the queue is still full: " + third.stdout());
    }

    /**
     * Five runs of one check at once, after a burst: one of them measures the burst and the others
     * nothing, since each waits for the state lock and measures from the run before it. Without
     * the lock, each would measure the burst from the same previous state.
     */
    @Test
    void concurrentRunsCountABurstOnce() throws Exception {
        assertEquals(0, check().exitCode());
        long before = kernelOverflows();
        overflow(5);
        long counted = kernelOverflows() - before;
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<BoundedProcess.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                runs.add(pool.submit((Callable<BoundedProcess.Result>) this::check));
            }
            long sum = 0;
            int measured = 0;
            for (Future<BoundedProcess.Result> run : runs) {
                BoundedProcess.Result result = run.get(60, TimeUnit.SECONDS);
                long reported = reported(result);
                assertTrue(reported >= 0, result.stdout());
                sum += reported;
                measured += reported > 0 ? 1 : 0;
            }
            assertEquals(counted, sum, "the burst, counted once across the five runs");
            assertEquals(1, measured);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDamagedStateFileIsReplacedAndSaidSo() throws Exception {
        assertEquals(0, check().exitCode());
        Path file;
        try (var files = Files.walk(stateDirectory)) {
            file = files.filter(p -> p.getFileName().toString().matches("state-[0-9a-f]{16}")).findFirst().orElseThrow();
        }
        Files.writeString(file, Files.readString(file).replace("end\n", ""));
        BoundedProcess.Result damaged = check();
        assertEquals(0, damaged.exitCode(), damaged.stdout());
        assertTrue(damaged.stdout().contains("the state file was damaged"), damaged.stdout());
        assertTrue(Files.readString(file).endsWith("end\n"), "replaced");

        Files.writeString(file, "not a state file\n");
        BoundedProcess.Result foreign = check();
        assertEquals(3, foreign.exitCode(), foreign.stdout());
        assertEquals(1, foreign.stdout().lines().count(), "one UNKNOWN line: " + foreign.stdout());
        assertTrue(foreign.stdout().startsWith("BACKLOG UNKNOWN - the state file " + file + " is not one of this "
                + "plugin's"), foreign.stdout());
    }
}
