package org.checksocketbacklog.testsupport.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds command lines that run as user {@code nobody} when the tests run as root, so a test can
 * check that the plugin works without privileges (sock_diag dumps, /proc/net/unix and
 * {@code ss -xl} need none). When the tests already run unprivileged the command is unchanged.
 *
 * <p>Prefers {@code setpriv --reuid U --regid G --clear-groups --}: the uid change from 0 to
 * non-zero makes the kernel clear the permitted and effective capability sets, and nothing is
 * left to PAM. {@code runuser -u nobody --} is the fallback.
 */
public final class Unprivileged {
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final List<String> FALLBACK_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private Unprivileged() {
    }

    /** Whether this process's effective uid is 0 (from /proc/self/status, not user.name). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Uid line in /proc/self/status");
    }

    /** {@code command} prefixed so that it runs as nobody if we are root; unchanged otherwise. */
    public static List<String> command(List<String> command) {
        List<String> cmd = new ArrayList<>(prefix());
        cmd.addAll(command);
        return cmd;
    }

    /** The prefix alone; empty when not root. Throws if root and neither tool exists. */
    public static List<String> prefix() {
        if (!isRoot()) {
            return List.of();
        }
        String[] ids = nobodyIds();
        Optional<Path> setpriv = findExecutable("setpriv");
        if (setpriv.isPresent()) {
            return List.of(setpriv.get().toString(), "--reuid", ids[0], "--regid", ids[1], "--clear-groups", "--");
        }
        Optional<Path> runuser = findExecutable("runuser");
        if (runuser.isPresent()) {
            return List.of(runuser.get().toString(), "-u", "nobody", "--");
        }
        throw new IllegalStateException("running as root but neither setpriv nor runuser is installed");
    }

    /** Numeric uid and primary gid of nobody from /etc/passwd; the group is "nogroup" on Debian. */
    static String[] nobodyIds() {
        try {
            for (String line : Files.readAllLines(PASSWD)) {
                String[] f = line.split(":", -1);
                if (f.length >= 4 && f[0].equals("nobody")) {
                    return new String[] {f[2], f[3]};
                }
            }
        } catch (IOException e) {
            // Fall through: setpriv resolves the names through NSS itself.
        }
        return new String[] {"nobody", "nogroup"};
    }

    /** First executable {@code name} in PATH or in the usual bin/sbin directories. */
    public static Optional<Path> findExecutable(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(FALLBACK_DIRS);
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }
}
