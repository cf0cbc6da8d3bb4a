package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.Unprivileged;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything outside or before main(), as a hostile or broken host would have it: a deleted working
 * directory, too little address space, too few processes or file descriptors, no /proc, a /proc
 * file that never answers, a Java 8 JAVA_HOME, the launcher's old variables, 20 checks at once, a
 * stdout nobody reads, a missing JNA jar. Every run must end with exit 0-3 and, on stdout, the
 * plugin's own output or exactly one "BACKLOG UNKNOWN - ..." line (no Java stack trace, no JVM
 * message), within -t; on the normal path nothing on stderr. Each test fails on the launcher and
 * Main of before issue 7 (a JVM message on stdout and exit 1, 127 or 139, a hang, exit 0 without
 * a check, "internal error: NoClassDefFoundError") and bounds every process it starts.
 */
class OutsideMainIT {
    static final Duration LIMIT = Duration.ofSeconds(40);
    static final Path TEMURIN = JavaAndArchiveIT.TEMURIN;

    private UnixListeners sockets;
    private UnixListener listener;
    private DistCopy dist;
    private final List<Path> cleanup = new ArrayList<>();

    @BeforeEach
    void create() throws IOException {
        sockets = new UnixListeners();
        listener = sockets.listenAbstract(SocketType.STREAM, 4);
        listener.queue(3);
        // A 755 copy, so that nobody can run it too; without the build's archives (they name its jar).
        dist = new DistCopy().withoutArchives();
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
        dist.close();
        for (Path path : cleanup) {
            deleteTree(path);
        }
    }

    /** The check of this test's listener: 3 of 4 queued on the socket basis is WARNING. */
    private List<String> check(String... more) {
        List<String> command = new ArrayList<>(List.of(dist.launcher().toString(), "-b", "socket", "-s",
                listener.kernelName()));
        command.addAll(Arrays.asList(more));
        return command;
    }

    /** {@code command} run by sh after {@code script}; the script's $1 is {@code argument}. */
    private static List<String> shell(String script, String argument, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script + " && shift && exec \"$@\"", "sh", argument));
        cmd.addAll(command);
        return cmd;
    }

    private static List<String> shell(String script, List<String> command) {
        return shell(script, "-", command);
    }

    private static BoundedProcess.Result run(List<String> command) {
        return BoundedProcess.run(command, LIMIT);
    }

    private static BoundedProcess.Result run(List<String> command, Consumer<Map<String, String>> environment) {
        return BoundedProcess.run(command, LIMIT, environment);
    }

    /** The invariant of every run: exit 0-3 and the plugin's output, or exactly one UNKNOWN line. */
    static void assertPluginOutput(BoundedProcess.Result result, String what) {
        String out = result.stdout();
        String all = what + ": exit " + result.exitCode() + ", stdout [" + out + "], stderr [" + result.stderr() + "]";
        assertTrue(result.exitCode() >= 0 && result.exitCode() <= 3, all);
        assertTrue(out.startsWith("BACKLOG "), all);
        assertTrue(out.endsWith("\n"), all);
        // More than one line: the plugin's report, whose status line has perfdata. One line: a
        // status line of its own, or one of the UNKNOWN lines of Main or the launcher.
        if (out.indexOf('\n') < out.length() - 1) {
            assertTrue(out.substring(0, out.indexOf('\n')).contains(" | "), "a report, or one line: " + all);
        }
        for (String noise : List.of("Exception in thread", "\tat ", "Error occurred during initialization", "\n#",
                "hs_err", "writing state")) {
            assertFalse(out.contains(noise), "no JVM output on stdout: " + all);
        }
    }

    /** The invariant, and that it is the launcher's (or Main's) one UNKNOWN line starting so. */
    static void assertUnknown(BoundedProcess.Result result, String start, String what) {
        assertPluginOutput(result, what);
        assertEquals(3, result.exitCode(), what + ": " + result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - " + start), what + ": " + result.stdout());
        assertEquals(1, result.stdout().split("\n", -1).length - 1, "exactly one line: " + result.stdout());
        assertFalse(result.stdout().contains("|"), "no perfdata separator in it: " + result.stdout());
    }

    /** The check's own WARNING, as without any hostility. */
    private static void assertWarning(BoundedProcess.Result result, String what) {
        assertPluginOutput(result, what);
        assertEquals(1, result.exitCode(), what + ": " + result.stdout() + result.stderr());
        assertTrue(result.stdout().startsWith("BACKLOG WARNING - "), what + ": " + result.stdout());
    }

    @Test
    void deletedWorkingDirectory() throws IOException {
        Path dir = Files.createTempDirectory("csb-cwd");
        cleanup.add(dir);
        BoundedProcess.Result result = run(shell("cd \"$1\" && rmdir \"$1\"", dir.toString(), check()));
        assertWarning(result, "deleted cwd");
        // dash itself says "getcwd() failed" before it reads the script; nothing else may reach stderr.
        assertFalse(result.stderr().contains("java") || result.stderr().contains("Error"), result.stderr());
    }

    @ParameterizedTest
    @ValueSource(ints = {200_000, 500_000, 1_000_000, 2_000_000, 2_800_000, 3_100_000})
    void addressSpaceLimit(int kilobytes) {
        for (Path jdk : jdks()) {
            BoundedProcess.Result result = run(shell("ulimit -v " + kilobytes, check()),
                    env -> env.put("JAVA_HOME", jdk.toString()));
            String what = "ulimit -v " + kilobytes + " with " + jdk;
            assertPluginOutput(result, what);
            if (result.exitCode() == 3) {
                assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - the Java runtime "), what + ": " + result.stdout());
            } else {
                assertWarning(result, what);
            }
            assertEquals("", result.stderr(), what);
        }
        if (kilobytes == 500_000) {
            BoundedProcess.Result result = run(shell("ulimit -v " + kilobytes, check()));
            assertUnknown(result, "the Java runtime could not start (exit 1): Could not reserve enough space for ",
                    "ulimit -v 500000");
            assertTrue(result.stdout().contains("(ulimit -v)"), result.stdout());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8, 16, 64})
    void processLimitAsNobody(int processes) {
        assumeTrue(Unprivileged.isRoot(), "needs root to run as nobody with a limit");
        // RLIMIT_NPROC counts every process and thread of the user: with 1 the launcher cannot fork
        // at all (dash would say "Cannot fork" and exit 2), with 2 timeout(1) cannot, with 4..16 the
        // JVM cannot create its threads, with 64 the check runs.
        List<String> command = new ArrayList<>(List.of("prlimit", "--nproc=" + processes, "--"));
        command.addAll(check());
        BoundedProcess.Result result = run(Unprivileged.command(command));
        String what = "RLIMIT_NPROC " + processes + " as nobody";
        assertPluginOutput(result, what);
        assertEquals("", result.stderr(), what);
        switch (processes) {
            case 1 -> assertUnknown(result, "cannot start the Java runtime: fork failed while ", what);
            case 2 -> assertUnknown(result, "cannot start the Java runtime: fork failed in timeout(1) ", what);
            case 64 -> assertWarning(result, what);
            default -> assertEquals(3, result.exitCode(), what + ": " + result.stdout());
        }
        if (processes > 1 && processes < 64) {
            assertTrue(result.stdout().contains("ulimit -u"), what + ": " + result.stdout());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 13, 14, 16, 20, 32})
    void openFileLimit(int files) {
        // Below 12 dash cannot even open the script (it keeps it above fd 10): nothing to test there.
        List<String> command = new ArrayList<>(List.of("prlimit", "--nofile=" + files, "--"));
        command.addAll(check());
        BoundedProcess.Result result = run(command);
        String what = "RLIMIT_NOFILE " + files;
        assertPluginOutput(result, what);
        assertEquals("", result.stderr(), what);
        if (files >= 16) {
            assertWarning(result, what);
        }
    }

    @Test
    void noProcMounted() {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        BoundedProcess.Result result = run(new MountNamespace().tmpfs("/proc").command(check()));
        assertUnknown(result, "cannot start the Java runtime ", "no /proc");
        assertTrue(result.stdout().contains("/proc is not mounted"), result.stdout());
        assertEquals("", result.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/proc/cpuinfo", "/proc/meminfo"})
    void hungProcFileBeforeMain(String file) throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        // A FIFO nobody writes to, as a hung lxcfs would serve: the JVM blocks in it while starting.
        Path dir = Files.createTempDirectory("csb-fifo");
        cleanup.add(dir);
        Path fifo = dir.resolve("fifo");
        BoundedProcess.run(List.of("mkfifo", fifo.toString()), LIMIT).requireSuccess(List.of("mkfifo"));
        long start = System.nanoTime();
        BoundedProcess.Result result = BoundedProcess.run(new MountNamespace().bind(fifo, file).command(check("-t", "2")),
                Duration.ofSeconds(20));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertUnknown(result, "timed out after 2 s (-t) before the check finished", "FIFO over " + file);
        assertTrue(millis < 2_500, "within -t (2 s) and a small bound: " + millis + " ms");
        assertEquals("", result.stderr());
    }

    @Test
    void java8JavaHomeIsSkipped() throws IOException {
        Path home = Files.createTempDirectory("csb-java8");
        cleanup.add(home);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Oracle Corporation\"\nJAVA_VERSION=\"1.8.0_412\"\n"
                + "JAVA_RUNTIME_VERSION=\"1.8.0_412-b08\"\nOS_ARCH=\"amd64\"\n");
        // What a Java 8 java says to the launcher's first flag.
        writeExecutable(home.resolve("bin/java"), "#!/bin/sh\necho 'Unrecognized option: -Xlog:disable' >&2\n"
                + "echo 'Error: Could not create the Java Virtual Machine.' >&2\n"
                + "echo 'Error: A fatal exception has occurred. Program will exit.' >&2\nexit 1\n");
        // By its release file: too old, so the java on PATH runs the check.
        BoundedProcess.Result skipped = run(check(), env -> env.put("JAVA_HOME", home.toString()));
        assertWarning(skipped, "Java 8 JAVA_HOME");
        assertEquals("", skipped.stderr());
        // Without a release file it cannot be told apart, and says so itself.
        Files.delete(home.resolve("release"));
        BoundedProcess.Result unknown = run(check(), env -> env.put("JAVA_HOME", home.toString()));
        assertUnknown(unknown, "the Java runtime could not start (exit 1): Unrecognized option: -Xlog:disable; "
                + "the plugin needs Java 17 or newer", "Java 8 JAVA_HOME without release file");
        assertEquals("", unknown.stderr());
    }

    @Test
    void theOldLauncherVariablesChangeNothing() {
        BoundedProcess.Result plain = run(check());
        BoundedProcess.Result result = run(check(), env -> {
            env.put("CHECK_SOCKET_BACKLOG_SHOW_JAVA", "1");
            env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1");
            env.put("CHECK_SOCKET_BACKLOG_PROC_ROOT", "/nonexistent");
        });
        assertWarning(result, "old variables set");
        assertEquals(plain.stdout(), result.stdout());
        assertEquals("", result.stderr());
        assertFalse(Files.exists(dist.cds()), "no training run");
    }

    @Test
    void twentyChecksAtOnceOnTwoCpus() throws Exception {
        // As a monitoring server starting a batch of services: the default -t, all at once.
        int checks = 20;
        ExecutorService pool = Executors.newFixedThreadPool(checks);
        List<Future<long[]>> runs = new ArrayList<>();
        List<BoundedProcess.Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < checks; i++) {
                runs.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    BoundedProcess.Result result = BoundedProcess.run(check(), Duration.ofSeconds(30));
                    results.add(result);
                    return new long[] {(System.nanoTime() - start) / 1_000_000, result.exitCode()};
                }));
            }
            List<Long> millis = new ArrayList<>();
            for (Future<long[]> run : runs) {
                millis.add(run.get(60, TimeUnit.SECONDS)[0]);
            }
            millis.sort(null);
            System.out.println("20 concurrent checks, wall ms: " + millis + " (median " + millis.get(checks / 2)
                    + ", max " + millis.get(checks - 1) + "; " + Runtime.getRuntime().availableProcessors() + " CPUs)");
            for (BoundedProcess.Result result : results) {
                assertWarning(result, "one of 20 concurrent checks");
                assertEquals("", result.stderr());
            }
            assertTrue(millis.get(checks - 1) < 10_000, "all well under check_nrpe's 10 s: " + millis);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void stdoutThatNobodyReadsCannotOutliveTheTimeout() throws Exception {
        // Enough output to fill a pipe several times over: -vvv lists every listener it reads.
        try (UnixListeners many = new UnixListeners()) {
            for (int i = 0; i < 1000; i++) {
                many.listenAbstract("csb-unread-stdout-" + "x".repeat(60) + "-" + i, SocketType.STREAM, 1);
            }
            ProcessBuilder builder = new ProcessBuilder(dist.launcher().toString(), "-vvv", "-t", "3")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE);
            long start = System.nanoTime();
            Process process = builder.start();
            try {
                process.getOutputStream().close();
                // Never read: the JVM blocks writing, and only the watchdog can end it.
                boolean ended = process.waitFor(10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(ended, "the check still runs after 10 s with -t 3");
                assertTrue(millis < 3_500, "ended within -t: " + millis + " ms");
                // The state it was writing (every listener OK or WARNING), not an UNKNOWN it could not write.
                assertTrue(process.exitValue() <= 2, "exit " + process.exitValue());
            } finally {
                process.destroyForcibly();
                process.getInputStream().close();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void missingJnaJarFallsBackToProc() throws IOException {
        try (Stream<Path> jars = Files.list(dist.root.resolve("lib"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("jna-")).toList()) {
                Files.delete(jar);
            }
        }
        BoundedProcess.Result result = run(List.of(dist.launcher().toString(), "-v", "-s", listener.kernelName()));
        assertPluginOutput(result, "no JNA jar");
        assertEquals(0, result.exitCode(), result.stdout());
        assertTrue(result.stdout().contains("\nsource: unix /proc/net/unix (sock_diag unavailable: cannot load JNA "),
                result.stdout());
        assertFalse(result.stdout().contains("internal error"), result.stdout());
        assertEquals("", result.stderr());
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<Path> jdks() {
        List<Path> jdks = new ArrayList<>(List.of(Path.of("/usr/lib/jvm/java-17-openjdk-amd64")));
        if (TEMURIN != null) {
            jdks.add(TEMURIN);
        }
        jdks.removeIf(jdk -> !Files.isExecutable(jdk.resolve("bin/java")));
        return jdks;
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
