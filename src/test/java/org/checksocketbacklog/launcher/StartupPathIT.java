package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.tcp.TcpBind;
import org.checksocketbacklog.testsupport.tcp.TcpListeners;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The start-up rule (docs/startup.md, "Start-up costs inside the Java code") as a test. Every check
 * starts a JVM, and a class spun at run time is built on every start, which no class archive can
 * hold: so no lambda and no record equals/hashCode/toString of ours on the check's path, no
 * java.util.regex and no java.net.InetAddress, and no indy string concatenation in our classes at
 * all (javac's -XDstringConcat=inline in the pom).
 */
class StartupPathIT {
    private static final Path JAR = LauncherIT.DIST.resolve("lib/check-socket-backlog.jar");
    private static final String OURS = "org.checksocketbacklog.";

    private UnixListeners sockets;
    private TcpListeners tcp;

    @BeforeEach
    void create() {
        sockets = new UnixListeners();
        tcp = new TcpListeners();
    }

    @AfterEach
    void close() {
        sockets.close();
        tcp.close();
    }

    /** The classes a run of the jar loads, from -Xlog:class+load, as "name source" lines. */
    private static List<String> classesLoadedBy(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xlog:disable", "-Xlog:class+load=info:stdout:none", "-Djna.platform.library.path=",
                "-Djna.boot.library.path=" + LauncherIT.DIST.resolve("native/linux-x86-64"), "-Djna.nosys=true",
                "-Djna.nounpack=true", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        BoundedProcess.Result result = BoundedProcess.run(command, Duration.ofSeconds(60));
        List<String> classes = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            if (line.contains(" source: ")) {
                classes.add(line.trim());
            }
        }
        assertTrue(classes.size() > 300, "class loading was logged: " + result.stdout() + result.stderr());
        assertTrue(result.stdout().contains("BACKLOG "), "the check ran to its status line");
        return classes;
    }

    @Test
    void theChecksPathSpinsNoClassOfOurs() throws Exception {
        UnixListener full = sockets.listenAbstract(SocketType.STREAM, 1);
        full.queue(2);
        full.startBlockedConnectors(1);
        sockets.listenPath("idle.sock", SocketType.STREAM, 5);
        tcp.listen(TcpBind.IPV4_LOOPBACK, 3).queue(1);
        // A full queue held by two processes (a service and its forked worker): the status line and
        // the socket's line name holders, grouped, which must spin nothing either.
        Path sharedSocket = Files.createTempDirectory("csb-startup").resolve("forked.sock");
        Process forked = new ProcessBuilder("python3", "-c", "import os,socket,sys,time\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(0)\n"
                + "c=socket.socket(socket.AF_UNIX); c.connect(sys.argv[1])\n"
                + "pid=os.fork()\n"
                + "if pid: print('ready', flush=True)\n"
                + "time.sleep(60)\n", sharedSocket.toString()).redirectErrorStream(true).start();
        try {
            assertTrue(new String(forked.getInputStream().readNBytes(6)).equals("ready\n"), "the forked holder started");
            List<String[]> runs = List.of(new String[0], new String[] {"-s", full.kernelName(), "-v"},
                    new String[] {"-p", "1", "-s", "/no/such.sock"}, new String[] {"--source", "proc", "-vvv"},
                    new String[] {"-s", sharedSocket.toString()});
            assertSpinsNothing(runs);
        } finally {
            forked.descendants().forEach(ProcessHandle::destroyForcibly);
            forked.destroyForcibly();
            forked.waitFor();
            Files.deleteIfExists(sharedSocket);
            Files.deleteIfExists(sharedSocket.getParent());
        }
    }

    private static void assertSpinsNothing(List<String[]> runs) {
        for (String[] args : runs) {
            List<String> classes = classesLoadedBy(args);
            for (String loaded : classes) {
                String name = loaded.substring(0, loaded.indexOf(' '));
                assertTrue(!(name.startsWith(OURS) && name.contains("$$Lambda")), "a lambda of ours: " + loaded);
                for (String forbidden : new String[] {"java.lang.runtime.ObjectMethods", "java.util.regex.Pattern",
                    "java.net.InetAddress"}) {
                    assertTrue(!name.equals(forbidden), forbidden + " is on the check's path (" + String.join(" ", args)
                            + "): a record's equals/hashCode/toString, a regex or an address lookup of ours");
                }
            }
        }
    }

    @Test
    void noClassOfOursConcatenatesStringsThroughInvokedynamic() throws IOException {
        int scanned = 0;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertTrue(!constants.contains("java/lang/invoke/StringConcatFactory"),
                            entry.getName() + " uses indy string concatenation (is -XDstringConcat=inline gone?)");
                    assertTrue(!constants.contains("java/lang/invoke/LambdaMetafactory"),
                            entry.getName() + " has a lambda or a method reference");
                }
                scanned++;
            }
        }
        assertEquals(true, scanned > 50, "the jar's classes were scanned: " + scanned);
    }
}
