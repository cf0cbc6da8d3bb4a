package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The launcher in the field: which Java it finds (JAVA_HOME, then PATH, then /usr/lib/jvm), and the
 * class archive it passes only when the found JDK made it for this very jar, silently otherwise.
 * {@code --show-java} as the first argument makes the launcher print the command it would run, and
 * {@code --train-archive} makes the archive.
 */
class JavaAndArchiveIT {
    static final Duration LIMIT = Duration.ofSeconds(120);
    static final Path TEMURIN = findJdk("temurin-25");

    private UnixListeners sockets;
    private UnixListener listener;
    private DistCopy dist;
    private final List<Path> cleanup = new ArrayList<>();
    private final List<Path> cleanupTrees = new ArrayList<>();

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
        for (Path tree : cleanupTrees) {
            try (Stream<Path> paths = Files.walk(tree)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
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

    private List<String> check(String mode) {
        List<String> command = new ArrayList<>(check());
        command.add(1, mode);
        return command;
    }

    /** The java command line the launcher would run, one word a line (exit 3, like --help). */
    private List<String> javaCommand(Consumer<Map<String, String>> environment) {
        BoundedProcess.Result result = run(check("--show-java"), environment);
        assertEquals(3, result.exitCode(), result.stderr());
        assertEquals("", result.stderr());
        return Arrays.asList(result.stdout().split("\n"));
    }

    /** The class archive made by the launcher's training mode, which says where it wrote it. */
    private void train(Consumer<Map<String, String>> environment) {
        BoundedProcess.Result training = run(check("--train-archive"), environment);
        assertEquals(0, training.exitCode(), training.stdout() + training.stderr());
        assertTrue(training.stdout().matches("check_socket_backlog: class archive for \\S+ written to "
                + java.util.regex.Pattern.quote(dist.cds().toString()) + "/\\S+\\.(jsa|aot)\n"), training.stdout());
        assertEquals("", training.stderr());
    }

    /** The java command as a check runs it, but exiting 0..3 as with java -jar. */
    private static List<String> withoutExitBase(List<String> command) {
        List<String> plain = new ArrayList<>(command);
        plain.removeIf(word -> word.startsWith("-Dcheck_socket_backlog.exit_base="));
        return plain;
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

    /**
     * Fake JDKs under a temp dir, bound over /usr/lib/jvm in a private mount namespace: each a release
     * file with this JAVA_VERSION (none for null) and a bin/java that prints its directory's name and
     * exits as main() would with OK, so that the launcher's stdout names the JDK it ran.
     */
    private Path fakeJvmDir(String... namesAndVersions) throws IOException {
        Path jvm = Files.createTempDirectory("csb-jvm");
        for (int i = 0; i < namesAndVersions.length; i += 2) {
            Path home = jvm.resolve(namesAndVersions[i]);
            Files.createDirectories(home.resolve("bin"));
            if (namesAndVersions[i + 1] != null) {
                Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\""
                        + namesAndVersions[i + 1] + "\"\nJAVA_RUNTIME_VERSION=\"" + namesAndVersions[i + 1]
                        + "+1\"\nOS_ARCH=\"amd64\"\n");
            }
            Path java = home.resolve("bin/java");
            Files.writeString(java, "#!/bin/sh\necho \"ran " + namesAndVersions[i] + "\"\nexit 10\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        cleanupTrees.add(jvm);
        return jvm;
    }

    /** The launcher with {@code jvm} as /usr/lib/jvm, no JAVA_HOME unless given, PATH without java. */
    private BoundedProcess.Result withJvmDir(Path jvm, String javaHome, String path) {
        return run(new MountNamespace().bind(jvm, "/usr/lib/jvm").command(List.of(dist.launcher().toString())), env -> {
            env.remove("JAVA_HOME");
            if (javaHome != null) {
                env.put("JAVA_HOME", javaHome);
            }
            env.put("PATH", path);
        });
    }

    @Test
    void newestJdkUnderUsrLibJvmByItsReleaseFile() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        // In glob order java-8 comes last, and a JDK without a release file first.
        Path jvm = fakeJvmDir("custom-build", null, "java-11-openjdk-amd64", "11.0.25", "java-17-openjdk-amd64", "17.0.13",
                "java-21-openjdk-amd64", "21.0.5", "java-21.0.1-zulu", "21.0.1", "java-8-openjdk-amd64", "1.8.0_412");
        BoundedProcess.Result result = withJvmDir(jvm, null, "/nonexistent");
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        assertEquals("ran java-21-openjdk-amd64\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void tooOldJavaHomeAndPathFallThroughToAUsableJdk() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        Path jvm = fakeJvmDir("java-8-openjdk-amd64", "1.8.0_412", "java-11-openjdk-amd64", "11.0.25",
                "java-17-openjdk-amd64", "17.0.13");
        Path bin = Files.createTempDirectory("csb-path");
        cleanupTrees.add(bin);
        // java on PATH through a link, as /usr/bin/java through /etc/alternatives; the link resolves in
        // the namespace, where /usr/lib/jvm is the fake one.
        Files.createSymbolicLink(bin.resolve("java"), Path.of("/usr/lib/jvm/java-11-openjdk-amd64/bin/java"));
        BoundedProcess.Result result = withJvmDir(jvm, "/usr/lib/jvm/java-8-openjdk-amd64", bin + ":/usr/bin:/bin");
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        assertEquals("ran java-17-openjdk-amd64\n", result.stdout());
        assertEquals("", result.stderr());
    }

    @Test
    void noUsableJdkIsOneUnknownLineNamingWhatWasFound() throws IOException {
        assumeTrue(MountNamespace.available(), "needs root for a mount namespace");
        Path jvm = fakeJvmDir("custom-build", null, "java-11-openjdk-amd64", "11.0.25", "java-8-openjdk-amd64", "1.8.0_412");
        BoundedProcess.Result result = withJvmDir(jvm, "/usr/lib/jvm/java-8-openjdk-amd64", "/nonexistent");
        assertEquals(3, result.exitCode(), result.stdout());
        assertEquals("BACKLOG UNKNOWN - no Java 17 or newer found (JAVA_HOME /usr/lib/jvm/java-8-openjdk-amd64 is Java 8, "
                + "/usr/lib/jvm/custom-build has no release file, /usr/lib/jvm/java-11-openjdk-amd64 is Java 11, "
                + "/usr/lib/jvm/java-8-openjdk-amd64 is Java 8): install Java 17 or newer, or set JAVA_HOME to one\n",
                result.stdout());
        assertEquals("", result.stderr());
        BoundedProcess.Result none = withJvmDir(fakeJvmDir(), null, "/nonexistent");
        assertEquals("BACKLOG UNKNOWN - no Java runtime found (set JAVA_HOME, or install Java 17 or newer)\n",
                none.stdout());
        assertEquals(3, none.exitCode());
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
        train(env -> { });
        List<String> command = javaCommand(env -> { });
        String archive = command.stream().filter(w -> w.startsWith("-XX:SharedArchiveFile=")
                || w.startsWith("-XX:AOTCache=")).findFirst().orElse("");
        assertTrue(archive.contains(dist.cds().toString()), "archive passed: " + command);
        // Force the archive: a JVM that cannot map it exits with an error instead of running without it.
        List<String> forced = withoutExitBase(command);
        forced.add(1, archive.startsWith("-XX:AOTCache=") ? "-XX:AOTMode=on" : "-Xshare:on");
        assertCheckOutput(run(forced, env -> { }));
        assertCheckOutput(run(check(), env -> { }));
    }

    @Test
    void aotCacheOnJdk25() {
        assumeTrue(TEMURIN != null, "needs JDK 25 under /usr/lib/jvm");
        train(env -> env.put("JAVA_HOME", TEMURIN.toString()));
        List<String> command = javaCommand(env -> env.put("JAVA_HOME", TEMURIN.toString()));
        String cache = command.stream().filter(w -> w.startsWith("-XX:AOTCache=")).findFirst().orElse("");
        assertTrue(cache.endsWith(".aot"), command.toString());
        List<String> forced = withoutExitBase(command);
        forced.add(1, "-XX:AOTMode=on");
        assertCheckOutput(run(forced, env -> { }));
    }

    @Test
    void archiveOfAnotherJarIsNotPassed() throws IOException {
        dist.withoutArchives();
        train(env -> { });
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
        train(env -> { });
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
        train(env -> { });
        // nobody cannot write anywhere in the copy; the archive is still read.
        BoundedProcess.Result result = run(Unprivileged.command(check()), env -> env.remove("HOME"));
        assertCheckOutput(result);
        List<String> command = javaCommand(env -> { });
        assertTrue(command.stream().anyMatch(w -> w.startsWith("-XX:SharedArchiveFile=") || w.startsWith("-XX:AOTCache=")));
    }
}
