package org.checksocketbacklog.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent second opinion on AF_UNIX listeners: iproute2's {@code ss -xlH}, run as a
 * subprocess and parsed.
 *
 * <p>For a LISTEN socket ss prints Recv-Q = connections queued (not yet accepted) and Send-Q =
 * the effective backlog. {@code -l} also selects state CLOSE, printed as UNCONN (for instance
 * a connector blocked on a full queue), so only rows whose State is LISTEN are kept.
 *
 * <p>Row layout (iproute2 6.1, stdout not a tty, so no wrapping):
 * {@code Netid State Recv-Q Send-Q <padding><name> <inode><padding> <peer> <peer-inode>}.
 * The Local Address column is right-aligned and the Port column left-aligned, so the name is
 * exactly the text between the column padding and the single space before the inode. ss does
 * not escape names; the consequences:
 * <ul>
 *   <li>spaces and tabs inside or at the end of a name survive (parsed correctly);</li>
 *   <li>leading whitespace of a name is indistinguishable from column padding and is lost.
 *       Only relative path names can start with whitespace ({@code /path} and {@code @name}
 *       cannot);</li>
 *   <li>a newline in a name splits the row; continuation lines are joined back, which is
 *       ambiguous only if the text after the newline itself looks like a new row
 *       ({@code u_str LISTEN 0 0 ...});</li>
 *   <li>bytes that are not UTF-8 are decoded with replacement characters.</li>
 * </ul>
 * The environment variables PROC_NET_UNIX and PROC_ROOT are removed for the child: they would
 * make ss read /proc/net/unix instead of sock_diag, and that fallback shows 0/0 queues.
 */
public final class SsView {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ROW_START = Pattern.compile("^u_(?:str|dgr|seq) +\\S+ +\\d+ +\\d+ ");
    private static final Pattern ROW = Pattern.compile(
            "^(\\S+) +(\\S+) +(\\d+) +(\\d+) +(.*) (\\d+) +(\\S+) +(\\S+) *$", Pattern.DOTALL);
    private static volatile Boolean available;

    /** One LISTEN row. {@code netid} is u_str or u_seq; {@code localName} is /path or @name. */
    public record Listener(String netid, int recvQ, int sendQ, String localName, long inode) {
        /** Queued connections: Recv-Q for a LISTEN socket. */
        public int queued() {
            return recvQ;
        }

        /** Effective backlog B (after the somaxconn cap): Send-Q for a LISTEN socket. */
        public int backlog() {
            return sendQ;
        }
    }

    private SsView() {
    }

    /** Whether an {@code ss} from iproute2 can be run here. */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = probe();
            available = a;
        }
        return a;
    }

    private static boolean probe() {
        Optional<Path> ss = executable();
        if (ss.isEmpty()) {
            return false;
        }
        try {
            BoundedProcess.Result r = BoundedProcess.run(List.of(ss.get().toString(), "-V"), TIMEOUT);
            return r.exitCode() == 0 && r.stdout().contains("iproute2");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Path of ss: PATH first, then the usual sbin directories (PATH may lack them). */
    public static Optional<Path> executable() {
        return Unprivileged.findExecutable("ss");
    }

    /** All AF_UNIX listeners ss sees in this network namespace. */
    public static List<Listener> listeners() {
        return listeners(List.of());
    }

    /** Same, with ss run as user nobody when we are root (see {@link Unprivileged}). */
    public static List<Listener> listenersUnprivileged() {
        return listeners(Unprivileged.prefix());
    }

    private static List<Listener> listeners(List<String> prefix) {
        Path ss = executable().orElseThrow(() -> new IllegalStateException("ss is not installed"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(ss.toString(), "-x", "-l", "-H"));
        BoundedProcess.Result r = BoundedProcess.run(cmd, TIMEOUT, SsView::scrubEnvironment).requireSuccess(cmd);
        return parse(r.stdout());
    }

    private static void scrubEnvironment(Map<String, String> env) {
        env.remove("PROC_NET_UNIX");
        env.remove("PROC_ROOT");
    }

    /** Parses {@code ss -xH} output; keeps LISTEN rows only. */
    public static List<Listener> parse(String output) {
        List<Listener> result = new ArrayList<>();
        for (String row : rows(output)) {
            Matcher m = ROW.matcher(row);
            if (!m.matches()) {
                throw new IllegalArgumentException("unexpected ss row: " + row);
            }
            if (m.group(2).equals("LISTEN")) {
                result.add(new Listener(m.group(1), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                        m.group(5), Long.parseLong(m.group(6))));
            }
        }
        return result;
    }

    /** Splits into rows, joining a line that does not start a row to the one before it. */
    private static List<String> rows(String output) {
        List<String> rows = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        int last = output.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < last; i++) {
            if (rows.isEmpty() && lines[i].isEmpty()) {
                continue; // empty output (no sockets at all)
            }
            if (ROW_START.matcher(lines[i]).find() || rows.isEmpty()) {
                rows.add(lines[i]);
            } else {
                rows.set(rows.size() - 1, rows.get(rows.size() - 1) + "\n" + lines[i]);
            }
        }
        return rows;
    }

    public static Optional<Listener> byInode(long inode) {
        return listeners().stream().filter(l -> l.inode() == inode).findFirst();
    }

    /** All listeners with this name (two sockets can share a path if the first file was unlinked). */
    public static List<Listener> byName(String kernelName) {
        return listeners().stream().filter(l -> l.localName().equals(kernelName)).toList();
    }
}
