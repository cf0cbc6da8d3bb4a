package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the launcher maps every way the JVM can end, with a fake JAVA_HOME (the real JDK's release
 * file, a bin/java script that ends as a JVM would): Main's exit 10..13 back to 0..3 with stderr
 * passed on, everything else to one sanitized UNKNOWN line that says what happened.
 */
class JvmEndingsIT {
    static final Duration LIMIT = Duration.ofSeconds(30);
    static final Path LAUNCHER = DistCopy.DIST.resolve("check_socket_backlog");

    private Path home;

    @BeforeEach
    void fakeJdk() throws IOException {
        home = Files.createTempDirectory("csb-fake-jdk");
        Files.copy(Path.of(System.getProperty("java.home"), "release"), home.resolve("release"));
        Files.createDirectories(home.resolve("bin"));
    }

    @AfterEach
    void removeFakeJdk() throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The launcher with a java that runs {@code script} (sh). */
    private BoundedProcess.Result launch(String script, String... args) throws IOException {
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return BoundedProcess.run(command, LIMIT, env -> env.put("JAVA_HOME", home.toString()));
    }

    private static void assertLine(BoundedProcess.Result result, String line) {
        assertEquals(3, result.exitCode(), result.stdout() + result.stderr());
        assertEquals("BACKLOG UNKNOWN - " + line + "\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void mainsStatusIsTheCheckStateAndItsStderrIsPassedOn() throws IOException {
        for (int state = 0; state <= 3; state++) {
            BoundedProcess.Result result = launch("echo 'BACKLOG STATE | x=1'; printf 'trace\\n\\tat here\\n' >&2; "
                    + "exit " + (10 + state));
            assertEquals(state, result.exitCode());
            assertEquals("BACKLOG STATE | x=1\n", result.stdout());
            assertEquals("trace\n\tat here\n", result.stderr());
        }
    }

    @Test
    void aJvmThatCannotStartIsOneLineWithItsReason() throws IOException {
        assertLine(launch("echo 'Error occurred during initialization of VM' >&2; "
                + "echo 'Could not reserve enough space for 251904KB object heap' >&2; exit 1"),
                "the Java runtime could not start (exit 1): Could not reserve enough space for 251904KB object heap; "
                + "raise the memory limit of the check's user (ulimit -v) or free memory");
        assertLine(launch("echo 'Error occurred during initialization of VM' >&2; "
                + "echo 'java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory' >&2; "
                + "printf '\\tat java.lang.Thread.start0(Native Method)\\n' >&2; exit 1"),
                "the Java runtime could not start (exit 1): java.lang.OutOfMemoryError: unable to create native thread: "
                + "possibly out of memory; raise the process limit (ulimit -u, a cgroup's pids.max) or the memory limit "
                + "(ulimit -v) of the check's user");
        // A fatal error, whose report -XX:+SuppressFatalErrorMessage keeps off stdout: exit 1, silent.
        assertLine(launch("exit 1"), "the Java runtime stopped with a fatal error (exit 1, crash report suppressed): "
                + "usually too little memory or too few processes for it; raise the memory limit (ulimit -v) or the "
                + "process limit (ulimit -u) of the check's user");
    }

    @Test
    void signalsAreNamed() throws IOException {
        assertLine(launch("kill -SEGV $$"),
                "the Java runtime crashed (SIGSEGV) before the check finished; usually too little memory for it (ulimit -v)");
        assertLine(launch("kill -TERM $$"), "the Java runtime was stopped by SIGTERM before the check finished");
        assertLine(launch("kill -KILL $$"), "the Java runtime was killed (SIGKILL) before the check finished: by the "
                + "kernel's out-of-memory killer or a cgroup memory limit?");
    }

    @Test
    void aJvmThatHangsIsKilledWithinTheTimeout() throws IOException {
        long start = System.nanoTime();
        BoundedProcess.Result result = launch("exec sleep 20", "-t", "1");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertLine(result, "timed out after 1 s (-t) before the check finished: the Java runtime was still starting "
                + "or was blocked (an overloaded host, or a hung /proc file such as /proc/cpuinfo?); raise -t/--timeout "
                + "if the host is very busy");
        assertTrue(millis < 1_000, "within -t from the launcher's start: " + millis + " ms");
    }

    @Test
    void aJvmKilledAfterMainChoseItsOutputKeepsThatOutputAndState() throws IOException {
        // main() says which state it writes, writes, and is killed by the outer bound before it exits.
        BoundedProcess.Result result = launch("printf 'check_socket_backlog: writing state 1\\n' >&2; "
                + "echo 'BACKLOG WARNING - x | x=1'; exec sleep 20", "-t", "1");
        assertEquals(1, result.exitCode(), result.stdout());
        assertEquals("BACKLOG WARNING - x | x=1\n", result.stdout(), "nothing added");
        assertEquals("", result.stderr());
        // The same line among other stderr: taken out, the rest passed on.
        BoundedProcess.Result traced = launch("printf 'trace 1\\n' >&2; "
                + "printf 'check_socket_backlog: writing state 2\\n' >&2; "
                + "echo 'BACKLOG CRITICAL - x | x=1'; printf 'trace 2\\n' >&2; exit 12");
        assertEquals(2, traced.exitCode());
        assertEquals("trace 1\ntrace 2\n", traced.stderr());
    }

    @Test
    void whatTheLineQuotesIsSanitizedAndBounded() throws IOException {
        String noisy = "Error: bad | thing \\001 with \\033[31m escapes and " + "x".repeat(300);
        BoundedProcess.Result result = launch("printf '" + noisy + "\\n' >&2; exit 42");
        assertEquals(3, result.exitCode());
        String line = result.stdout();
        assertTrue(line.startsWith("BACKLOG UNKNOWN - the Java runtime ended without a result (exit 42): bad / thing ? "
                + "with ?[31m escapes and xxx"), line);
        assertTrue(line.endsWith("...; run the check by hand for the Java runtime's whole message\n"), line);
        assertTrue(line.length() < 330, line.length() + ": " + line);
        assertTrue(line.chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), line);
        assertEquals(1, line.split("\n", -1).length - 1);
    }

    @Test
    void aJavaRuntimeThatCannotBeExecuted() throws IOException {
        // Executable, but its interpreter does not exist: timeout(1) cannot run it (exit 127).
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/nonexistent/interpreter\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        BoundedProcess.Result result = BoundedProcess.run(List.of(LAUNCHER.toString()), LIMIT,
                env -> env.put("JAVA_HOME", home.toString()));
        assertEquals(3, result.exitCode(), result.stdout());
        assertEquals("BACKLOG UNKNOWN - cannot start the Java runtime " + java + " (exit 127): failed to run command ?"
                + java + "?: No such file or directory; run the check by hand for the Java runtime's whole message\n",
                result.stdout());
        assertEquals("", result.stderr());
    }
}
