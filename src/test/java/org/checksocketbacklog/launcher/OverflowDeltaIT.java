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
import org.checksocketbacklog.nativeio.NetlinkSocket;
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
        assertTrue(first.stdout().contains("\n\t\\_[OK] - overflows since the previous run: counted from this run on "
                + "(first run with this state)\n"), first.stdout());
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
        assertEquals(3, foreign.exitCode(), "the overflows are unknown, the queue OK: " + foreign.stdout());
        assertTrue(foreign.stdout().startsWith("BACKLOG UNKNOWN - overflows since the previous run unknown: the state "
                + "file " + file + " is not one of this plugin's"), foreign.stdout());
        assertEquals("not a state file\n", Files.readString(file), "another program's file is left alone");
    }

    /** A state that cannot be used must not hide a full queue: CRITICAL stays, the reason is told. */
    @Test
    void aStateThatCannotBeUsedLeavesAFullQueueCritical() throws Exception {
        overflow(4);
        Path notADirectory = Files.writeString(stateDirectory.resolve("plain-file"), "x");
        BoundedProcess.Result result = namespace.exec(LauncherIT.LAUNCHER.toAbsolutePath().toString(), "-p",
                Integer.toString(port()), "--state-dir", notADirectory.toString(), "--overflow-critical", "0", "-t", "10");
        assertEquals(2, result.exitCode(), result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - "), result.stdout());
        assertTrue(result.stdout().contains("\n\t\\_[UNKNOWN] - overflows since the previous run: unknown (the state "
                + "directory " + notADirectory + " is not a directory)\n"), result.stdout());
    }

    /**
     * A wall clock stepped back between two runs (NTP, a VM restored): the boot, the namespace and
     * the counters say the deltas are exact, so they are reported; only the rate is left out.
     */
    @Test
    void aClockThatWentBackStillCountsEveryOverflow() throws Exception {
        assertEquals(0, check().exitCode());
        Path file = stateFile();
        String text = Files.readString(file);
        Matcher time = Pattern.compile("time_ms (\\d+)\n").matcher(text);
        assertTrue(time.find(), text);
        long future = Long.parseLong(time.group(1)) + 3_600_000;
        Files.writeString(file, text.replace(time.group(0), "time_ms " + future + "\n"));
        long before = kernelOverflows();
        overflow(5);
        long counted = kernelOverflows() - before;
        BoundedProcess.Result result = check();
        assertEquals(counted, reported(result), result.stdout());
        assertTrue(result.stdout().contains("(dated in the future: the clock went back)"), result.stdout());
        assertTrue(!result.stdout().contains("overflows_per_min="), "no rate: " + result.stdout());
    }

    /** Two services with other options on one port each have their own state: neither takes the other's delta. */
    @Test
    void anotherCommandLineKeepsItsOwnState() throws Exception {
        String[] perfdataOnly = {LauncherIT.LAUNCHER.toAbsolutePath().toString(), "-p", Integer.toString(port()),
            "--state-dir", stateDirectory.toString(), "-t", "10"};
        assertEquals(0, check().exitCode());
        assertEquals(0, namespace.exec(perfdataOnly).exitCode());
        long before = kernelOverflows();
        overflow(5);
        long counted = kernelOverflows() - before;
        BoundedProcess.Result other = namespace.exec(perfdataOnly);
        assertEquals(counted, reported(other), other.stdout());
        BoundedProcess.Result alerting = check();
        assertEquals(counted, reported(alerting), "not taken by the other service: " + alerting.stdout());
        assertEquals(2, alerting.exitCode(), alerting.stdout());
    }

    private Path stateFile() throws IOException {
        try (var files = Files.walk(stateDirectory)) {
            return files.filter(p -> p.getFileName().toString().matches("state-[0-9a-f]{16}")).findFirst()
                    .orElseThrow();
        }
    }

    /** The cookie tells namespaces apart where inodes may repeat: real, and another namespace's differs. */
    @Test
    void theNamespaceCookieIsRealAndTellsNamespacesApart() throws Exception {
        long host;
        try (NetlinkSocket socket = NetlinkSocket.open(2000)) {
            host = socket.namespaceCookie();
        }
        long inside = namespace.inside(() -> {
            try (NetlinkSocket socket = NetlinkSocket.open(2000)) {
                return socket.namespaceCookie();
            }
        });
        assertTrue(host != 0 && inside != 0, "Linux 5.14+ has SO_NETNS_COOKIE: " + host + ", " + inside);
        assertTrue(host != inside, host + " == " + inside);
        assertEquals(0, check().exitCode());
        assertTrue(Files.readString(stateFile()).contains("netns_cookie " + Long.toUnsignedString(inside) + "\n"),
                Files.readString(stateFile()));
    }
}
