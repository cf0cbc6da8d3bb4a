package org.checksocketbacklog.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.evaluation.Breach;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Finding;
import org.checksocketbacklog.evaluation.HostFigure;
import org.checksocketbacklog.evaluation.Item;
import org.checksocketbacklog.evaluation.Metric;
import org.checksocketbacklog.evaluation.MissingSelector;
import org.checksocketbacklog.evaluation.Overflows;
import org.checksocketbacklog.evaluation.Owners;
import org.checksocketbacklog.evaluation.Reason;
import org.checksocketbacklog.evaluation.Sampling;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.plugin.PerfDatum;
import org.checksocketbacklog.plugin.PlainNumber;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * Puts a {@link CheckResult} into the plugin output format: one status line with all perfdata
 * after its "|", then the long output: one line per item (socket, selector not listening, overflow
 * count, finding), tagged with its state in the Monitoring Plugins' multi-line format
 * ({@link ItemLine}), then the basis, the source and verbose detail, untagged: they are not
 * judged, and a state tag on them would claim a verdict that none was. It renders the result and
 * nothing else: every figure, threshold and reason comes from there.
 */
public final class Report {
    static final String SERVICE = "BACKLOG";
    /** The status line names at most this many culprits, then counts the rest. */
    static final int MAX_NAMED = 3;
    /**
     * Room kept in a tight budget for the status line with counts only ("BACKLOG CRITICAL - 1234567
     * items CRITICAL", "BACKLOG OK - 1234567 listeners, fullest usage 100%"): always enough.
     */
    static final int SHORTEST_STATUS_RESERVE = 100;

    /**
     * How to render.
     *
     * @param verbosity 0 to 3: more detail after the long output
     * @param quiet     print nothing when the result is OK (for cron, which mails any output); the
     *                  exit code is the same
     * @param maxOutput the most bytes the output may have, 0 for no limit
     */
    public record Options(int verbosity, boolean quiet, int maxOutput) {
    }

    private Report() {
    }

    /** The one line every failure becomes: "BACKLOG UNKNOWN - what is wrong". */
    public static PluginOutput unknown(String message) {
        return new PluginOutput(Status.UNKNOWN, SERVICE + " UNKNOWN - " + OutputText.sanitize(message) + "\n");
    }

    /**
     * The whole output. Within a byte budget, what does not fit is left out whole, never cut, and
     * counted (docs/user-guide.md, "Big hosts"). First the perfdata, within half the budget: the
     * host's items, then each socket's (all of one socket's items or none), sockets the operator
     * named first, then in their usual order, up to the first that does not fit at its widest, so
     * that the same sockets keep their graphs whatever their values and states. Then the status
     * line with the sockets that set the state (fewer of them by name if it would not fit), and, as
     * room allows, the lines of the sockets that are not OK, the basis, source and -v lines, the
     * lines of OK sockets, and last -vvv's list of every listener read. Kept lines keep their
     * usual order.
     */
    public static PluginOutput render(CheckResult result, Options options) {
        if (options.quiet() && result.state() == Status.OK) {
            return new PluginOutput(Status.OK, "");
        }
        Parts parts = new Parts(result, options.verbosity());
        if (options.maxOutput() == 0 || parts.wholeFits(options.maxOutput())) {
            return parts.whole();
        }
        return new Budget(parts, options.maxOutput()).fit();
    }

    /**
     * The parts of the output, each made when first asked for: a whole-host check of thousands of
     * listeners prints a few dozen of their lines and perfdata, and should not pay for the rest.
     * Lines are sanitized as they are made, and an item's line tagged after: "items" are the
     * sockets, then the selectors that are not listening, the overflows, the findings.
     */
    private static final class Parts {
        final CheckResult result;
        final List<String> hostPerfdata;
        final List<String> context;
        private final List<String>[] socketPerfdata;
        private final String[] details;
        private final String[] summaries = new String[MAX_NAMED + 1];

        @SuppressWarnings("unchecked")
        Parts(CheckResult result, int verbosity) {
            this.result = result;
            this.hostPerfdata = hostPerfdata(result.host(), result.overflows());
            this.socketPerfdata = new List[result.sockets().size()];
            this.details = new String[result.sockets().size() + result.missing().size()
                    + (result.overflows() == null ? 0 : 1) + result.findings().size()];
            List<String> lines = context(result, verbosity);
            this.context = new ArrayList<>(lines.size());
            for (String line : lines) {
                context.add(OutputText.sanitize(line));
            }
        }

        int sockets() {
            return socketPerfdata.length;
        }

        /** The status line's text with at most {@code named} culprits by name (an OK one reads every socket). */
        String summary(int named) {
            if (summaries[named] == null) {
                summaries[named] = Report.summary(result, named);
            }
            return summaries[named];
        }

        List<String> perfdata(int socket) {
            if (socketPerfdata[socket] == null) {
                socketPerfdata[socket] = Report.perfdata(result.sockets().get(socket));
            }
            return socketPerfdata[socket];
        }

        int items() {
            return details.length;
        }

        Item item(int i) {
            if (i < result.sockets().size()) {
                return result.sockets().get(i);
            }
            int missing = i - result.sockets().size();
            if (missing < result.missing().size()) {
                return result.missing().get(missing);
            }
            int finding = missing - result.missing().size() - (result.overflows() == null ? 0 : 1);
            return finding < 0 ? result.overflows() : result.findings().get(finding);
        }

        String detail(int i) {
            if (details[i] == null) {
                Item item = item(i);
                details[i] = ItemLine.of(item.state(), OutputText.sanitize(item instanceof SocketItem
                        ? Report.detail((SocketItem) item, result)
                        : item instanceof Overflows ? Report.detail((Overflows) item)
                        : item instanceof Finding ? Report.detail((Finding) item)
                        : Report.detail((MissingSelector) item)));
            }
            return details[i];
        }

        /** Whether everything fits in {@code max} bytes; it stops counting once it does not. */
        boolean wholeFits(int max) {
            long bytes = bytes(statusLine(result.state(), summary(MAX_NAMED))) + " | ".length() + 1;
            int items = 0;
            for (int i = 0; i < sockets() && bytes <= max; i++) {
                for (String item : perfdata(i)) {
                    bytes += bytes(item) + (items++ == 0 ? 0 : 1);
                }
            }
            for (String item : hostPerfdata) {
                bytes += bytes(item) + (items++ == 0 ? 0 : 1);
            }
            for (int i = 0; i < items() && bytes <= max; i++) {
                bytes += bytes(detail(i)) + 1;
            }
            for (String line : context) {
                bytes += bytes(line) + 1;
            }
            return bytes <= max;
        }

        PluginOutput whole() {
            List<List<String>> perfdata = new ArrayList<>(sockets());
            for (int i = 0; i < sockets(); i++) {
                perfdata.add(perfdata(i));
            }
            List<String> lines = new ArrayList<>(items());
            for (int i = 0; i < items(); i++) {
                lines.add(detail(i));
            }
            return assemble(result.state(), summary(MAX_NAMED), perfdata, hostPerfdata, lines, context, null);
        }
    }

    /** The output from the parts kept; a null entry is a part left out. */
    private static PluginOutput assemble(Status state, String summary, List<List<String>> socketPerfdata,
            List<String> hostPerfdata, List<String> details, List<String> context, String omitted) {
        StringBuilder text = new StringBuilder(256);
        text.append(statusLine(state, summary)).append(" | ");
        int items = 0;
        for (List<String> socket : socketPerfdata) {
            if (socket != null) {
                for (String item : socket) {
                    text.append(items++ == 0 ? "" : " ").append(item);
                }
            }
        }
        for (String item : hostPerfdata) {
            if (item != null) {
                text.append(items++ == 0 ? "" : " ").append(item);
            }
        }
        text.append('\n');
        for (String line : details) {
            if (line != null) {
                text.append(line).append('\n');
            }
        }
        if (omitted != null) {
            text.append(omitted).append('\n');
        }
        for (String line : context) {
            if (line != null) {
                text.append(line).append('\n');
            }
        }
        return new PluginOutput(state, text.toString());
    }

    private static String statusLine(Status state, String summary) {
        return OutputText.sanitize(SERVICE + " " + state + " - " + summary);
    }

    /**
     * Fits the output into a byte budget. Every part is measured in UTF-8 bytes as it will be
     * printed, its separator included; each kind of part is taken in its order while it fits, up
     * to the first that does not, and room is kept for the line that counts what was left out.
     */
    private static final class Budget {

        private final Parts parts;
        private final CheckResult result;
        private final int max;
        private int used;

        Budget(Parts parts, int max) {
            this.parts = parts;
            this.result = parts.result;
            this.max = max;
        }

        PluginOutput fit() {
            int omittedReserve = omittedLineBytes();
            int fixed = " | ".length() + 1 + omittedReserve;
            // Perfdata first, within a share of the budget that depends on nothing but the budget:
            // half of it, less what the shortest status line and the count of what was left out may
            // need. Taken in a fixed order (the host's items, then named sockets, then the others in
            // their usual order) while each item's widest size fits, and not past the first one that
            // does not: so the same sockets keep their graphs whatever their values and states, for
            // as long as the set of listeners stays the same.
            int share = Math.max(0, Math.min(max / 2, max - fixed - SHORTEST_STATUS_RESERVE));
            int reserved = 0;
            int items = 0;
            String[] keptHost = new String[parts.hostPerfdata.size()];
            boolean full = false;
            for (int i = 0; i < keptHost.length && !full; i++) {
                int widest = widestHostItem(parts.hostPerfdata.get(i)) + (items == 0 ? 0 : 1);
                full = reserved + widest > share;
                if (!full) {
                    reserved += widest;
                    items++;
                    keptHost[i] = parts.hostPerfdata.get(i);
                }
            }
            List<List<String>> keptSockets = new ArrayList<>(parts.sockets());
            for (int i = 0; i < parts.sockets(); i++) {
                keptSockets.add(null);
            }
            for (int pass = 0; pass < 2 && !full; pass++) {
                for (int i = 0; i < parts.sockets() && !full; i++) {
                    SocketItem socket = result.sockets().get(i);
                    if (socket.named() != (pass == 0)) {
                        continue;
                    }
                    int widest = widestSocketItems(socket, parts.perfdata(i), items);
                    full = reserved + widest > share;
                    if (!full) {
                        reserved += widest;
                        items += parts.perfdata(i).size();
                        keptSockets.set(i, parts.perfdata(i));
                    }
                }
            }
            // The status line next: as many culprits by name as fit in half the budget and beside
            // the perfdata, else counts only, which the share left room for.
            int perfdata = perfdataBytes(keptSockets, keptHost);
            int named = MAX_NAMED;
            String summary = parts.summary(named);
            while (named > 0 && (bytes(statusLine(result.state(), summary)) > max / 2
                    || bytes(statusLine(result.state(), summary)) + fixed + perfdata > max)) {
                named--;
                summary = parts.summary(named);
            }
            used = bytes(statusLine(result.state(), summary)) + fixed + perfdata;
            int socketsWithPerfdata = 0;
            for (List<String> kept : keptSockets) {
                socketsWithPerfdata += kept == null ? 0 : 1;
            }

            // Lines of the items that are not OK, then the basis, source and verbose lines (but
            // -vvv's list of every listener read), then the OK sockets' lines, then that list: each
            // in its order, up to the first that does not fit.
            String[] keptDetails = new String[parts.items()];
            String[] keptContext = new String[parts.context.size()];
            takeLines(keptDetails, false);
            takeContext(keptContext, false);
            takeLines(keptDetails, true);
            takeContext(keptContext, true);
            String omitted = omitted(keptDetails, keptContext, socketsWithPerfdata);
            return assemble(result.state(), summary, keptSockets, asList(keptHost), asList(keptDetails),
                    asList(keptContext), omitted);
        }

        /** The context lines, or -vvv's listener list (indented), in order, up to the first that does not fit. */
        private void takeContext(String[] kept, boolean listing) {
            for (int i = 0; i < kept.length; i++) {
                String line = parts.context.get(i);
                if (line.startsWith("  ") == listing) {
                    if (!take(bytes(line) + 1)) {
                        return;
                    }
                    kept[i] = line;
                }
            }
        }

        /** The lines of the OK items, or of the others, in order, up to the first that does not fit. */
        private void takeLines(String[] kept, boolean ok) {
            for (int i = 0; i < kept.length; i++) {
                if ((parts.item(i).state() == Status.OK) == ok) {
                    if (!take(bytes(parts.detail(i)) + 1)) {
                        return;
                    }
                    kept[i] = parts.detail(i);
                }
            }
        }

        /** The bytes the kept perfdata items take, with the blanks between them. */
        private static int perfdataBytes(List<List<String>> sockets, String[] host) {
            int bytes = 0;
            int items = 0;
            for (List<String> socket : sockets) {
                if (socket != null) {
                    for (String item : socket) {
                        bytes += bytes(item) + (items++ == 0 ? 0 : 1);
                    }
                }
            }
            for (String item : host) {
                if (item != null) {
                    bytes += bytes(item) + (items++ == 0 ? 0 : 1);
                }
            }
            return bytes;
        }

        /**
         * A socket's perfdata at its widest: each value as long as it can grow without a change
         * of listeners (a count up to the metric's max, a percentage to "999.9999", a count without
         * a max to 12 digits), or as long as it is if longer.
         */
        private static int widestSocketItems(SocketItem socket, List<String> items, int itemsBefore) {
            int bytes = 0;
            for (int i = 0; i < items.size(); i++) {
                Metric metric = socket.metrics().get(i);
                String value = PerfDatum.valueText(metric.value());
                // A percentage above 100 takes a listener that listen()s again with a smaller
                // backlog; up to 999.9999 is allowed for, beyond that the item is its own size.
                int widest = "%".equals(metric.unit()) ? "999.9999".length()
                        : metric.max() != null ? PerfDatum.valueText(metric.max()).length() : 12;
                bytes += bytes(items.get(i)) + Math.max(0, widest - value.length()) + (itemsBefore + i == 0 ? 0 : 1);
            }
            return bytes;
        }

        /** A host item (a whole number: a setting or a counter) at its widest: 12 digits, or as long as it is. */
        private static int widestHostItem(String item) {
            int digits = 0;
            for (int i = item.lastIndexOf('=') + 1; i < item.length() && item.charAt(i) >= '0' && item.charAt(i) <= '9';
                    i++) {
                digits++;
            }
            return bytes(item) + Math.max(0, 12 - digits);
        }

        /** The most bytes {@link #omitted} can take: its line with every count at its largest. */
        private int omittedLineBytes() {
            int all = parts.items() + parts.context.size() + parts.sockets();
            return omitted(all, new int[] {all, all, all, all}, all, all).length() + 1;
        }

        /**
         * "and 942 more lines not shown (942 OK, 2 other); perfdata of 1800 of 2000 sockets left out
         * (--max-output 8192)": the sockets' and selectors' lines by state, the others (basis, source,
         * -v detail) as "other".
         */
        private String omitted(String[] keptDetails, String[] keptContext, int socketsWithPerfdata) {
            int[] notShown = new int[4];
            int lines = 0;
            for (int i = 0; i < keptDetails.length; i++) {
                if (keptDetails[i] == null) {
                    notShown[parts.item(i).state().exitCode()]++;
                    lines++;
                }
            }
            int other = 0;
            for (String line : keptContext) {
                other += line == null ? 1 : 0;
            }
            int withoutPerfdata = parts.sockets() - socketsWithPerfdata;
            return lines + other == 0 && withoutPerfdata == 0 ? null
                    : omitted(lines + other, notShown, other, withoutPerfdata);
        }

        private String omitted(int lines, int[] notShown, int other, int withoutPerfdata) {
            StringBuilder text = new StringBuilder();
            if (lines > 0) {
                text.append("and ").append(lines).append(lines == 1 ? " more line" : " more lines").append(" not shown (");
                String separator = "";
                for (Status state : new Status[] {Status.CRITICAL, Status.WARNING, Status.UNKNOWN, Status.OK}) {
                    if (notShown[state.exitCode()] > 0) {
                        text.append(separator).append(notShown[state.exitCode()]).append(' ').append(state);
                        separator = ", ";
                    }
                }
                if (other > 0) {
                    text.append(separator).append(other).append(" other");
                }
                text.append(')');
            }
            if (withoutPerfdata > 0) {
                text.append(lines > 0 ? "; " : "").append("perfdata of ").append(withoutPerfdata).append(" of ")
                        .append(parts.sockets()).append(" sockets left out");
            }
            return text.append(" (--max-output ").append(max).append(')').toString();
        }

        private boolean take(int bytes) {
            if (used + bytes > max) {
                return false;
            }
            used += bytes;
            return true;
        }

        private static List<String> asList(String[] kept) {
            List<String> list = new ArrayList<>(kept.length);
            for (String item : kept) {
                list.add(item);
            }
            return list;
        }
    }

    /** UTF-8 length of output text, whose only non-ASCII characters are printable ones the sanitizer kept. */
    static int bytes(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The status line's text after "STATE - ": the items that set the state, at most {@code named} by name. */
    static String summary(CheckResult result, int named) {
        if (result.state() == Status.OK) {
            return okSummary(result, named > 0);
        }
        StringBuilder summary = new StringBuilder();
        List<Item> culprits = result.significant();
        for (int i = 0; i < culprits.size() && i < named; i++) {
            summary.append(i == 0 ? "" : "; ").append(culprit(culprits.get(i), result.owners()));
        }
        if (named == 0) {
            summary.append(culprits.size()).append(culprits.size() == 1 ? " item " : " items ").append(result.state());
        } else if (culprits.size() > named) {
            summary.append("; and ").append(culprits.size() - named).append(" more");
        }
        return summary.toString();
    }

    private static String culprit(Item item, Owners owners) {
        if (item instanceof MissingSelector) {
            MissingSelector missing = (MissingSelector) item;
            switch (missing.hint()) {
                case NO_NAMESPACE: return missing.selector() + " not found";
                case SOCKET_FILE: return missing.selector() + " not listening here, though a socket file (another "
                        + "network namespace? as root, try --all-netns)";
                case STALE_SOCKET_FILE: return missing.selector() + " not listening (a stale socket file)";
                default: return missing.selector() + " not listening";
            }
        }
        if (item instanceof Overflows) {
            Overflows overflows = (Overflows) item;
            if (overflows.unavailable() != null) {
                return "overflows since the previous run unknown: " + overflows.unavailable();
            }
            return count(overflows.overflows()) + " overflows since the previous run " + ago(overflows.elapsedMillis());
        }
        if (item instanceof Finding) {
            return shortly((Finding) item);
        }
        SocketItem socket = (SocketItem) item;
        // A seqpacket listener can hold a stream listener's abstract name (anyone can bind a name
        // once per type): the status line says which of the two it means.
        String kind = socket.kind().equals("unix seqpacket") ? " (unix seqpacket)" : "";
        return owner(socket, owners) + socket.name() + kind + " " + reasons(socket, true);
    }

    /** "php8.2-fpm.service (pid 812): " for the status line: which service to look at; "" when unknown. */
    private static String owner(SocketItem socket, Owners owners) {
        if (owners == null) {
            return "";
        }
        List<Owners.Owner> holders = holders(socket, owners);
        if (holders.isEmpty()) {
            // Unprivileged, a TCP socket's cgroup still names its service, though not the process.
            String unit = owners.createdIn().get(socket.inodes()[0]);
            return unit == null ? "" : unit + ": ";
        }
        Owners.Owner first = holders.get(0);
        return (first.unit() != null ? first.unit() : first.command()) + " (pid " + first.pid()
                + (holders.size() > 1 ? " and " + (holders.size() - 1) + " more" : "") + "): ";
    }

    private static List<Owners.Owner> holders(SocketItem socket, Owners owners) {
        List<Owners.Owner> holders = new ArrayList<>();
        // By pid, not List.contains: a record's equals is spun at run time (docs/startup.md).
        Set<Long> pids = new HashSet<>();
        for (long inode : socket.inodes()) {
            for (Owners.Owner owner : owners.of(inode)) {
                if (pids.add(owner.pid())) {
                    holders.add(owner);
                }
            }
        }
        return holders;
    }

    /**
     * " (9 from nginx pid 640, 3 from php pid 99)": who the queued connections are from, a unix
     * listener's only (UNIX_DIAG_ICONS names their clients); clients of no visible process counted.
     */
    private static String clientsText(SocketItem socket, Owners owners) {
        long[] clients = owners.queuedClients().get(socket.inodes()[0]);
        if (clients == null || clients.length == 0) {
            return "";
        }
        List<Long> pids = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int unknown = 0;
        for (long client : clients) {
            List<Owners.Owner> holders = client == 0 ? List.of() : owners.of(client);
            if (holders.isEmpty()) {
                unknown++;
                continue;
            }
            Owners.Owner holder = holders.get(0);
            int at = pids.indexOf(holder.pid());
            if (at < 0) {
                pids.add(holder.pid());
                commands.add(holder.command());
                counts.add(1);
            } else {
                counts.set(at, counts.get(at) + 1);
            }
        }
        StringBuilder text = new StringBuilder(" (");
        for (int i = 0; i < pids.size() && i < 3; i++) {
            text.append(i == 0 ? "" : ", ").append(counts.get(i)).append(" from ").append(commands.get(i))
                    .append(" pid ").append(pids.get(i));
        }
        int others = 0;
        for (int i = 3; i < pids.size(); i++) {
            others += counts.get(i);
        }
        if (others > 0) {
            text.append(", ").append(others).append(" from ").append(pids.size() - 3).append(" more processes");
        }
        if (unknown > 0) {
            text.append(pids.isEmpty() ? "" : ", ").append(unknown).append(" from processes not visible");
        }
        return text.append(')').toString();
    }

    /**
     * ", held by php-fpm8.2 pids 812, 813 (php8.2-fpm.service)" for the socket's line: the holders
     * grouped by command and unit, at most three pids a group; or what could not be seen.
     */
    private static String holdersText(SocketItem socket, Owners owners) {
        List<Owners.Owner> holders = holders(socket, owners);
        if (holders.isEmpty()) {
            String unit = owners.createdIn().get(socket.inodes()[0]);
            String created = unit == null ? "" : ", created in " + unit + " (the socket's cgroup)";
            if (owners.unscanned() > 0) {
                return created + ", holder not found in time: " + owners.unscanned() + " processes not looked at";
            }
            return created + (owners.hiddenProcesses() > 0 ? ", holder not visible: " + owners.hiddenProcesses()
                    + " processes' descriptors are another user's, run as root to see them"
                    : ", no holder among the processes this PID namespace shows");
        }
        StringBuilder text = new StringBuilder(", held by ");
        List<String> groups = new ArrayList<>();
        for (Owners.Owner owner : holders) {
            String group = owner.command() + '\0' + owner.unit();
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            List<Long> pids = new ArrayList<>();
            Owners.Owner any = null;
            for (Owners.Owner owner : holders) {
                if ((owner.command() + '\0' + owner.unit()).equals(groups.get(g))) {
                    pids.add(owner.pid());
                    any = owner;
                }
            }
            text.append(g == 0 ? "" : ", ").append(any.command()).append(pids.size() == 1 ? " pid " : " pids ");
            for (int i = 0; i < pids.size() && i < 3; i++) {
                text.append(i == 0 ? "" : ", ").append(pids.get(i));
            }
            if (pids.size() > 3) {
                text.append(" and ").append(pids.size() - 3).append(" more");
            }
            if (any.unit() != null) {
                text.append(" (").append(any.unit()).append(')');
            }
        }
        if (owners.hiddenProcesses() + owners.unscanned() > 0) {
            text.append(", maybe others among ").append(owners.hiddenProcesses() + owners.unscanned())
                    .append(" processes not visible or not looked at");
        }
        return text.toString();
    }

    /** "N listeners, fullest NAME: ..." or, without a name (the output budget is tight), "N listeners, fullest usage U%". */
    private static String okSummary(CheckResult result, boolean withName) {
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
        String count = listeners + (listeners == 1 ? " listener" : " listeners");
        if (!withName) {
            return count + ", fullest usage " + PlainNumber.format(fullest.metric("usage").value(), 2) + "%";
        }
        return count + ", fullest " + fullest.name() + ": " + count(fullest.metric("pending")) + " pending, usage "
                + PlainNumber.format(fullest.metric("usage").value(), 2) + "% of " + fullest.capacity().getAsLong();
    }

    public static String detail(SocketItem socket) {
        return detail(socket, null);
    }

    /**
     * The socket's line after its state tag ({@link ItemLine}), its reasons last; with --samples (a
     * {@code result} with sampling), its pending count is the peak.
     */
    static String detail(SocketItem socket, CheckResult result) {
        StringBuilder line = new StringBuilder(128);
        line.append(socket.name()).append(" (").append(socket.kind()).append(", ");
        if (socket.shape() == SocketItem.Shape.REUSEPORT_GROUP) {
            line.append("SO_REUSEPORT group of ").append(socket.inodes().length).append(" listeners, inodes ")
                    .append(inodes(socket.inodes())).append("): ").append(count(socket.metric("syn-recv")))
                    .append(" syn-recv among them");
        } else if (socket.shape() == SocketItem.Shape.SYN_RECV_POOL) {
            line.append(socket.inodes().length).append(" listeners that can take the same handshakes, inodes ")
                    .append(inodes(socket.inodes())).append("): ").append(count(socket.metric("syn-recv")))
                    .append(" syn-recv among them");
        } else {
            if (socket.shape() == SocketItem.Shape.SAME_NAME) {
                line.append(socket.inodes().length).append(" listeners, inodes ").append(inodes(socket.inodes()));
            } else {
                line.append("inode ").append(socket.inodes()[0]);
            }
            if (result != null && result.owners() != null && result.owners().lookedFor().contains(socket.inodes()[0])) {
                line.append(holdersText(socket, result.owners()));
            }
            line.append("): ").append(count(socket.metric("pending"))).append(" pending");
            if (result != null && result.owners() != null) {
                line.append(clientsText(socket, result.owners()));
            }
            Sampling.Queue queue = result == null || result.sampling() == null ? null
                    : result.sampling().queues().get(socket.inodes()[0]);
            if (queue != null) {
                line.append(" at the peak of ").append(queue.seen()).append(queue.seen() == 1 ? " look" : " looks")
                        .append(" (").append(queue.last()).append(" in the last");
                if (queue.full() > 0) {
                    line.append(", full in ").append(queue.full());
                }
                line.append(')');
            }
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
                line.append("syn-recv shared with other listeners (see below)");
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
        String reasons = reasons(socket, false);
        if (!reasons.isEmpty()) {
            line.append(" - ").append(reasons);
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
        if (reason instanceof Reason.BlockedNotCounted) {
            return "blocked clients not counted (" + ((Reason.BlockedNotCounted) reason).why() + ")";
        }
        if (reason instanceof Reason.CapacityUnknown) {
            return ((Reason.CapacityUnknown) reason).somaxconnZero()
                    ? "no usage: somaxconn is 0, so every queue holds one connection (use --basis socket)"
                    : "backlog unknown (/proc does not show it; use --basis somaxconn)";
        }
        Reason.ForgedLines forged = (Reason.ForgedLines) reason;
        String lines = forged.extraLines() == 1 ? "1 forged line" : forged.extraLines() + " forged lines";
        return forged.trusted()
                ? lines + " of /proc/net/unix (a socket name holding a newline) also claimed it; the higher "
                        + "blocked count is used"
                : lines + " of /proc/net/unix (a socket name holding a newline) claimed its inode; the worst "
                        + "is used, and only sock_diag can tell which is real";
    }

    /** A finding for the status line: what, on what. */
    private static String shortly(Finding finding) {
        switch (finding.kind()) {
            case BACKLOG_AT_SOMAXCONN:
                return finding.subject() + " backlog capped at somaxconn " + finding.limit();
            case SMALL_BACKLOG:
                return finding.subject() + " backlog " + finding.value() + " with " + finding.limit() + " queued";
            case LOW_NAMESPACE_SOMAXCONN:
                return finding.subject() + " somaxconn " + finding.value() + " (host " + finding.limit() + ")";
            default:
                return finding.subject() + " SO_REUSEPORT group uneven";
        }
    }

    /** A finding's line after its state tag: what the figures show, and what to change. */
    public static String detail(Finding finding) {
        String what;
        switch (finding.kind()) {
            case BACKLOG_AT_SOMAXCONN:
                what = finding.subject() + ": backlog " + finding.value() + " is net.core.somaxconn: the service "
                        + "probably asked for more and was capped; raise somaxconn (sysctl -w net.core.somaxconn=N, "
                        + "and in /etc/sysctl.d/) to the backlog the service asks for, then restart it";
                break;
            case SMALL_BACKLOG:
                what = finding.subject() + ": backlog " + finding.value() + " with " + finding.limit()
                        + (finding.limit() == 1 ? " connection" : " connections") + " queued: so small a queue fills at the first burst; raise the service's listen backlog "
                        + "(php-fpm listen.backlog, nginx listen ... backlog=, gunicorn --backlog, uWSGI --listen)";
                break;
            case LOW_NAMESPACE_SOMAXCONN:
                what = finding.subject() + ": somaxconn " + finding.value() + ", the host's " + finding.limit()
                        + ": every backlog there is capped at " + finding.value() + "; raise it in the namespace "
                        + "(docker run --sysctl net.core.somaxconn=N, a pod's securityContext.sysctls)";
                break;
            default:
                what = finding.subject() + ": SO_REUSEPORT group of " + finding.limit() + " listeners with one queue "
                        + "full (" + finding.value() + " pending) while another is empty: the kernel spreads "
                        + "connections by hash, not by load, so a stuck worker's queue fills while the others idle; "
                        + "look at the worker behind the full one";
                break;
        }
        return "finding: " + what;
    }

    /** A missing selector's line after its state tag, with what else is known about it. */
    static String detail(MissingSelector missing) {
        switch (missing.hint()) {
            case SOCKET_FILE:
                return missing.selector() + ": not listening in the network namespaces read, though it is a socket "
                        + "file: its service died and left it, or it listens in another network namespace (a "
                        + "container sharing the directory; as root, try --all-netns or --netns-pid PID)";
            case STALE_SOCKET_FILE:
                return missing.selector() + ": not listening in any network namespace, though it is a socket file: "
                        + "its service died and left it";
            case NO_NAMESPACE:
                return missing.selector() + ": " + missing.detail();
            default:
                return missing.selector() + ": not listening";
        }
    }

    /** The overflow counters' line after its state tag. */
    static String detail(Overflows overflows) {
        StringBuilder line = new StringBuilder(160);
        if (overflows.unavailable() != null) {
            return line.append("overflows since the previous run: unknown (").append(overflows.unavailable())
                    .append(')').toString();
        }
        if (overflows.baseline() != null) {
            return line.append("overflows since the previous run: counted from this run on (").append(overflows.baseline())
                    .append(')').toString();
        }
        line.append("overflows since the previous run ").append(ago(overflows.elapsedMillis())).append(": ")
                .append(count(overflows.overflows())).append(" (");
        Metric rate = null;
        for (Metric metric : overflows.metrics()) {
            if (metric.labelMetric().equals("overflows_per_min")) {
                rate = metric;
            }
        }
        line.append(rate == null ? (overflows.elapsedMillis() < 0 ? "no rate" : "runs less than a second apart, no rate") : PlainNumber.format(rate.value(), 2)
                + " a minute");
        for (java.util.Map.Entry<String, Long> delta : overflows.deltas().entrySet()) {
            line.append(", ").append(delta.getKey()).append(" +").append(Long.toUnsignedString(delta.getValue()));
        }
        line.append(')');
        if (overflows.overflows().breach() != null) {
            line.append(" - ").append(reason(new Reason.Breached(overflows.overflows())));
        }
        if (overflows.overflows().value() > 0) {
            line.append(overflows.likely().isEmpty()
                    ? "; no selected listener was full or nearly full in this run (the kernel does not say which dropped)"
                    : "; likely: " + String.join(", ", overflows.likely()));
        }
        return line.toString();
    }

    /** "61 s ago", "2.5 s ago", "0.3 s ago". */
    /** "12 s ago"; for -1, a previous run dated in the future, what is known. */
    private static String ago(long millis) {
        if (millis < 0) {
            return "(dated in the future: the clock went back)";
        }
        return (millis >= 10_000 ? Long.toString(Math.round(millis / 1000.0)) : PlainNumber.format(millis / 1000.0, 1))
                + " s ago";
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

    /** A socket's perfdata items, each with the thresholds that judged it. */
    static List<String> perfdata(SocketItem socket) {
        List<String> items = new ArrayList<>(socket.metrics().size());
        for (Metric metric : socket.metrics()) {
            items.add(new PerfDatum(metric.label(), metric.value(), metric.unit(), metric.thresholds().warning(),
                    metric.thresholds().critical(), metric.min(), metric.max()).toString());
        }
        return items;
    }

    /** The namespace's figures, then the overflows since the previous run (with thresholds where judged). */
    private static List<String> hostPerfdata(CheckResult.Host host, Overflows overflows) {
        List<String> items = hostPerfdata(host);
        if (overflows != null) {
            for (Metric metric : overflows.metrics()) {
                items.add(new PerfDatum(metric.label(), metric.value(), metric.unit(), metric.thresholds().warning(),
                        metric.thresholds().critical(), metric.min(), metric.max()).toString());
            }
        }
        return items;
    }

    private static List<String> hostPerfdata(CheckResult.Host host) {
        List<String> items = new ArrayList<>();
        items.add(PerfDatum.exactItem(host.somaxconn().label(), host.somaxconn().value(), ""));
        items.add(PerfDatum.exactItem(host.cpus().label(), host.cpus().value(), ""));
        for (HostFigure figure : host.tcpSettings()) {
            items.add(PerfDatum.exactItem(figure.label(), figure.value(), figure.unit()));
        }
        for (HostFigure figure : host.tcpCounters()) {
            items.add(PerfDatum.exactItem(figure.label(), figure.value(), figure.unit()));
        }
        return items;
    }

    /** The lines after the sockets': basis, source, what /proc cannot tell, the TCP figures, verbose detail. */
    private static List<String> context(CheckResult result, int verbosity) {
        List<String> lines = new ArrayList<>();
        lines.add("basis: " + result.basis());
        lines.add("source: " + sources(result));
        if (result.namespacesLeftOut() > 0) {
            lines.add("note: " + result.namespacesLeftOut() + " network namespace" + (result.namespacesLeftOut() == 1
                    ? " was" : "s were") + " left out: no /run/netns name and no system container or service owns "
                    + (result.namespacesLeftOut() == 1 ? "it" : "them") + ", so any user could have made "
                    + (result.namespacesLeftOut() == 1 ? "it" : "them") + "; select one with --netns-pid PID");
        }
        for (CheckResult.SourceUsed source : result.sources()) {
            if (source.family().equals("unix") && !source.sockDiag()) {
                // What this source cannot tell apart, said wherever it is used (the man page says why).
                lines.add("note: /proc/net/unix cannot tell a real listener from one forged by a local user's socket "
                        + "name, shows no backlogs, and counts listeners of one name together; sock_diag has none "
                        + "of these limits");
            }
        }
        for (CheckResult.SourceUsed source : result.sources()) {
            if (source.family().equals("tcp") && !source.sockDiag()) {
                lines.add("note: /proc/net/tcp shows no backlogs, and not which [::] listeners refuse IPv4 "
                        + "(IPV6_V6ONLY) or are bound to a device; sock_diag shows all three");
            }
        }
        if (result.host().tcpRead()) {
            lines.add(tcpFigures(result.host()));
        }
        Sampling sampling = result.sampling();
        if (sampling != null) {
            lines.add("samples: " + sampling.taken() + " looks in " + sampling.spanMillis() + " ms, every "
                    + sampling.intervalMillis() + " ms; each socket judged on its peak"
                    + (sampling.taken() < sampling.asked() ? " (" + sampling.asked() + " asked: -t came near)" : ""));
        }
        verbose(result, verbosity, lines);
        return lines;
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
