package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.Unprivileged;
import org.checksocketbacklog.testsupport.tcp.TcpBind;
import org.checksocketbacklog.testsupport.tcp.TcpListener;
import org.checksocketbacklog.testsupport.tcp.TcpListeners;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher script run as a real process, as Nagios, NRPE and cron run it: output, exit codes and
 * silence on stderr, on sockets this test creates.
 */
class LauncherIT {
    /** How the status line names this test's JVM when it holds a socket that is not OK (the check runs as root). */
    private static final String SELF = holderPrefix();

    private static String holderPrefix() {
        try {
            return Files.readString(Path.of("/proc/self/comm")).strip() + " (pid " + ProcessHandle.current().pid() + "): ";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The output without who holds the sockets. */
    private static String withoutHolders(String output) {
        return output.replaceAll("BACKLOG (\\w+) - [^ ]+ \\(pid \\d+[^)]*\\): ", "BACKLOG $1 - ")
                .replaceAll(", held by [^)]*\\)", ")").replaceAll(", holder not visible: [^)]*\\)", ")")
                .replaceAll(" pending \\(\\d+ from [^)]*\\)", " pending");
    }

    static final Path DIST = Path.of(System.getProperty("dist.dir", "target/dist"));
    static final Path LAUNCHER = DIST.resolve("check_socket_backlog");
    static final Duration LIMIT = Duration.ofSeconds(60);

    private UnixListeners sockets;
    private TcpListeners tcp;
    private final List<Path> cleanup = new ArrayList<>();
    private final List<DistCopy> copies = new ArrayList<>();

    @BeforeEach
    void create() {
        sockets = new UnixListeners();
        tcp = new TcpListeners();
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
        tcp.close();
        for (Path path : cleanup) {
            deleteTree(path);
        }
        for (DistCopy copy : copies) {
            copy.close();
        }
    }

    static BoundedProcess.Result launch(List<String> args) {
        return launch(args, env -> { });
    }

    static BoundedProcess.Result launch(List<String> args, Consumer<Map<String, String>> environment) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        return BoundedProcess.run(command, LIMIT, environment);
    }

    static BoundedProcess.Result launch(String... args) {
        return launch(Arrays.asList(args));
    }

    private static String firstLine(BoundedProcess.Result result) {
        return result.stdout().split("\n", 2)[0];
    }

    @Test
    void exitCodesFollowTheQueue() {
        UnixListener listener = sockets.listenPath("launcher.sock", SocketType.STREAM, 9);
        String name = listener.kernelName();
        int[] queued = {0, 6, 9};
        int[] exit = {0, 1, 2};
        String[] state = {"OK", "WARNING", "CRITICAL"};
        int total = 0;
        for (int i = 0; i < queued.length; i++) {
            listener.queue(queued[i] - total);
            total = queued[i];
            BoundedProcess.Result result = launch("-b", "socket", "-s", name);
            assertEquals(exit[i], result.exitCode(), result.stdout());
            assertTrue(firstLine(result).startsWith("BACKLOG " + state[i] + " - "), firstLine(result));
            assertTrue(firstLine(result).contains(" | " + name + ":pending=" + total + ";;;0;10 "), firstLine(result));
            assertEquals("", result.stderr(), "nothing on stderr in a normal run");
        }
    }

    @Test
    void defaultRunChecksEveryListenerOfTheHost() {
        UnixListener listener = sockets.listenAbstract(SocketType.SEQPACKET, 7);
        listener.queue(3);
        BoundedProcess.Result result = launch();
        assertEquals(0, result.exitCode(), result.stdout());
        assertTrue(result.stdout().contains("\n\t\\_[OK] - " + listener.kernelName() + " (unix seqpacket, inode " + listener.inode()
                + "): 3 pending, backlog 7, 0 blocked"), result.stdout());
        assertTrue(result.stdout().contains("source: unix sock_diag (blocked clients from /proc/net/unix); tcp sock_diag\n"),
                result.stdout());
        assertEquals("", result.stderr());
    }

    /**
     * What Icinga Web draws a state icon for: through the launcher, a full listener's line is tagged
     * CRITICAL and an idle one's OK, in the Monitoring Plugins' multi-line format; the basis, source,
     * -v lines and -vvv's list of every listener are not items and stay untagged.
     */
    @Test
    void eachItemLineIsTaggedWithItsOwnState() {
        UnixListener full = sockets.listenPath("tagged-full.sock", SocketType.STREAM, 1);
        full.queue(2);
        Path dir = full.path().orElseThrow().getParent();
        UnixListener idle = sockets.listenAt(dir.resolve("tagged-idle.sock"), SocketType.STREAM, 8);
        BoundedProcess.Result result = launch("-vvv", "-b", "socket", "-s", dir + "/tagged-*.sock");
        assertEquals(2, result.exitCode(), result.stdout());
        List<String> lines = Arrays.asList(result.stdout().split("\n"));
        assertTrue(lines.get(1).startsWith("\t\\_[CRITICAL] - " + full.kernelName() + " (unix stream, inode "
                + full.inode() + ", held by "), result.stdout());
        assertTrue(lines.get(1).endsWith(" - usage 100% (critical above 80), queue full (2 of 2)"), lines.get(1));
        assertTrue(lines.get(2).startsWith("\t\\_[OK] - " + idle.kernelName() + " (unix stream, inode "
                + idle.inode() + ", held by "), result.stdout());
        assertTrue(lines.get(2).endsWith(": 0 pending, backlog 8, 0 blocked, usage 0% of 9"), lines.get(2));
        assertTrue(lines.get(3).startsWith("\t\\_[OK] - finding: " + full.kernelName() + ": backlog 1 with 2 "),
                lines.get(3));
        assertTrue(lines.contains("basis: each socket's backlog + 1 (--basis socket)"), result.stdout());
        assertTrue(lines.contains("  unix stream " + full.kernelName() + " inode " + full.inode()
                + " pending 2 backlog 1 blocked 0"), "-vvv's list, untagged: " + result.stdout());
        assertEquals(3, lines.stream().filter(l -> l.startsWith("\t")).count(),
                "the two sockets' lines and the full one's finding (a small backlog) only: " + result.stdout());
        assertEquals(List.of(), org.checksocketbacklog.report.IcingaWebStates.untrue(result.stdout()));
        assertEquals("", result.stderr());
    }

    @Test
    void tcpExitCodesFollowTheAcceptQueue() {
        TcpListener listener = tcp.listen(TcpBind.IPV4_LOOPBACK, 4);
        String port = "127.0.0.1:" + listener.port();
        String label = "tcp4/127.0.0.1/" + listener.port();
        BoundedProcess.Result ok = launch("-b", "socket", "-p", port);
        assertEquals(0, ok.exitCode(), ok.stdout());
        listener.queue(3);
        BoundedProcess.Result warning = launch("-b", "socket", "-p", port);
        assertEquals(1, warning.exitCode(), warning.stdout());
        assertTrue(firstLine(warning).startsWith("BACKLOG WARNING - " + SELF + port + " usage 60% (warning above 50) | "),
                firstLine(warning));
        assertTrue(firstLine(warning).contains(" " + label + ":pending=3;;;0;5 " + label + ":usage=60%;50;80;0;100 "
                + label + ":syn_recv=0;;;0;5 "), firstLine(warning));
        assertTrue(firstLine(warning).contains(" ListenOverflows="), "overflow counters as perfdata");
        listener.queue(2);
        BoundedProcess.Result critical = launch("-b", "socket", "-p", Integer.toString(listener.port()));
        assertEquals(2, critical.exitCode(), critical.stdout());
        assertEquals("", critical.stderr());
    }

    @Test
    void unprivilegedTcpCheckSeesTheSameQueues() throws IOException {
        assumeTrue(Unprivileged.isRoot(), "the tests already run unprivileged");
        TcpListener listener = tcp.listen(TcpBind.IPV6_LOOPBACK, 3, 60);
        listener.synRecv(2);
        TcpListener plain = tcp.listen(TcpBind.IPV6_LOOPBACK, 3);
        plain.queue(2);
        Path copy = worldReadableCopyOfDist();
        List<String> command = new ArrayList<>(List.of(copy.resolve("check_socket_backlog").toString(), "-b", "socket",
                "-p", "[::1]:" + listener.port(), "-p", "[::1]:" + plain.port()));
        BoundedProcess.Result asNobody = BoundedProcess.run(Unprivileged.command(command), LIMIT);
        assertEquals(0, asNobody.exitCode(), asNobody.stdout() + asNobody.stderr());
        assertTrue(asNobody.stdout().contains("[::1]:" + listener.port() + " (tcp6, inode " + listener.inode()
                + "): 0 pending, backlog 3, 2 syn-recv"), asNobody.stdout());
        assertTrue(asNobody.stdout().contains("[::1]:" + plain.port() + " (tcp6, inode " + plain.inode()
                + "): 2 pending, backlog 3, 0 syn-recv"), asNobody.stdout());
        assertEquals("", asNobody.stderr());
    }

    @Test
    void quietPrintsNothingWhileOkAndEverythingOtherwise() {
        UnixListener listener = sockets.listenAbstract(SocketType.STREAM, 1);
        BoundedProcess.Result ok = launch("-q", "-b", "socket", "-s", listener.kernelName());
        assertEquals(0, ok.exitCode());
        assertEquals("", ok.stdout(), "cron mails nothing");
        listener.queue(2);
        BoundedProcess.Result critical = launch("-q", "-b", "socket", "-s", listener.kernelName());
        assertEquals(2, critical.exitCode());
        assertEquals(launch("-b", "socket", "-s", listener.kernelName()).stdout(), critical.stdout());
        BoundedProcess.Result missing = launch("--quiet", "-s", "@nothing-listens-here");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stdout().startsWith("BACKLOG CRITICAL - @nothing-listens-here not listening"));
    }

    @Test
    void notListeningIsCritical() {
        BoundedProcess.Result result = launch("-s", "/nonexistent/check_socket_backlog.sock");
        assertEquals(2, result.exitCode());
        assertTrue(firstLine(result).startsWith(
                "BACKLOG CRITICAL - /nonexistent/check_socket_backlog.sock not listening |"), firstLine(result));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-w 1:12%", "-c 10:5", "-w", "--bogus", "-t 0", "-t -1", "-b tcp", "--cpus 0",
        "--source netlink", "-s [x", "stray", "--missing-state maybe", "--missing-state ok --missing-state maybe", "--blocked 1", "-p 0",
        "-p 70000", "-p ::1:80", "-p localhost:80", "-p [::1]", "-p 1.2.3.256:80", "-p", "--syn-recv-warning x"})
    void badArgumentsEndInOnePlainUnknownLine(String args) {
        BoundedProcess.Result result = launch(args.split(" "));
        assertEquals(3, result.exitCode(), result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - invalid arguments: "), result.stdout());
        assertEquals(1, result.stdout().split("\n").length, "one line: " + result.stdout());
        assertFalse(result.stdout().contains("Exception"), result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void helpAndVersion() {
        BoundedProcess.Result help = launch("--help");
        assertEquals(3, help.exitCode());
        assertTrue(help.stdout().contains("--socket"), help.stdout());
        BoundedProcess.Result version = launch("-V");
        assertEquals(3, version.exitCode());
        assertTrue(version.stdout().matches("check_socket_backlog \\d+\\.\\d+\\.\\d+\n"), version.stdout());
    }

    @Test
    void unreadableProcIsUnknown() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        // A /proc of its own without sys/: what a chroot with a half-mounted /proc looks like.
        Path work = Files.createTempDirectory("csb-proc");
        cleanup.add(work);
        BoundedProcess.Result result = BoundedProcess.run(MountNamespace.fakeProc(work, List.of(), List.of("sys"),
                List.of(LAUNCHER.toAbsolutePath().toString())), LIMIT);
        assertEquals(3, result.exitCode(), result.stdout() + result.stderr());
        assertEquals("BACKLOG UNKNOWN - cannot read /proc/sys/net/core/somaxconn: No such file or directory "
                + "(is /proc mounted?)\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void malformedProcNetUnixIsUnknown() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        Path work = Files.createTempDirectory("csb-proc");
        cleanup.add(work);
        Path unix = work.resolve("unix");
        Files.writeString(unix, "Something else entirely\n");
        BoundedProcess.Result result = BoundedProcess.run(MountNamespace.fakeProc(work,
                List.<String[]>of(new String[] {"unix", unix.toString()}), List.of(),
                List.of(LAUNCHER.toAbsolutePath().toString(), "--source", "proc", "-s", "/run/x.sock")), LIMIT);
        assertEquals(3, result.exitCode(), result.stdout() + result.stderr());
        assertEquals("BACKLOG UNKNOWN - /proc/net/unix has an unexpected header: \"Something else entirely\"\n",
                result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void timeoutEndsInUnknownInsteadOfHanging() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        // A FIFO nobody writes to over somaxconn: reading it blocks for ever, as a stuck /proc read would.
        Path dir = Files.createTempDirectory("csb-fifo");
        cleanup.add(dir);
        Path fifo = dir.resolve("fifo");
        BoundedProcess.run(List.of("mkfifo", fifo.toString()), LIMIT).requireSuccess(List.of("mkfifo"));
        long start = System.nanoTime();
        BoundedProcess.Result result = BoundedProcess.run(new MountNamespace().bind(fifo, "/proc/sys/net/core/somaxconn")
                .command(List.of(LAUNCHER.toAbsolutePath().toString(), "-t", "2")), LIMIT);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, result.exitCode(), result.stdout());
        // main()'s watchdog says so, or the launcher's outer bound if the JVM took long to start.
        assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - timed out after 2 s "), result.stdout());
        assertEquals(1, result.stdout().split("\n", -1).length - 1, "one line: " + result.stdout());
        assertTrue(millis < 3_000, "ended by -t, not by the test's limit: " + millis + " ms");
        assertEquals("", result.stderr());
    }

    @Test
    void unprivilegedUserGetsTheSameFigures() throws IOException {
        assumeTrue(Unprivileged.isRoot(), "the tests already run unprivileged");
        UnixListener listener = sockets.listenPath("priv.sock", SocketType.STREAM, 2);
        listener.queue(3);
        listener.startBlockedConnectors(1);
        Path copy = worldReadableCopyOfDist();
        List<String> args = List.of("-b", "socket", "-s", listener.kernelName());
        List<String> command = new ArrayList<>(List.of(copy.resolve("check_socket_backlog").toString()));
        command.addAll(args);
        BoundedProcess.Result asNobody = BoundedProcess.run(Unprivileged.command(command), LIMIT);
        BoundedProcess.Result asRoot = launch(args);
        assertEquals(2, asNobody.exitCode(), asNobody.stdout() + asNobody.stderr());
        // The same figures; only the holder differs: root sees this JVM's descriptors, nobody may not.
        assertEquals(withoutHolders(asRoot.stdout()), withoutHolders(asNobody.stdout()));
        assertTrue(asRoot.stdout().contains(", held by "), asRoot.stdout());
        assertTrue(asNobody.stdout().contains(", holder not visible: "), asNobody.stdout());
        assertTrue(withoutHolders(asNobody.stdout()).contains("3 pending, backlog 2, 1 blocked"), asNobody.stdout());
        assertEquals("", asNobody.stderr());
    }

    @Test
    void nonAsciiPathsSurviveAnyLocale() {
        UnixListener listener = sockets.listenPath("grüße.sock", SocketType.STREAM, 4);
        listener.queue(1);
        for (String locale : new String[] {"C", "POSIX", "de_DE.UTF-8", ""}) {
            BoundedProcess.Result result = launch(List.of("-s", listener.kernelName()), env -> {
                env.remove("LC_ALL");
                env.put("LANG", locale);
            });
            assertEquals(0, result.exitCode(), locale + ": " + result.stdout());
            assertTrue(firstLine(result).contains(listener.kernelName() + ": 1 pending, usage 0.01%"),
                    locale + ": " + result.stdout());
        }
    }

    @Test
    void sameResultOnTheOtherJdk() throws IOException {
        Path temurin;
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            temurin = jdks.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                    .filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst().orElse(null);
        } catch (IOException e) {
            temurin = null;
        }
        assumeTrue(temurin != null, "no Temurin 25 under /usr/lib/jvm");
        UnixListener listener = sockets.listenAbstract(SocketType.STREAM, 3);
        listener.queue(4);
        String javaHome = temurin.toString();
        BoundedProcess.Result result = launch(List.of("-b", "socket", "-s", listener.kernelName()),
                env -> env.put("JAVA_HOME", javaHome));
        assertEquals(2, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(firstLine(result).startsWith("BACKLOG CRITICAL - " + SELF + listener.kernelName() + " usage 100%"),
                firstLine(result));
        assertEquals("", result.stderr(), "no JVM warnings (native access, CDS) on JDK 25");
    }

    /** nobody cannot traverse every build directory; a 755 copy of dist/ it can. */
    private Path worldReadableCopyOfDist() throws IOException {
        DistCopy copy = new DistCopy();
        copies.add(copy);
        return copy.root;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
