package org.checksocketbacklog.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.testsupport.processes.Unprivileged;

/**
 * Command lines that run a command in a private mount namespace, so that what a test mounts over
 * /proc or /usr/lib/jvm is seen by that command alone and is gone when it exits: the real system
 * is never touched. util-linux unshare makes the new namespace's mounts private (no propagation
 * back). Needs root; tests check {@link #available()} first.
 */
final class MountNamespace {
    /** The test's PATH may have no mount(8) (tests set PATH for the launcher). */
    private static final String MOUNT = "PATH=/usr/sbin:/usr/bin:/sbin:/bin mount";
    private final List<String> script = new ArrayList<>();
    private final List<String> arguments = new ArrayList<>();

    /** Whether the tests can make mount namespaces: root, and unshare(1) installed. */
    static boolean available() {
        return Unprivileged.isRoot() && Unprivileged.findExecutable("unshare").isPresent();
    }

    /** Bind {@code source} (a file, FIFO or directory) over {@code target} in the namespace. */
    MountNamespace bind(Path source, String target) {
        script.add(MOUNT + " --bind \"$" + (arguments.size() + 1) + "\" \"$" + (arguments.size() + 2) + "\"");
        arguments.add(source.toString());
        arguments.add(target);
        return this;
    }

    /** An empty tmpfs over {@code target}: over /proc, a system without /proc. */
    MountNamespace tmpfs(String target) {
        script.add(MOUNT + " -t tmpfs -o size=1m csb-test \"$" + (arguments.size() + 1) + "\"");
        arguments.add(target);
        return this;
    }

    /** {@code command} run in the namespace after the mounts. */
    List<String> command(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--", "/bin/sh", "-c",
                "set -e; " + String.join("; ", script) + "; shift " + arguments.size() + "; exec \"$@\"", "sh"));
        cmd.addAll(arguments);
        cmd.addAll(command);
        return cmd;
    }

    /**
     * {@code command} with a /proc of its own (fake-proc.sh: links into a real procfs, in new mount
     * and PID namespaces), in which /proc/net/NAME is a copy of a file for each {@code net} pair and
     * the entries in {@code drop} are missing. {@code work} is an empty directory for the real procfs.
     */
    static List<String> fakeProc(Path work, List<String[]> net, List<String> drop, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--",
                "/bin/sh", script("fake-proc.sh").toString(), work.toString()));
        for (String[] pair : net) {
            cmd.addAll(List.of("--net", pair[0], pair[1]));
        }
        for (String name : drop) {
            cmd.addAll(List.of("--drop", name));
        }
        cmd.add("--");
        cmd.addAll(command);
        return cmd;
    }

    private static Path script(String name) {
        try {
            Path path = Path.of(MountNamespace.class.getResource(name).toURI());
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("no " + path);
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
