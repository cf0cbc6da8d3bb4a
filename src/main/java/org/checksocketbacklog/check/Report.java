package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.TcpHostFigures;
import org.checksocketbacklog.plugin.PerfDatum;
import org.checksocketbacklog.plugin.PerfLabel;
import org.checksocketbacklog.plugin.PlainNumber;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * Puts a {@link CheckResult} into the plugin output format: one status line with all perfdata
 * after its "|", then the long output, one line per socket, then verbose detail.
 */
public final class Report {
    static final String SERVICE = "BACKLOG";
    /** The status line names at most this many culprits, then counts the rest. */
    static final int MAX_NAMED = 3;

    private Report() {
    }

    /** The one line every failure becomes: "BACKLOG UNKNOWN - what is wrong". */
    public static PluginOutput unknown(String message) {
        return new PluginOutput(Status.UNKNOWN, SERVICE + " UNKNOWN - " + oneLine(message) + "\n");
    }

    public static PluginOutput render(CheckResult result) {
        StringBuilder text = new StringBuilder(256);
        text.append(SERVICE).append(' ').append(result.status()).append(" - ").append(summary(result));
        text.append(" | ").append(perfdata(result)).append('\n');
        for (SocketResult socket : result.sockets()) {
            text.append(detail(socket)).append('\n');
        }
        for (String selector : result.missing()) {
            text.append(oneLine(selector)).append(": not listening - ").append(result.config().missingState()).append('\n');
        }
        text.append("basis: ").append(basisDescription(result)).append('\n');
        text.append("source: ").append(sourceDescription(result)).append('\n');
        if (result.tcpFigures() != null) {
            text.append(tcpFiguresDescription(result.tcpFigures())).append('\n');
        }
        verbose(result, text);
        return new PluginOutput(result.status(), text.toString());
    }

    static String summary(CheckResult result) {
        if (result.status() == Status.OK) {
            return okSummary(result);
        }
        List<String> culprits = new ArrayList<>();
        for (SocketResult socket : result.sockets()) {
            if (socket.status() == result.status()) {
                culprits.add(oneLine(socket.listener().name()) + " " + socket.reasons());
            }
        }
        if (result.config().missingState() == result.status()) {
            for (String pattern : result.missing()) {
                culprits.add(oneLine(pattern) + " not listening");
            }
        }
        StringBuilder summary = new StringBuilder();
        for (int i = 0; i < culprits.size() && i < MAX_NAMED; i++) {
            summary.append(i == 0 ? "" : "; ").append(culprits.get(i));
        }
        if (culprits.size() > MAX_NAMED) {
            summary.append("; and ").append(culprits.size() - MAX_NAMED).append(" more");
        }
        return summary.toString();
    }

    private static String okSummary(CheckResult result) {
        List<SocketResult> sockets = result.sockets();
        if (sockets.isEmpty()) {
            return result.missing().isEmpty() ? "no listening sockets to check"
                    : result.missing().size() + " selected socket(s) not listening";
        }
        // Fullest by usage, then by pending; ties keep name order. (An OK result has no unknown usage.)
        SocketResult fullest = sockets.get(0);
        for (SocketResult socket : sockets) {
            int byUsage = Double.compare(socket.usagePercent(), fullest.usagePercent());
            if (byUsage > 0 || byUsage == 0 && socket.listener().pending() > fullest.listener().pending()) {
                fullest = socket;
            }
        }
        return sockets.size() + (sockets.size() == 1 ? " listener" : " listeners") + ", fullest "
                + oneLine(fullest.listener().name()) + ": " + fullest.listener().pending() + " pending, usage "
                + PlainNumber.format(fullest.usagePercent(), 2) + "% of " + fullest.capacity();
    }

    static String detail(SocketResult socket) {
        Listener listener = socket.listener();
        StringBuilder line = new StringBuilder(128);
        line.append(oneLine(listener.name())).append(" (").append(listener.kind().description())
                .append(", inode ").append(listener.inode()).append("): ")
                .append(listener.pending()).append(" pending, backlog ")
                .append(listener.backlogKnown() ? Long.toString(listener.backlog()) : "unknown").append(", ");
        if (listener.kind().isTcp()) {
            line.append(listener.synRecv()).append(" syn-recv");
        } else {
            line.append(listener.blocked()).append(" blocked");
        }
        line.append(", usage ");
        if (socket.capacityKnown()) {
            line.append(PlainNumber.format(socket.usagePercent(), 2)).append("% of ").append(socket.capacity());
        } else {
            line.append("unknown");
        }
        line.append(" - ").append(socket.status());
        if (!socket.reasons().isEmpty()) {
            line.append(": ").append(socket.reasons());
        }
        return line.toString();
    }

    static String perfdata(CheckResult result) {
        CheckConfig config = result.config();
        List<String> data = new ArrayList<>();
        for (SocketResult socket : result.sockets()) {
            Listener listener = socket.listener();
            Double max = socket.capacityKnown() ? (double) socket.capacity() : null;
            data.add(datum(socket.labelName(), "pending", listener.pending(), "", config.pending(), 0.0, max));
            if (socket.capacityKnown()) {
                data.add(datum(socket.labelName(), "usage", socket.usagePercent(), "%", config.usage(), 0.0, 100.0));
            }
            if (listener.kind().isTcp()) {
                // The SYN queue holds backlog + 1 request sockets, like the accept queue.
                Double synMax = listener.backlogKnown() ? (double) (listener.backlog() + 1) : null;
                data.add(datum(socket.labelName(), "syn_recv", listener.synRecv(), "", config.synRecv(), 0.0, synMax));
            } else {
                data.add(datum(socket.labelName(), "blocked", listener.blocked(), "", config.blocked(), 0.0, null));
            }
        }
        HostLimits limits = result.limits();
        data.add(new PerfDatum(PerfLabel.of("somaxconn"), limits.somaxconn(), "", null, null, null, null).toString());
        data.add(new PerfDatum(PerfLabel.of("cpus"), limits.cpus(), "", null, null, null, null).toString());
        TcpHostFigures tcp = result.tcpFigures();
        if (tcp != null) {
            data.add(new PerfDatum(PerfLabel.of("tcp_max_syn_backlog"), tcp.maxSynBacklog(), "", null, null, null, null)
                    .toString());
            data.add(new PerfDatum(PerfLabel.of("tcp_syncookies"), tcp.syncookies(), "", null, null, null, null)
                    .toString());
            // Counters since boot (UOM c): graphing tools turn them into overflow rates.
            for (Map.Entry<String, Long> counter : tcp.counters().entrySet()) {
                data.add(new PerfDatum(PerfLabel.of(counter.getKey()), counter.getValue(), "c", null, null, null, null)
                        .toString());
            }
        }
        return String.join(" ", data);
    }

    private static String datum(String name, String metric, double value, String unit, Thresholds thresholds,
            Double min, Double max) {
        return new PerfDatum(PerfLabel.of(name, metric), value, unit, thresholds.warning(), thresholds.critical(),
                min, max).toString();
    }

    private static String basisDescription(CheckResult result) {
        HostLimits limits = result.limits();
        if (result.config().basis() == Basis.SOCKET) {
            return "each socket's backlog + 1 (--basis socket)";
        }
        return "somaxconn " + limits.somaxconn() + " x " + limits.cpus() + (limits.cpus() == 1 ? " CPU" : " CPUs")
                + " x 2 = " + limits.somaxconnCapacity();
    }

    private static String sourceDescription(CheckResult result) {
        List<String> parts = new ArrayList<>(2);
        if (result.unix() != null) {
            parts.add("unix " + describe(result.unix(), "/proc/net/unix", " (blocked clients from /proc/net/unix)"));
        }
        if (result.tcp() != null) {
            parts.add("tcp " + describe(result.tcp(), "/proc/net/tcp and /proc/net/tcp6", ""));
        }
        return String.join("; ", parts);
    }

    private static String describe(ListenerSnapshot snapshot, String procFiles, String sockDiagNote) {
        if (snapshot.source() == Source.SOCK_DIAG) {
            return "sock_diag" + sockDiagNote;
        }
        String reason = snapshot.fallbackReason();
        return procFiles + (reason == null ? " (--source proc)" : " (sock_diag unavailable: " + reason + ")");
    }

    private static String tcpFiguresDescription(TcpHostFigures tcp) {
        // The counters belong to the network namespace: since boot on the host, since creation in a container.
        StringBuilder line = new StringBuilder("tcp: tcp_max_syn_backlog ").append(tcp.maxSynBacklog())
                .append(", tcp_syncookies ").append(tcp.syncookies()).append("; counters:");
        for (Map.Entry<String, Long> counter : tcp.counters().entrySet()) {
            line.append(' ').append(counter.getKey()).append(' ').append(counter.getValue()).append(',');
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    private static void verbose(CheckResult result, StringBuilder text) {
        CheckConfig config = result.config();
        if (config.verbosity() >= 1) {
            text.append("java ").append(System.getProperty("java.version")).append(" from ")
                    .append(System.getProperty("java.home")).append('\n');
            HostLimits limits = result.limits();
            text.append("somaxconn ").append(limits.somaxconn()).append(" from ").append(limits.somaxconnSource())
                    .append("; ").append(limits.cpus()).append(limits.cpus() == 1 ? " CPU" : " CPUs").append(" from ")
                    .append(limits.cpusSource()).append('\n');
        }
        if (config.verbosity() >= 2) {
            text.append("thresholds: usage ").append(describe(config.usage()))
                    .append("; pending ").append(describe(config.pending()))
                    .append("; blocked ").append(describe(config.blocked()))
                    .append("; syn-recv ").append(describe(config.synRecv())).append('\n');
            List<String> selectors = new ArrayList<>();
            config.sockets().forEach(glob -> selectors.add("-s " + oneLine(glob.pattern())));
            config.ports().forEach(port -> selectors.add("-p " + oneLine(port.text())));
            text.append("selectors: ").append(selectors.isEmpty() ? "none (every listener)" : String.join(", ", selectors))
                    .append('\n');
        }
        if (config.verbosity() >= 3) {
            for (ListenerSnapshot snapshot : new ListenerSnapshot[] {result.unix(), result.tcp()}) {
                if (snapshot == null) {
                    continue;
                }
                text.append("listeners seen: ").append(snapshot.listeners().size()).append('\n');
                for (Listener listener : snapshot.listeners()) {
                    text.append("  ").append(listener.kind().description()).append(' ').append(oneLine(listener.name()))
                            .append(" inode ").append(listener.inode()).append(" pending ").append(listener.pending())
                            .append(" backlog ").append(listener.backlog()).append(listener.kind().isTcp()
                                    ? " syn-recv " + listener.synRecv() : " blocked " + listener.blocked())
                            .append('\n');
                }
            }
        }
    }

    private static String describe(Thresholds thresholds) {
        return "warning " + (thresholds.warning() == null ? "none" : thresholds.warning().toString())
                + ", critical " + (thresholds.critical() == null ? "none" : thresholds.critical().toString());
    }

    /**
     * A name as it may appear in output text: a newline would start a new output line and a "|" would
     * start the perfdata, so those and other control characters are shown as \xNN.
     */
    static String oneLine(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '|' || c < 0x20) {
                if (safe == null) {
                    safe = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                safe.append(String.format("\\x%02x", (int) c));
            } else if (safe != null) {
                safe.append(c);
            }
        }
        return safe == null ? text : safe.toString();
    }
}
