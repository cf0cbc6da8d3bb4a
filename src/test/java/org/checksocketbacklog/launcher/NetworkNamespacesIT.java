package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.TestNamespace;
import org.checksocketbacklog.testsupport.processes.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --netns, --netns-pid and --all-netns from the host, against listeners in network namespaces the
 * test makes: each figure is the namespace's own, compared with ss run inside it, with the
 * namespace's somaxconn; a socket file in a directory the host shares with the namespace is
 * found where it listens; a namespace that is not there is reported, and an unprivileged user is
 * told what is missing.
 */
class NetworkNamespacesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestNamespace namespace;
    private Path directory;
    private final List<AutoCloseable> sockets = new ArrayList<>();

    @BeforeEach
    void create() throws IOException {
        assumeTrue(TestNamespace.available(), "needs root and iproute2 for network namespaces");
        namespace = new TestNamespace();
        namespace.sysctl("net.core.somaxconn", "128");
        directory = Files.createTempDirectory("csb-netns");
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void close() throws Exception {
        for (int i = sockets.size() - 1; i >= 0; i--) {
            sockets.get(i).close();
        }
        if (namespace != null) {
            namespace.close();
        }
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** A unix listener inside the namespace, at a path in the shared directory, with clients not accepted. */
    private Path unixListener(String name, int backlog, int clients) {
        Path path = directory.resolve(name);
        namespace.inside(() -> {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), backlog);
            sockets.add(server);
            for (int i = 0; i < clients; i++) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.connect(UnixDomainSocketAddress.of(path));
                sockets.add(client);
            }
            return null;
        });
        return path;
    }

    /** A TCP listener on the namespace's loopback, with clients not accepted; its port. */
    private int tcpListener(int backlog, int clients) {
        return namespace.inside(() -> {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress("127.0.0.1", 0), backlog);
            sockets.add(server);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            for (int i = 0; i < clients; i++) {
                SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                sockets.add(client);
            }
            return port;
        });
    }

    private static BoundedProcess.Result check(String... args) {
        List<String> command = new ArrayList<>(List.of(LauncherIT.LAUNCHER.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return BoundedProcess.run(command, TIMEOUT);
    }

    /** Recv-Q of the listener ss shows inside the namespace for {@code local} (a path, or 127.0.0.1:PORT). */
    private long ssPending(String family, String local) {
        BoundedProcess.Result ss = namespace.exec("ss", "-Hln", family);
        for (String line : ss.stdout().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            // unix: Netid State Recv-Q Send-Q Local Inode Peer...; tcp: State Recv-Q Send-Q Local Peer
            int local0 = family.equals("-x") ? 4 : 3;
            if (fields.length > local0 && fields[local0].equals(local)) {
                return Long.parseLong(fields[local0 - 2]);
            }
        }
        throw new AssertionError("ss in " + namespace.name() + " shows no listener " + local + ":\n" + ss.stdout());
    }

    private static long perf(String output, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "=(\\d+)").matcher(output);
        assertTrue(m.find(), label + " in " + output);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theListenersOfANamedNamespaceAreReadThereWithItsOwnSomaxconn() {
        Path unix = unixListener("app.sock", 4, 3);
        int port = tcpListener(5, 2);
        BoundedProcess.Result result = check("-s", unix.toString(), "-p", "127.0.0.1:" + port, "--netns",
                namespace.name(), "-v");
        assertEquals(0, result.exitCode(), result.stdout());
        String ns = namespace.name();
        assertEquals(ssPending("-x", unix.toString()), perf(result.stdout(), "'" + unix + " netns " + ns + ":pending'"));
        assertEquals(3, perf(result.stdout(), "'" + unix + " netns " + ns + ":pending'"));
        assertEquals(ssPending("-t", "127.0.0.1:" + port),
                perf(result.stdout(), "'tcp4/127.0.0.1/" + port + " netns " + ns + ":pending'"));
        int cpus = Runtime.getRuntime().availableProcessors();
        assertTrue(result.stdout().contains("basis: netns " + ns + ": somaxconn 128 x "), result.stdout());
        assertTrue(result.stdout().contains(unix + " in netns " + ns + " (unix stream"), result.stdout());
        assertTrue(result.stdout().contains("usage " + formatPercent(3, 128L * 2 * cpusOf(result.stdout()))),
                "usage of the namespace's capacity: " + result.stdout() + " (" + cpus + " CPUs here)");

        BoundedProcess.Result again = check("-s", unix.toString(), "-p", "127.0.0.1:" + port, "--netns", ns, "-v");
        assertEquals(labels(result.stdout()), labels(again.stdout()), "labels stay the same from run to run");
    }

    private static long cpusOf(String output) {
        Matcher m = Pattern.compile(" cpus=(\\d+)").matcher(output);
        assertTrue(m.find(), output);
        return Long.parseLong(m.group(1));
    }

    private static String formatPercent(long pending, long capacity) {
        return org.checksocketbacklog.plugin.PlainNumber.format(100.0 * pending / capacity, 2) + "% of " + capacity;
    }

    private static List<String> labels(String output) {
        List<String> labels = new ArrayList<>();
        String perfdata = output.lines().findFirst().orElse("");
        Matcher m = Pattern.compile("('[^']*'|\\S+)=").matcher(perfdata.substring(perfdata.indexOf('|') + 1));
        while (m.find()) {
            labels.add(m.group(1));
        }
        return labels;
    }

    @Test
    void aSocketFileSharedWithTheHostIsFoundWhereItListens() {
        Path unix = unixListener("shared.sock", 2, 1);
        BoundedProcess.Result here = check("-s", unix.toString());
        assertEquals(2, here.exitCode(), here.stdout());
        assertTrue(here.stdout().startsWith("BACKLOG CRITICAL - " + unix + " not listening here, though a socket file "
                + "(another network namespace? as root, try --all-netns)"), here.stdout());

        BoundedProcess.Result everywhere = check("-s", unix.toString(), "--all-netns");
        assertEquals(0, everywhere.exitCode(), everywhere.stdout());
        assertEquals(1, perf(everywhere.stdout(), "'" + unix + " netns " + namespace.name() + ":pending'"));
        assertEquals(1, everywhere.stdout().split(Pattern.quote(":pending'="), -1).length - 1,
                "the socket once, in its namespace: " + everywhere.stdout());
    }

    @Test
    void aProcessInANamespaceOfItsOwnIsFoundByItsPid() throws Exception {
        Path unix = directory.resolve("unshared.sock");
        Process holder = new ProcessBuilder("unshare", "--net", "python3", "-c",
                "import socket,sys,time\n"
                        + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(7)\n"
                        + "c=[socket.socket(socket.AF_UNIX) for i in range(2)]\n"
                        + "[x.connect(sys.argv[1]) for x in c]\n"
                        + "print('ready', flush=True); time.sleep(60)\n", unix.toString())
                .redirectErrorStream(true).start();
        try {
            String ready = new String(holder.getInputStream().readNBytes(6));
            assertEquals("ready\n", ready);
            String link = Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/net")).toString();
            String inode = link.substring("net:[".length(), link.length() - 1);
            BoundedProcess.Result result = check("-s", unix.toString(), "--netns-pid", Long.toString(holder.pid()));
            assertEquals(0, result.exitCode(), result.stdout());
            // No /run/netns name, no container or unit in its cgroup here: the inode names it.
            String label = "'" + unix + " netns netns-" + inode + ":pending'";
            BoundedProcess.Result ss = BoundedProcess.run(List.of("nsenter", "-n", "-t", Long.toString(holder.pid()),
                    "ss", "-Hlnx"), TIMEOUT);
            assertTrue(ss.stdout().contains(unix.toString()), ss.stdout());
            assertEquals(2, perf(result.stdout(), label), result.stdout());
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    @Test
    void aNamespaceThatIsNotThereIsReportedLikeAMissingSocket() {
        BoundedProcess.Result result = check("--netns", "csb-no-such-namespace", "-s", "/run/nothing.sock");
        assertEquals(2, result.exitCode(), result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - "), result.stdout());
        assertTrue(result.stdout().contains("netns csb-no-such-namespace not found"), result.stdout());
        assertTrue(result.stdout().contains("\n\t\\_[CRITICAL] - netns csb-no-such-namespace: no network namespace at "
                + "/run/netns/csb-no-such-namespace\n"), result.stdout());

        BoundedProcess.Result pid = check("--netns-pid", "999999999", "--missing-state", "warning");
        assertEquals(1, pid.exitCode(), pid.stdout());
        assertTrue(pid.stdout().contains("\n\t\\_[WARNING] - netns pid 999999999: no such process\n"), pid.stdout());
    }

    @Test
    void anUnprivilegedUserIsToldWhatItNeeds() {
        unixListener("private.sock", 2, 0);
        List<String> command = Unprivileged.command(List.of(LauncherIT.LAUNCHER.toAbsolutePath().toString(),
                "--netns", namespace.name()));
        BoundedProcess.Result result = BoundedProcess.run(command, TIMEOUT);
        assertEquals(3, result.exitCode(), result.stdout());
        assertEquals(1, result.stdout().lines().count(), "one line: " + result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - reading other network namespaces needs root (to "
                + "enter them, and to find other users' processes' namespaces); this check runs as uid "), result.stdout());
        BoundedProcess.Result all = BoundedProcess.run(Unprivileged.command(List.of(
                LauncherIT.LAUNCHER.toAbsolutePath().toString(), "--all-netns")), TIMEOUT);
        assertEquals(3, all.exitCode(), "never a partial OK: " + all.stdout());
    }

    @Test
    void everyNamespaceIsReadOnceWithAllNetns() {
        Path unix = unixListener("once.sock", 3, 2);
        // A second way into the same namespace: a process in it. --all-netns must still read it once.
        BoundedProcess.Result result;
        Process sleeper = null;
        try {
            sleeper = new ProcessBuilder("ip", "netns", "exec", namespace.name(), "sleep", "30").start();
            result = check("--all-netns", "-s", unix.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
        }
        assertEquals(0, result.exitCode(), result.stdout());
        assertEquals(2, perf(result.stdout(), "'" + unix + " netns " + namespace.name() + ":pending'"));
        assertEquals(1, result.stdout().split(Pattern.quote(":pending'="), -1).length - 1, result.stdout());
        assertFalse(result.stdout().contains(unix + " netns netns-"), "named by /run/netns, not by inode: "
                + result.stdout());
    }

    /**
     * A process in mount and network namespaces of its own binds a directory of the host's at
     * another path and listens there: the kernel names the socket by the process's path, the host
     * sees the file under its own. Found by the file (UNIX_DIAG_VFS), named by the path selected.
     */
    private Process bindMountedListener(Path hostDirectory, Path seenAs, boolean ownNetwork) throws IOException {
        Files.createDirectories(seenAs);
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
        if (ownNetwork) {
            command.add("--net");
        }
        command.addAll(List.of("sh", "-c", "mount --bind \"$1\" \"$2\" && exec python3 -c \"$3\" \"$2/app.sock\"", "sh",
                hostDirectory.toString(), seenAs.toString(),
                "import socket,sys,time\n"
                        + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(5)\n"
                        + "c=[socket.socket(socket.AF_UNIX) for i in range(3)]\n"
                        + "[x.connect(sys.argv[1]) for x in c]\n"
                        + "print('ready', flush=True); time.sleep(60)\n"));
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        String ready = new String(holder.getInputStream().readNBytes(6));
        assertEquals("ready\n", ready, "the bind-mounted listener started");
        return holder;
    }

    @Test
    void aSocketBoundThroughABindMountIsFoundByItsFile() throws Exception {
        Path hostDirectory = Files.createDirectory(directory.resolve("host"));
        Path seenAs = directory.resolve("container-view");
        Process holder = bindMountedListener(hostDirectory, seenAs, true);
        try {
            Path hostPath = hostDirectory.resolve("app.sock");
            assertTrue(Files.exists(hostPath), "the file is the host's");
            String link = Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/net")).toString();
            String name = "netns-" + link.substring("net:[".length(), link.length() - 1);
            BoundedProcess.Result ss = BoundedProcess.run(List.of("nsenter", "-n", "-t", Long.toString(holder.pid()),
                    "ss", "-Hlnx"), TIMEOUT);
            assertTrue(ss.stdout().contains(seenAs.resolve("app.sock").toString()),
                    "the kernel names it by the container's path: " + ss.stdout());

            BoundedProcess.Result byPid = check("-s", hostPath.toString(), "--netns-pid", Long.toString(holder.pid()));
            assertEquals(0, byPid.exitCode(), byPid.stdout());
            assertEquals(3, perf(byPid.stdout(), "'" + hostPath + " netns " + name + ":pending'"), byPid.stdout());

            // A namespace with no /run/netns name and no system owner is one any user could make:
            // --all-netns leaves it out, and so does not call the live file stale.
            BoundedProcess.Result all = check("-s", hostPath.toString(), "--all-netns");
            assertEquals(2, all.exitCode(), all.stdout());
            assertTrue(all.stdout().startsWith("BACKLOG CRITICAL - " + hostPath + " not listening here, though a "
                    + "socket file"), "not called stale: " + all.stdout());
            assertTrue(all.stdout().contains(" left out: no /run/netns name and no system container or service owns"),
                    "and says what it left out: " + all.stdout());
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    /** The same in the host's network namespace (a PrivateTmp= service): no option needed. */
    @Test
    void aSocketBoundInAnotherMountNamespaceOfThisNetworkIsFoundByItsFile() throws Exception {
        Path hostDirectory = Files.createDirectory(directory.resolve("tmp-of-service"));
        Process holder = bindMountedListener(hostDirectory, directory.resolve("service-view"), false);
        try {
            Path hostPath = hostDirectory.resolve("app.sock");
            BoundedProcess.Result result = check("-s", hostPath.toString());
            assertEquals(0, result.exitCode(), result.stdout());
            assertEquals(3, perf(result.stdout(), hostPath + ":pending"), result.stdout());
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    /**
     * What an unprivileged user can do: make a user and network namespace of their own and listen
     * there on the port (or socket path) of a service that is down. --all-netns must not read it
     * as the service being up, nor slow down for thousands of them.
     */
    @Test
    void aNamespaceAnyUserCanMakeCannotPassForAServiceThatIsDown() throws Exception {
        int port = 20000 + (int) (ProcessHandle.current().pid() % 20000);
        List<String> command = Unprivileged.command(List.of("unshare", "-rn", "python3", "-c",
                "import socket,sys,time\n"
                        + "t=socket.socket(); t.bind(('127.0.0.1', int(sys.argv[1]))); t.listen(5)\n"
                        + "print('ready', flush=True); time.sleep(60)\n", Integer.toString(port)));
        Process impostor = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertEquals("ready\n", new String(impostor.getInputStream().readNBytes(6)), "the impostor listens");
            BoundedProcess.Result result = check("--all-netns", "-p", "127.0.0.1:" + port);
            assertEquals(2, result.exitCode(), result.stdout());
            assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - 127.0.0.1:" + port + " not listening"),
                    result.stdout());
            BoundedProcess.Result chosen = check("--netns-pid", Long.toString(impostor.pid()), "-p",
                    "127.0.0.1:" + port);
            assertEquals(0, chosen.exitCode(), "named explicitly, it is read: " + chosen.stdout());
        } finally {
            impostor.destroyForcibly();
            impostor.waitFor();
        }
    }

    /** A /run/netns name that is not UTF-8 (ip netns takes any bytes): never skipped in silence. */
    @Test
    void aNamespaceWhoseNameIsNotTextIsNotSkippedInSilence() {
        String name = "csb-bad-" + ProcessHandle.current().pid();
        List<String> add = List.of("sh", "-c", "ip netns add \"$1$(printf '\\377')\"", "sh", name);
        BoundedProcess.run(add, TIMEOUT).requireSuccess(add);
        try {
            BoundedProcess.Result result = check("--all-netns", "-s", "/run/nothing.sock");
            assertEquals(3, result.exitCode(), result.stdout());
            assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - cannot enter the network namespace /run/netns/"
                    + name), result.stdout());
            assertTrue(result.stdout().contains(": its name is not valid text here and no process is in it; rename it"),
                    result.stdout());
        } finally {
            List<String> delete = List.of("sh", "-c", "ip netns delete \"$1$(printf '\\377')\"", "sh", name);
            BoundedProcess.run(delete, TIMEOUT).requireSuccess(delete);
        }
    }

    @Test
    void aSocketFileNoListenerHoldsIsStaleWithAllNetns() throws Exception {
        Path path = unixListener("dead.sock", 2, 0);
        sockets.remove(sockets.size() - 1).close(); // the service dies; its file stays
        assertTrue(Files.exists(path));
        BoundedProcess.Result result = check("-s", path.toString(), "--all-netns");
        assertEquals(2, result.exitCode(), result.stdout());
        // Stale only when every namespace was read; other tests' or users' namespaces may be left out.
        String expected = result.stdout().contains(" left out: ")
                ? " not listening here, though a socket file" : " not listening (a stale socket file)";
        assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - " + path + expected), result.stdout());
    }
}
