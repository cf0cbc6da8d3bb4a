package org.checksocketbacklog.testsupport.oracles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.Unprivileged;

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
 *
 * <p>TCP ({@link #tcpListeners()}, {@link #synRecv(int)}, {@link #tcpSockets(int)}): rows of
 * {@code ss -tnHe}, {@code State Recv-Q Send-Q Local:Port Peer:Port ino:N sk:X ...}. For a LISTEN
 * socket Recv-Q is the accept queue and Send-Q the effective backlog (inet_diag
 * idiag_rqueue/idiag_wqueue). Addresses contain no spaces: {@code 127.0.0.1:P}, {@code [::1]:P},
 * {@code *:P} for a dual-stack {@code [::]} listener (v6only:0), {@code [::]:P} for a v6only one,
 * {@code [::ffff:127.0.0.1]:P} for v4-mapped peers, and {@code 127.0.0.1%lo:P} when bound to a
 * device; the port is what follows the last colon. When a single state is selected
 * ({@code state syn-recv}) ss leaves out the State column. {@code -e} adds {@code ino:N}
 * (idiag_inode: 0 for request sockets and unaccepted children) and, for AF_INET6 sockets,
 * {@code v6only:0|1}. PROC_NET_TCP and PROC_NET_TCP6 are removed for the child as well: they
 * make ss read /proc/net/tcp, which has no backlog, so Send-Q of a listener would read 0.
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
        env.remove("PROC_NET_TCP");
        env.remove("PROC_NET_TCP6");
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

    // ---- TCP -------------------------------------------------------------------------------

    /** ss's spelling of TCP state SYN_RECV, also used for rows printed without a State column. */
    public static final String SYN_RECV = "SYN-RECV";
    private static final Pattern TCP_STATE = Pattern.compile("[A-Z][A-Z0-9-]*");
    private static final Pattern INODE = Pattern.compile("(?:^| )ino:(\\d+)(?= |$)");
    private static final Pattern V6ONLY = Pattern.compile("(?:^| )v6only:([01])(?= |$)");

    /**
     * One TCP row of {@code ss -tnHe}. {@code localHost} is the address exactly as ss prints it
     * ({@code 127.0.0.1}, {@code [::1]}, {@code *}, {@code [::]}); {@code peerPort} is text because
     * a listener's is {@code *}. {@code inode} is -1 and {@code v6only} empty if ss did not print
     * them.
     */
    public record TcpRow(String state, int recvQ, int sendQ, String localHost, int localPort, String peerHost,
            String peerPort, long inode, Optional<Boolean> v6only) {
        /** Children waiting to be accepted: Recv-Q for a LISTEN socket. */
        public int queued() {
            return recvQ;
        }

        /** Effective backlog B (after the somaxconn cap): Send-Q for a LISTEN socket. */
        public int backlog() {
            return sendQ;
        }

        /** {@code host:port} as ss printed the local address. */
        public String local() {
            return localHost + ":" + localPort;
        }
    }

    /** All TCP listeners (IPv4 and IPv6) ss sees in this network namespace: {@code ss -ltnHe}. */
    public static List<TcpRow> tcpListeners() {
        return tcpListeners(List.of());
    }

    /** Same, with ss run as user nobody when we are root (see {@link Unprivileged}). */
    public static List<TcpRow> tcpListenersUnprivileged() {
        return tcpListeners(Unprivileged.prefix());
    }

    private static List<TcpRow> tcpListeners(List<String> prefix) {
        return runTcp(prefix, List.of("-l", "-t", "-n", "-H", "-e"), null).stream()
                .filter(r -> r.state().equals("LISTEN")).toList();
    }

    public static Optional<TcpRow> tcpListenerByInode(long inode) {
        return tcpListeners().stream().filter(r -> r.inode() == inode).findFirst();
    }

    /** Listeners on {@code port}; two if an IPv4 and an IPv6 socket share the port number. */
    public static List<TcpRow> tcpListenersOnPort(int port) {
        return tcpListeners().stream().filter(r -> r.localPort() == port).toList();
    }

    /**
     * Request sockets on a listener's port: {@code ss -ntHe state syn-recv '( sport = :PORT )'}.
     * Each shows the listener's local address and port, the client as peer, and ino:0.
     */
    public static List<TcpRow> synRecv(int port) {
        checkPort(port);
        return runTcp(List.of(), List.of("-t", "-n", "-H", "-e", "state", "syn-recv", "( sport = :" + port + " )"),
                SYN_RECV);
    }

    public static int synRecvCount(int port) {
        return synRecv(port).size();
    }

    /**
     * Request sockets on {@code localHost:port}, with localHost spelled as ss prints it
     * ({@code 127.0.0.1}, {@code [::1]}, {@code [::ffff:127.0.0.1]} for IPv4 clients of a dual-stack listener).
     */
    public static int synRecvCount(String localHost, int port) {
        return (int) synRecv(port).stream().filter(r -> r.localHost().equals(localHost)).count();
    }

    /**
     * Every TCP socket in any state (TIME-WAIT and request sockets included) with {@code port} as
     * local or peer port: {@code ss -tanHe '( sport = :P or dport = :P )'}.
     */
    public static List<TcpRow> tcpSockets(int port) {
        checkPort(port);
        return runTcp(List.of(), List.of("-t", "-a", "-n", "-H", "-e",
                "( sport = :" + port + " or dport = :" + port + " )"), null);
    }

    private static List<TcpRow> runTcp(List<String> prefix, List<String> args, String impliedState) {
        Path ss = executable().orElseThrow(() -> new IllegalStateException("ss is not installed"));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(ss.toString());
        cmd.addAll(args);
        BoundedProcess.Result r = BoundedProcess.run(cmd, TIMEOUT, SsView::scrubEnvironment).requireSuccess(cmd);
        return parseTcp(r.stdout(), impliedState);
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port);
        }
    }

    /**
     * Parses {@code ss -tnH[e]} output. {@code impliedState} is the state of every row when ss
     * was asked for a single state and so printed no State column; null when rows carry one.
     */
    public static List<TcpRow> parseTcp(String output, String impliedState) {
        List<TcpRow> rows = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+", impliedState == null ? 6 : 5);
            int i = 0;
            String state = impliedState;
            if (impliedState == null) {
                state = f[i++];
                if (!TCP_STATE.matcher(state).matches()) {
                    throw new IllegalArgumentException("unexpected ss row (state): " + line);
                }
            }
            if (f.length < i + 4 || !f[i].matches("\\d+") || !f[i + 1].matches("\\d+")) {
                throw new IllegalArgumentException("unexpected ss row: " + line);
            }
            String[] local = hostPort(f[i + 2], line);
            String[] peer = hostPort(f[i + 3], line);
            if (!local[1].matches("\\d+")) {
                throw new IllegalArgumentException("unexpected local port in ss row: " + line);
            }
            String rest = f.length > i + 4 ? f[i + 4] : "";
            Matcher ino = INODE.matcher(rest);
            Matcher v6 = V6ONLY.matcher(rest);
            rows.add(new TcpRow(state, Integer.parseInt(f[i]), Integer.parseInt(f[i + 1]), local[0],
                    Integer.parseInt(local[1]), peer[0], peer[1], ino.find() ? Long.parseLong(ino.group(1)) : -1,
                    v6.find() ? Optional.of(v6.group(1).equals("1")) : Optional.empty()));
        }
        return rows;
    }

    /** Splits {@code host:port} at the last colon (IPv6 hosts are bracketed, so theirs are inside). */
    private static String[] hostPort(String text, String line) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("no host:port in ss row: " + line);
        }
        return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }
}
