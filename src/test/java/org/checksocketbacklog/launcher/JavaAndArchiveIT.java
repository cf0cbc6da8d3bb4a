package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.checksocketbacklog.testsupport.BoundedProcess;
import org.checksocketbacklog.testsupport.SocketType;
import org.checksocketbacklog.testsupport.UnixListener;
import org.checksocketbacklog.testsupport.UnixListeners;
import org.checksocketbacklog.testsupport.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher in the field: which Java it finds (JAVA_HOME, then PATH, then /usr/lib/jvm), and the
 * class archive it passes only when the found JDK made it for this very jar, silently otherwise.
 * CHECK_SOCKET_BACKLOG_SHOW_JAVA=1 makes the launcher print the command it would run.
 */
class JavaAndArchiveIT {
    static final Duration LIMIT = Duration.ofSeconds(120);
    static final Path TEMURIN = findJdk("temurin-25");

    private UnixListeners sockets;
    private UnixListener listener;
    private DistCopy dist;
    private final List<Path> cleanup = new ArrayList<>();

    @BeforeEach
    void create() throws IOException {
        sockets = new UnixListeners();
        listener = sockets.listenAbstract(SocketType.STREAM, 4);
        listener.queue(3);
        dist = new DistCopy();
    }

    @AfterEach
    void close() throws IOException {
        sockets.close();
        dist.close();
        for (Path path : cleanup) {
            Files.deleteIfExists(path);
        }
    }

    private static Path findJdk(String prefix) {
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> Files.isExecutable(p.resolve("bin/java"))).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private List<String> check() {
        return List.of(dist.launcher().toString(), "-b", "socket", "-s", listener.kernelName());
    }

    private static BoundedProcess.Result run(List<String> command, Consumer<Map<String, String>> environment) {
        return BoundedProcess.run(command, LIMIT, environment);
    }

    /** The java command line the launcher would run, one word a line. */
    private List<String> javaCommand(Consumer<Map<String, String>> environment) {
        BoundedProcess.Result result = run(check(), env -> {
            environment.accept(env);
            env.put("CHECK_SOCKET_BACKLOG_SHOW_JAVA", "1");
        });
        assertEquals(0, result.exitCode(), result.stderr());
        return Arrays.asList(result.stdout().split("\n"));
    }

    private static void assertCheckOutput(BoundedProcess.Result result) {
        assertEquals(1, result.exitCode(), result.stdout() + result.stderr());
        assertTrue(result.stdout().startsWith("BACKLOG WARNING - "), result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void javaHomeComesFirst() {
        assumeTrue(TEMURIN != null, "needs a second JDK under /usr/lib/jvm");
        List<String> command = javaCommand(env -> env.put("JAVA_HOME", TEMURIN.toString()));
        assertEquals(TEMURIN.resolve("bin/java").toString(), command.get(0));
        BoundedProcess.Result verbose = run(List.of(dist.launcher().toString(), "-v", "-s", listener.kernelName()),
                env -> env.put("JAVA_HOME", TEMURIN.toString()));
        assertTrue(verbose.stdout().contains("\njava 25"), verbose.stdout());
        assertTrue(verbose.stdout().contains(" from " + TEMURIN), verbose.stdout());
    }

    @Test
    void pathWhenNoJavaHome() throws IOException {
        assumeTrue(TEMURIN != null, "needs a second JDK under /usr/lib/jvm");
        Path bin = Files.createTempDirectory("csb-path");
        cleanup.add(bin.resolve("java"));
        cleanup.add(bin);
        Files.createSymbolicLink(bin.resolve("java"), TEMURIN.resolve("bin/java"));
        List<String> command = javaCommand(env -> {
            env.remove("JAVA_HOME");
            env.put("PATH", bin + ":/usr/bin:/bin");
        });
        assertEquals(bin.resolve("java").toString(), command.get(0));
        assertCheckOutput(run(check(), env -> {
            env.remove("JAVA_HOME");
            env.put("PATH", bin + ":/usr/bin:/bin");
        }));
    }

    @Test
    void usrLibJvmWhenNeither() {
        Consumer<Map<String, String>> noJava = env -> {
            env.put("JAVA_HOME", "/nonexistent");
            env.put("PATH", "/nonexistent");
        };
        String java = javaCommand(noJava).get(0);
        assertTrue(java.startsWith("/usr/lib/jvm/") && java.endsWith("/bin/java"), java);
        assertCheckOutput(run(check(), noJava));
    }

    @Test
    void brokenJavaHomeFallsThroughToPath() {
        String java = javaCommand(env -> env.put("JAVA_HOME", "/nonexistent")).get(0);
        assertEquals(javaCommand(env -> env.remove("JAVA_HOME")).get(0), java, "the same java as with no JAVA_HOME");
        assertFalse(java.startsWith("/nonexistent"), java);
    }

    @Test
    void archiveMadeByThisJdkForThisJarIsPassedAndMaps() throws IOException {
        dist.withoutArchives();
        BoundedProcess.Result training = run(check(), env -> env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1"));
        assertEquals(0, training.exitCode(), training.stderr());
        List<String> command = javaCommand(env -> { });
        String archive = command.stream().filter(w -> w.startsWith("-XX:SharedArchiveFile=")
                || w.startsWith("-XX:AOTCache=")).findFirst().orElse("");
        assertTrue(archive.contains(dist.cds().toString()), "archive passed: " + command);
        // Force the archive: a JVM that cannot map it exits with an error instead of running without it.
        List<String> forced = new ArrayList<>(command);
        forced.add(1, archive.startsWith("-XX:AOTCache=") ? "-XX:AOTMode=on" : "-Xshare:on");
        assertCheckOutput(run(forced, env -> { }));
        assertCheckOutput(run(check(), env -> { }));
    }

    @Test
    void aotCacheOnJdk25() {
        assumeTrue(TEMURIN != null, "needs JDK 25 under /usr/lib/jvm");
        BoundedProcess.Result training = run(check(), env -> {
            env.put("JAVA_HOME", TEMURIN.toString());
            env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1");
        });
        assertEquals(0, training.exitCode(), training.stderr());
        List<String> command = javaCommand(env -> env.put("JAVA_HOME", TEMURIN.toString()));
        String cache = command.stream().filter(w -> w.startsWith("-XX:AOTCache=")).findFirst().orElse("");
        assertTrue(cache.endsWith(".aot"), command.toString());
        List<String> forced = new ArrayList<>(command);
        forced.add(1, "-XX:AOTMode=on");
        assertCheckOutput(run(forced, env -> { }));
    }

    @Test
    void archiveOfAnotherJarIsNotPassed() throws IOException {
        dist.withoutArchives();
        assertEquals(0, run(check(), env -> env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1")).exitCode());
        // An upgrade replaces the jar: a new file under the same name.
        Path replacement = dist.root.resolve("lib/new.jar");
        Files.copy(dist.jar(), replacement);
        Files.move(replacement, dist.jar(), StandardCopyOption.REPLACE_EXISTING);
        List<String> command = javaCommand(env -> { });
        assertTrue(command.stream().noneMatch(w -> w.startsWith("-XX:SharedArchiveFile=") || w.startsWith("-XX:AOTCache=")),
                command.toString());
        assertCheckOutput(run(check(), env -> { }));
    }

    @Test
    void archiveFromTheBuildIsNotPassedAfterAMove() {
        // The copy's cds/ came from the build tree; its links name the build's jar.
        List<String> command = javaCommand(env -> { });
        assertTrue(command.stream().noneMatch(w -> w.contains(DistCopy.DIST.toAbsolutePath().toString() + "/cds")),
                command.toString());
        assertTrue(command.stream().noneMatch(w -> w.startsWith("-XX:SharedArchiveFile=")), command.toString());
    }

    @Test
    void corruptArchiveIsIgnoredSilently() throws IOException {
        dist.withoutArchives();
        assertEquals(0, run(check(), env -> env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1")).exitCode());
        try (Stream<Path> files = Files.list(dist.cds())) {
            for (Path archive : files.filter(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot"))
                    .toList()) {
                Files.write(archive, new byte[4096]);
            }
        }
        assertCheckOutput(run(check(), env -> { }));
    }

    @Test
    void readOnlyInstallationRunAsNobody() throws IOException {
        assumeTrue(Unprivileged.isRoot(), "the tests already run unprivileged");
        dist.withoutArchives();
        assertEquals(0, run(check(), env -> env.put("CHECK_SOCKET_BACKLOG_TRAIN", "1")).exitCode());
        // nobody cannot write anywhere in the copy; the archive is still read.
        BoundedProcess.Result result = run(Unprivileged.command(check()), env -> env.remove("HOME"));
        assertCheckOutput(result);
        List<String> command = javaCommand(env -> { });
        assertTrue(command.stream().anyMatch(w -> w.startsWith("-XX:SharedArchiveFile=") || w.startsWith("-XX:AOTCache=")));
    }
}
