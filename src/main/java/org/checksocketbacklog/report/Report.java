package org.checksocketbacklog.report;

import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.evaluation.Breach;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.HostFigure;
import org.checksocketbacklog.evaluation.Item;
import org.checksocketbacklog.evaluation.Metric;
import org.checksocketbacklog.evaluation.MissingSelector;
import org.checksocketbacklog.evaluation.Reason;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.plugin.PerfDatum;
import org.checksocketbacklog.plugin.PlainNumber;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * Puts a {@link CheckResult} into the plugin output format: one status line with all perfdata
 * after its "|", then the long output, one line per socket, then verbose detail. It renders the
 * result and nothing else: every figure, threshold and reason comes from there.
 */
public final class Report {
    static final String SERVICE = "BACKLOG";
    /** The status line names at most this many culprits, then counts the rest. */
    static final int MAX_NAMED = 3;

    /**
     * How to render.
     *
     * @param verbosity 0 to 3: more detail after the long output
     * @param quiet     print nothing when the result is OK (for cron, which mails any output); the
     *                  exit code is the same
     */
    public record Options(int verbosity, boolean quiet) {
    }

    private Report() {
    }

    /** The one line every failure becomes: "BACKLOG UNKNOWN - what is wrong". */
    public static PluginOutput unknown(String message) {
        return new PluginOutput(Status.UNKNOWN, SERVICE + " UNKNOWN - " + OutputText.sanitize(message) + "\n");
    }

    public static PluginOutput render(CheckResult result, Options options) {
        if (options.quiet() && result.state() == Status.OK) {
            return new PluginOutput(Status.OK, "");
        }
        StringBuilder text = new StringBuilder(256);
        text.append(OutputText.sanitize(SERVICE + " " + result.state() + " - " + summary(result)));
        text.append(" | ").append(perfdata(result)).append('\n');
        List<String> lines = new ArrayList<>();
        for (SocketItem socket : result.sockets()) {
            lines.add(detail(socket));
        }
        for (MissingSelector selector : result.missing()) {
            lines.add(selector.selector() + ": not listening - " + selector.state());
        }
        lines.add("basis: " + result.basis());
        lines.add("source: " + sources(result));
        for (CheckResult.SourceUsed source : result.sources()) {
            if (source.family().equals("unix") && !source.sockDiag()) {
                // What this source cannot tell apart, said wherever it is used (the man page says why).
                lines.add("note: /proc/net/unix cannot tell a real listener from one forged by a local user's socket "
                        + "name, shows no backlogs, and counts listeners of one name together; sock_diag has none "
                        + "of these limits");
            }
        }
        if (result.host().tcpRead()) {
            lines.add(tcpFigures(result.host()));
        }
        verbose(result, options.verbosity(), lines);
        for (String line : lines) {
            text.append(OutputText.sanitize(line)).append('\n');
        }
        return new PluginOutput(result.state(), text.toString());
    }

    static String summary(CheckResult result) {
        if (result.state() == Status.OK) {
            return okSummary(result);
        }
        StringBuilder summary = new StringBuilder();
        List<Item> culprits = result.significant();
        for (int i = 0; i < culprits.size() && i < MAX_NAMED; i++) {
            summary.append(i == 0 ? "" : "; ").append(culprit(culprits.get(i)));
        }
        if (culprits.size() > MAX_NAMED) {
            summary.append("; and ").append(culprits.size() - MAX_NAMED).append(" more");
        }
        return summary.toString();
    }

    private static String culprit(Item item) {
        if (item instanceof MissingSelector) {
            return ((MissingSelector) item).selector() + " not listening";
        }
        SocketItem socket = (SocketItem) item;
        return socket.name() + " " + reasons(socket, true);
    }

    private static String okSummary(CheckResult result) {
        SocketItem fullest = null;
        int listeners = 0;
        for (SocketItem socket : result.sockets()) {
            Metric usage = socket.metric("usage");
            if (usage == null) {
                continue; // a SO_REUSEPORT group's line; an OK result has no unknown usage
            }
            listeners++;
            // Fullest by usage, then by pending; ties keep name order.
            if (fullest == null) {
                fullest = socket;
                continue;
            }
            int byUsage = Double.compare(usage.value(), fullest.metric("usage").value());
            if (byUsage > 0 || byUsage == 0 && socket.metric("pending").value() > fullest.metric("pending").value()) {
                fullest = socket;
            }
        }
        if (fullest == null) {
            return result.missing().isEmpty() ? "no listening sockets to check"
                    : result.missing().size() + " selected socket(s) not listening";
        }
        return listeners + (listeners == 1 ? " listener" : " listeners") + ", fullest " + fullest.name() + ": "
                + count(fullest.metric("pending")) + " pending, usage " + PlainNumber.format(fullest.metric("usage").value(), 2)
                + "% of " + fullest.capacity().getAsLong();
    }

    public static String detail(SocketItem socket) {
        StringBuilder line = new StringBuilder(128);
        line.append(socket.name()).append(" (").append(socket.kind()).append(", ");
        if (socket.shape() == SocketItem.Shape.REUSEPORT_GROUP) {
            line.append("SO_REUSEPORT group of ").append(socket.inodes().length).append(" listeners, inodes ")
                    .append(inodes(socket.inodes())).append("): ").append(count(socket.metric("syn-recv")))
                    .append(" syn-recv among them");
        } else {
            if (socket.shape() == SocketItem.Shape.SAME_NAME) {
                line.append(socket.inodes().length).append(" listeners, inodes ").append(inodes(socket.inodes()));
            } else {
                line.append("inode ").append(socket.inodes()[0]);
            }
            line.append("): ").append(count(socket.metric("pending"))).append(" pending");
            if (socket.shape() == SocketItem.Shape.SAME_NAME) {
                line.append(" (the split between them is unknown)");
            }
            line.append(", backlog ")
                    .append(socket.backlog().isPresent() ? Long.toString(socket.backlog().getAsLong()) : "unknown")
                    .append(", ");
            Metric blocked = socket.metric("blocked");
            Metric synRecv = socket.metric("syn-recv");
            if (blocked != null) {
                line.append(count(blocked)).append(" blocked");
            } else if (synRecv != null) {
                line.append(count(synRecv)).append(" syn-recv");
            } else if (socket.kind().startsWith("tcp")) {
                line.append("syn-recv shared with its SO_REUSEPORT group");
            } else {
                line.append("blocked not counted");
            }
            line.append(", usage ");
            Metric usage = socket.metric("usage");
            if (usage != null) {
                line.append(PlainNumber.format(usage.value(), 2)).append("% of ").append(socket.capacity().getAsLong());
            } else {
                line.append("unknown");
            }
        }
        line.append(" - ").append(socket.state());
        String reasons = reasons(socket, false);
        if (!reasons.isEmpty()) {
            line.append(": ").append(reasons);
        }
        return line.toString();
    }

    /** The reasons in words, joined by ", "; only those that alert when {@code alertingOnly}. */
    private static String reasons(SocketItem socket, boolean alertingOnly) {
        StringBuilder text = new StringBuilder();
        for (Reason reason : socket.reasons()) {
            if (alertingOnly && reason.state() == Status.OK) {
                continue;
            }
            text.append(text.length() == 0 ? "" : ", ").append(reason(reason));
        }
        return text.toString();
    }

    public static String reason(Reason reason) {
        if (reason instanceof Reason.Breached) {
            Metric metric = ((Reason.Breached) reason).metric();
            Breach breach = metric.breach();
            return metric.name() + " " + PlainNumber.format(metric.value(), 2) + metric.unit() + " ("
                    + (breach.level() == Status.CRITICAL ? "critical " : "warning ") + side(breach) + ")";
        }
        if (reason instanceof Reason.QueueFull) {
            Reason.QueueFull full = (Reason.QueueFull) reason;
            return "queue full (" + full.pending() + " of " + full.capacity() + ")";
        }
        if (reason instanceof Reason.CapacityUnknown) {
            return "backlog unknown (/proc does not show it; use --basis somaxconn)";
        }
        Reason.ForgedLines forged = (Reason.ForgedLines) reason;
        String lines = forged.extraLines() == 1 ? "1 forged line" : forged.extraLines() + " forged lines";
        return forged.trusted()
                ? lines + " of /proc/net/unix (a socket name holding a newline) also claimed it; the higher "
                        + "blocked count is used"
                : lines + " of /proc/net/unix (a socket name holding a newline) claimed its inode; the worst "
                        + "is used, and only sock_diag can tell which is real";
    }

    /**
     * Which side of the range the value fell on: "above 80" reads better than "outside 0..80" when
     * the value is 85. Ranges that alert inside keep their own phrase ("inside 10..20").
     */
    static String side(Breach breach) {
        Range range = breach.range();
        switch (breach.side()) {
            case ABOVE: return "above " + PlainNumber.exact(range.end());
            case BELOW: return "below " + PlainNumber.exact(range.start());
            default: return range.describe();
        }
    }

    static String perfdata(CheckResult result) {
        List<String> data = new ArrayList<>();
        for (SocketItem socket : result.sockets()) {
            for (Metric metric : socket.metrics()) {
                data.add(new PerfDatum(metric.label(), metric.value(), metric.unit(), metric.thresholds().warning(),
                        metric.thresholds().critical(), metric.min(), metric.max()).toString());
            }
        }
        CheckResult.Host host = result.host();
        data.add(PerfDatum.exactItem(host.somaxconn().label(), host.somaxconn().value(), ""));
        data.add(PerfDatum.exactItem(host.cpus().label(), host.cpus().value(), ""));
        for (HostFigure figure : host.tcpSettings()) {
            data.add(PerfDatum.exactItem(figure.label(), figure.value(), figure.unit()));
        }
        for (HostFigure figure : host.tcpCounters()) {
            data.add(PerfDatum.exactItem(figure.label(), figure.value(), figure.unit()));
        }
        return String.join(" ", data);
    }

    private static String sources(CheckResult result) {
        List<String> parts = new ArrayList<>(2);
        for (CheckResult.SourceUsed source : result.sources()) {
            boolean unix = source.family().equals("unix");
            String text;
            if (source.sockDiag()) {
                text = "sock_diag" + (unix ? " (blocked clients from /proc/net/unix)" : "");
            } else {
                String reason = source.fallbackReason();
                text = (unix ? "/proc/net/unix" : "/proc/net/tcp and /proc/net/tcp6")
                        + (reason == null ? " (--source proc)" : " (sock_diag unavailable: " + reason + ")");
            }
            parts.add(source.family() + " " + text);
        }
        return String.join("; ", parts);
    }

    private static String tcpFigures(CheckResult.Host host) {
        // The counters belong to the network namespace: since boot on the host, since creation in a container.
        StringBuilder line = new StringBuilder("tcp: ");
        for (int i = 0; i < host.tcpSettings().size(); i++) {
            HostFigure setting = host.tcpSettings().get(i);
            line.append(i == 0 ? "" : ", ").append(setting.label()).append(' ').append(setting.value());
        }
        line.append("; counters:");
        for (HostFigure counter : host.tcpCounters()) {
            line.append(' ').append(counter.label()).append(' ').append(counter.value()).append(',');
        }
        line.setLength(line.length() - 1);
        return line.toString();
    }

    private static void verbose(CheckResult result, int verbosity, List<String> lines) {
        if (verbosity >= 1) {
            lines.add("java " + System.getProperty("java.version") + " from " + System.getProperty("java.home"));
            HostFigure somaxconn = result.host().somaxconn();
            HostFigure cpus = result.host().cpus();
            lines.add("somaxconn " + somaxconn.value() + " from " + somaxconn.source() + "; " + cpus.value()
                    + (cpus.value().equals("1") ? " CPU" : " CPUs") + " from " + cpus.source());
        }
        if (verbosity >= 2) {
            CheckResult.ThresholdsUsed thresholds = result.thresholds();
            lines.add("thresholds: usage " + describe(thresholds.usage()) + "; pending " + describe(thresholds.pending())
                    + "; blocked " + describe(thresholds.blocked()) + "; syn-recv " + describe(thresholds.synRecv()));
            lines.add("selectors: " + (result.selectors().isEmpty() ? "none (every listener)"
                    : String.join(", ", result.selectors())));
        }
        if (verbosity >= 3) {
            for (List<CheckResult.Seen> family : result.seen()) {
                lines.add("listeners seen: " + family.size());
                for (CheckResult.Seen seen : family) {
                    lines.add("  " + seen.kind() + " " + seen.name() + " inode " + inodes(seen.inodes()) + " pending "
                            + seen.pending() + " backlog "
                            + (seen.backlog().isPresent() ? Long.toString(seen.backlog().getAsLong()) : "unknown")
                            + " " + seen.figure() + " "
                            + (seen.count().isPresent() ? Long.toString(seen.count().getAsLong()) : "not counted"));
                }
            }
        }
    }

    private static String describe(Thresholds thresholds) {
        return "warning " + (thresholds.warning() == null ? "none" : thresholds.warning().toString())
                + ", critical " + (thresholds.critical() == null ? "none" : thresholds.critical().toString());
    }

    /** A count as the integer it is. */
    private static String count(Metric metric) {
        return Long.toString((long) metric.value());
    }

    private static String inodes(long[] inodes) {
        StringBuilder text = new StringBuilder();
        for (long inode : inodes) {
            text.append(text.length() == 0 ? "" : ", ").append(inode);
        }
        return text.toString();
    }
}
