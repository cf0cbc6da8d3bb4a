package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --list on real listeners whose names are hostile to every format (wildcards, quotes, $, ;, !,
 * a newline, a byte that is not UTF-8, a NUL inside an abstract name) and a SO_REUSEPORT pair:
 * each line it writes, given back to the check through sh, selects exactly its own listener.
 */
class ListListenersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Path directory;
    private Process server;
    private String port;
    private String abstractPrefix;

    @BeforeEach
    void listen() throws IOException {
        directory = Files.createTempDirectory("csb-list");
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        abstractPrefix = "csb-list-" + ProcessHandle.current().pid();
        server = new ProcessBuilder("python3", "-c", "import os,socket,sys,time\n"
                + "d=os.fsencode(sys.argv[1])\n"
                + "kept=[]\n"
                + "for n in [b'plain.sock', b'star*q?[b].sock', b\"quote's $x;!.sock\", b'back\\\\slash.sock',"
                + " b'nl\\nx.sock', b'\\xff.sock', 'caf\\u00e9.sock'.encode()]:\n"
                + "    s=socket.socket(socket.AF_UNIX); s.bind(d + b'/' + n); s.listen(5); kept.append(s)\n"
                + "a=socket.socket(socket.AF_UNIX); a.bind(b'\\0' + sys.argv[2].encode() + b'\\0inner'); a.listen(3)\n"
                + "t=[socket.socket() for i in range(2)]\n"
                + "[x.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1) for x in t]\n"
                + "t[0].bind(('127.0.0.1', 0)); t[1].bind(t[0].getsockname()); [x.listen(4) for x in t]\n"
                + "print('ready', t[0].getsockname()[1], flush=True); time.sleep(60)\n",
                directory.toString(), abstractPrefix).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(server.getInputStream())).readLine();
        assertTrue(line != null && line.startsWith("ready "), "the listeners were made: " + line);
        port = line.split(" ")[1];
    }

    @AfterEach
    void close() throws Exception {
        server.destroyForcibly();
        server.waitFor();
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private BoundedProcess.Result list(List<String> prefix, String format) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(LauncherIT.LAUNCHER.toAbsolutePath().toString(), "--list", format,
                "-s", directory + "/*", "-s", "@" + abstractPrefix + "*", "-p", "127.0.0.1:" + port));
        return BoundedProcess.run(command, TIMEOUT);
    }

    @Test
    void eachSelectorLineSelectsExactlyItsListener() {
        for (List<String> prefix : List.of(List.<String>of(), Unprivileged.prefix())) {
            BoundedProcess.Result listed = list(prefix, "selectors");
            assertEquals(0, listed.exitCode(), listed.stdout() + listed.stderr());
            String[] lines = listed.stdout().split("\n");
            assertEquals(9, lines.length, "7 paths, the abstract name, and the SO_REUSEPORT pair once: " + listed.stdout());
            assertEquals("-p '127.0.0.1:" + port + "'", lines[8], listed.stdout());
            assertTrue(listed.stdout().contains("-s '" + directory + "/star\\*q\\?\\[b\\].sock'"), listed.stdout());
            assertTrue(listed.stdout().contains("-s '" + directory + "/nl\\x0ax.sock'"), listed.stdout());
            assertTrue(listed.stdout().contains("-s '" + directory + "/\\xff.sock'"), listed.stdout());
            assertTrue(listed.stdout().contains("-s '@" + abstractPrefix + "\\x00inner'"), listed.stdout());
            for (String line : lines) {
                // The line as a shell reads it: the words of a command line.
                BoundedProcess.Result check = BoundedProcess.run(List.of("sh", "-c", String.join(" ", prefix.stream()
                        .map(word -> "'" + word + "'").toList()) + " '" + LauncherIT.LAUNCHER.toAbsolutePath()
                        + "' " + line + " -v --missing-state UNKNOWN"), TIMEOUT);
                assertEquals(0, check.exitCode(), line + " selects a listener: " + check.stdout());
                boolean tcp = line.startsWith("-p ");
                assertTrue(check.stdout().startsWith("BACKLOG OK - " + (tcp ? 2 : 1) + " listener"),
                        line + " selects " + (tcp ? "the pair" : "one listener") + ": " + check.stdout());
            }
        }
    }

    @Test
    void theIcinga2AndNagiosListingsEscapeWhatTheirReadersWouldParse() {
        BoundedProcess.Result icinga = list(List.of(), "icinga2");
        assertEquals(0, icinga.exitCode(), icinga.stdout());
        assertTrue(icinga.stdout().contains("vars.socket_backlog_listeners[\"" + directory + "/quote's $x;\\\\x21.sock\"] = "
                + "{ socket_backlog_socket = [ \"" + directory + "/quote's $$x;!.sock\" ] }"),
                "$ doubled in the argument, ! not in the service's name: " + icinga.stdout());
        assertTrue(icinga.stdout().contains("[ \"" + directory + "/back\\\\\\\\slash.sock\" ]"),
                "the glob's backslash, doubled for an Icinga 2 string: " + icinga.stdout());
        BoundedProcess.Result nagios = list(List.of(), "nagios");
        assertEquals(0, nagios.exitCode(), nagios.stdout());
        assertTrue(nagios.stdout().contains("# left out: a listener whose name holds \"!\""), nagios.stdout());
        assertTrue(nagios.stdout().contains("    check_command           check_socket_backlog!-s '" + directory
                + "/star\\*q\\?\\[b\\].sock'\n"), nagios.stdout());
        assertTrue(nagios.stdout().contains("    service_description     backlog " + directory
                + "/star\\x5c\\x2aq\\x5c\\x3f\\x5c[b\\x5c].sock\n"),
                "no illegal_object_name_chars: " + nagios.stdout());
    }
}
