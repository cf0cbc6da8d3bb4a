package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who holds a listener, on real processes: a service (python3) whose queue is full, with a
 * forked worker holding the same listener, compared with what ss -p shows; the same check as
 * nobody, who may not read another user's descriptors, says so instead of guessing.
 */
class SocketOwnersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Path directory;
    private Process service;

    @BeforeEach
    void create() throws IOException {
        assumeTrue(Unprivileged.isRoot(), "needs root to see every process's descriptors, and to run as nobody");
        directory = Files.createTempDirectory("csb-owners");
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = directory.resolve("svc.sock");
        // listen(1), two clients queued (full), then a fork: parent and child both hold the listener.
        service = new ProcessBuilder("python3", "-c",
                "import os,socket,sys,time\n"
                        + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)\n"
                        + "c=[socket.socket(socket.AF_UNIX) for i in range(2)]\n"
                        + "[x.connect(sys.argv[1]) for x in c]\n"
                        + "t=socket.socket(); t.bind(('127.0.0.1',0)); t.listen(8)\n"
                        + "pid=os.fork()\n"
                        + "if pid: print('ready', pid, t.getsockname()[1], flush=True)\n"
                        + "time.sleep(60)\n", socket.toString())
                .redirectErrorStream(true).start();
    }

    @AfterEach
    void close() throws Exception {
        if (service != null) {
            service.descendants().forEach(ProcessHandle::destroyForcibly);
            service.destroyForcibly();
            service.waitFor();
        }
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private String[] ready() throws IOException {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(service.getInputStream())).readLine();
        assertTrue(line != null && line.startsWith("ready "), "the service started: " + line);
        return line.split(" ");
    }

    private static BoundedProcess.Result check(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(LauncherIT.LAUNCHER.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return BoundedProcess.run(command, TIMEOUT);
    }

    /** The pids ss -p shows holding the listener at {@code local}. */
    private static List<String> ssPids(String family, String local) {
        BoundedProcess.Result ss = BoundedProcess.run(List.of("ss", "-Hlnp", family), TIMEOUT);
        List<String> pids = new ArrayList<>();
        for (String line : ss.stdout().split("\n")) {
            if (line.contains(" " + local + " ")) {
                Matcher m = Pattern.compile("pid=(\\d+)").matcher(line);
                while (m.find()) {
                    pids.add(m.group(1));
                }
            }
        }
        return pids;
    }

    @Test
    void theServiceBehindAFullQueueIsNamedWithItsPids() throws Exception {
        String[] ready = ready();
        long parent = service.pid();
        String child = ready[1];
        Path socket = directory.resolve("svc.sock");
        List<String> fromSs = ssPids("-x", socket.toString());
        assertEquals(2, fromSs.size(), "ss sees parent and child: " + fromSs);
        assertTrue(fromSs.contains(Long.toString(parent)) && fromSs.contains(child), fromSs.toString());

        BoundedProcess.Result result = check(List.of(), "-s", socket.toString());
        assertEquals(2, result.exitCode(), result.stdout());
        long first = Math.min(parent, Long.parseLong(child));
        assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - python3 (pid " + first + " and 1 more): " + socket
                + " queue full (2 of 2)"), result.stdout());
        assertTrue(result.stdout().contains("held by python3 pids " + first + ", " + Math.max(parent,
                Long.parseLong(child)) + "): 2 pending"), result.stdout());
    }

    @Test
    void anOkSocketIsNotLookedUpUnlessVerbose() throws Exception {
        String[] ready = ready();
        String port = ready[2];
        BoundedProcess.Result terse = check(List.of(), "-p", "127.0.0.1:" + port);
        assertEquals(0, terse.exitCode(), terse.stdout());
        assertTrue(!terse.stdout().contains("held by"), "no owner looked for: " + terse.stdout());
        BoundedProcess.Result verbose = check(List.of(), "-p", "127.0.0.1:" + port, "-v");
        List<String> fromSs = ssPids("-t", "127.0.0.1:" + port);
        assertEquals(2, fromSs.size(), fromSs.toString());
        assertTrue(verbose.stdout().contains("held by python3 pids "), verbose.stdout());
        for (String pid : fromSs) {
            assertTrue(verbose.stdout().contains(pid), pid + " in " + verbose.stdout());
        }
    }

    @Test
    void anUnprivilegedUserIsToldWhatItCannotSee() throws Exception {
        ready();
        Path socket = directory.resolve("svc.sock");
        BoundedProcess.Result result = check(Unprivileged.prefix(), "-s", socket.toString());
        assertEquals(2, result.exitCode(), result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - " + socket + " queue full"),
                "no owner guessed in the status line: " + result.stdout());
        assertTrue(result.stdout().contains("holder not visible: ") && result.stdout().contains(
                " processes' descriptors are another user's, run as root to see them"), result.stdout());
    }

    /** --process selects what a command's processes hold, unix and TCP alike, without naming a path or port. */
    @Test
    void listenersAreSelectedByTheirProcessName() throws Exception {
        String[] ready = ready();
        String port = ready[2];
        Path socket = directory.resolve("svc.sock");
        BoundedProcess.Result result = check(List.of(), "--process", "python3", "--max-output", "0");
        assertEquals(2, result.exitCode(), "its full queue: " + result.stdout());
        assertTrue(result.stdout().contains(socket + " (unix stream, inode "), result.stdout());
        assertTrue(result.stdout().contains("127.0.0.1:" + port + " (tcp4, inode "), result.stdout());
        for (String line : result.stdout().split("\n")) {
            if (line.contains(" (unix stream, inode ") || line.contains(" (tcp4, inode ")) {
                assertTrue(line.contains("held by python3 pid"), "only what python3 processes hold: " + line);
                assertTrue(line.startsWith("\t\\_["), "an item's line, tagged with its state: " + line);
            }
        }

        BoundedProcess.Result none = check(List.of(), "--process", "csb-no-such-cmd", "-p", "127.0.0.1:" + port);
        assertEquals(2, none.exitCode(), none.stdout());
        assertTrue(none.stdout().startsWith("BACKLOG CRITICAL - --process csb-no-such-cmd not listening"), none.stdout());
        assertTrue(none.stdout().contains("127.0.0.1:" + port + " (tcp4, inode "), "-p still selects: " + none.stdout());
    }

    @Test
    void unprivilegedAProcessThatMayBeHiddenIsUnknownNotMissing() throws Exception {
        ready();
        BoundedProcess.Result result = check(Unprivileged.prefix(), "--process", "python3");
        assertEquals(3, result.exitCode(), result.stdout());
        assertTrue(result.stdout().startsWith("BACKLOG UNKNOWN - --process python3 holds no listener this user can "
                + "see: "), result.stdout());
    }

    /** Who waits: the queued connections' clients (UNIX_DIAG_ICONS), by the processes holding them. */
    @Test
    void theQueuedConnectionsAreToldByTheirClientsProcesses() throws Exception {
        Path socket = directory.resolve("waited.sock");
        Process listener = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)\n"
                + "print('ready', flush=True); time.sleep(60)\n", socket.toString()).start();
        List<Process> clients = new ArrayList<>();
        try {
            assertEquals("ready\n", new String(listener.getInputStream().readNBytes(6)));
            for (int count : new int[] {2, 1}) {
                Process client = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                        + "c=[socket.socket(socket.AF_UNIX) for i in range(int(sys.argv[2]))]\n"
                        + "[x.connect(sys.argv[1]) for x in c]\n"
                        + "print('ready', flush=True); time.sleep(60)\n", socket.toString(), Integer.toString(count))
                        .start();
                clients.add(client);
                assertEquals("ready\n", new String(client.getInputStream().readNBytes(6)));
            }
            BoundedProcess.Result result = check(List.of(), "-s", socket.toString(), "-v");
            assertEquals(0, result.exitCode(), result.stdout());
            assertTrue(result.stdout().contains("): 3 pending (2 from python3 pid " + clients.get(0).pid()
                    + ", 1 from python3 pid " + clients.get(1).pid() + "), backlog 8"), result.stdout());
        } finally {
            for (Process process : clients) {
                process.destroyForcibly();
            }
            listener.destroyForcibly();
            listener.waitFor();
        }
    }

    /** The cgroup2 mount point, from /proc/self/mountinfo, or null. */
    private static Path cgroup2Mount() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int separator = line.indexOf(" - ");
            if (separator > 0 && line.startsWith("cgroup2 ", separator + 3)) {
                return Path.of(line.substring(0, separator).split(" ")[4]);
            }
        }
        return null;
    }

    /**
     * A TCP listener's service is named from its socket's cgroup (INET_DIAG_CGROUP_ID), which any
     * user may read: as nobody, who cannot see the holder, the check still says which unit (a
     * cgroup of its own standing in for a systemd service) created it, as ss --cgroup does, and
     * --unit selects it.
     */
    @Test
    void aTcpListenersUnitIsNamedFromItsCgroupEvenUnprivileged() throws Exception {
        Path mount = cgroup2Mount();
        assumeTrue(mount != null && Files.isWritable(mount), "needs a writable cgroup2 mount to make a unit's cgroup");
        String unit = "csb-test-" + ProcessHandle.current().pid() + ".service";
        Path cgroup = Files.createDirectory(mount.resolve(unit));
        Process server = null;
        try {
            // It moves itself into the unit's cgroup before it creates the socket: the socket's
            // cgroup is its creator's at that moment. listen(1) and two clients: a full queue.
            server = new ProcessBuilder("python3", "-c", "import socket,sys,time\n"
                    + "open(sys.argv[1] + '/cgroup.procs', 'w').write('0')\n"
                    + "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1)\n"
                    + "c=[socket.create_connection(s.getsockname()) for i in range(2)]\n"
                    + "print('ready', s.getsockname()[1], flush=True); time.sleep(60)\n", cgroup.toString())
                    .redirectErrorStream(true).start();
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())).readLine();
            assertTrue(line != null && line.startsWith("ready "), "the server started: " + line);
            String local = "127.0.0.1:" + line.split(" ")[1];

            BoundedProcess.Result ss = BoundedProcess.run(List.of("ss", "-Hltn", "--cgroup"), TIMEOUT);
            boolean ssAgrees = false;
            for (String row : ss.stdout().split("\n")) {
                ssAgrees |= row.contains(" " + local + " ") && row.contains("cgroup:/" + unit);
            }
            assertTrue(ssAgrees, "ss --cgroup names the unit's cgroup: " + ss.stdout());

            BoundedProcess.Result result = check(Unprivileged.prefix(), "-p", local);
            assertEquals(2, result.exitCode(), result.stdout());
            assertTrue(result.stdout().startsWith("BACKLOG CRITICAL - " + unit + ": " + local + " queue full"),
                    "the unit, no pid: " + result.stdout());
            assertTrue(result.stdout().contains(", created in " + unit + " (the socket's cgroup), holder not "
                    + "visible: "), result.stdout());

            BoundedProcess.Result selected = check(Unprivileged.prefix(), "--unit", unit, "--max-output", "0");
            assertEquals(2, selected.exitCode(), selected.stdout());
            assertTrue(selected.stdout().contains(local + " (tcp4, inode "), "--unit selects it: " + selected.stdout());
        } finally {
            if (server != null) {
                server.destroyForcibly();
                server.waitFor();
            }
            // The cgroup can be removed once its last process is gone, which the kernel notes a
            // little after the process is reaped.
            for (int i = 0; i < 100 && Files.exists(cgroup); i++) {
                try {
                    Files.delete(cgroup);
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
        }
    }
}
