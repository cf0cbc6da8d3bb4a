package org.checksocketbacklog.evaluation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.checksocketbacklog.arguments.Basis;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.kernel.HostFigures;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.SocketKind;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.plugin.PerfLabel;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.selection.Glob;
import org.checksocketbacklog.selection.PortSelector;
import org.checksocketbacklog.selection.Selection;
import org.checksocketbacklog.state.CounterState;
import org.checksocketbacklog.state.PreviousState;

/** Measures the selected listeners and judges them against the thresholds. Pure: no I/O. */
public final class Evaluation {
    private static final Thresholds NO_THRESHOLDS = new Thresholds(null, null);
    /**
     * Unix before TCP, then by name, kind and inode: the order output and perfdata keep from run to
     * run. A plain class rather than Comparator.comparing chains, whose lambdas are spun at run time;
     * it compares {@link Sorted} entries, whose TCP names are made once, not at every comparison of
     * a sort of thousands.
     */
    static final Comparator<Sorted> ORDER = new Comparator<>() {
        @Override
        public int compare(Sorted a, Sorted b) {
            int order = Boolean.compare(a.listener instanceof TcpListener, b.listener instanceof TcpListener);
            if (order == 0) {
                order = a.listener instanceof UnixListener
                        ? ((UnixListener) a.listener).name().compareTo(((UnixListener) b.listener).name())
                        : a.tcpName.compareTo(b.tcpName);
            }
            if (order == 0) {
                order = a.listener.kind().compareTo(b.listener.kind());
            }
            return order != 0 ? order : Long.compare(a.listener.inode(), b.listener.inode());
        }
    };

    /** A listener and, for TCP, the name it sorts by. */
    static final class Sorted {
        final Listener listener;
        final String tcpName;

        Sorted(Listener listener) {
            this.listener = listener;
            this.tcpName = listener instanceof TcpListener tcp ? tcp.endpoint().displayName() : null;
        }
    }

    /** The listeners in {@link #ORDER}. */
    static List<Listener> sorted(List<Listener> listeners) {
        Sorted[] entries = new Sorted[listeners.size()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new Sorted(listeners.get(i));
        }
        Arrays.sort(entries, ORDER);
        List<Listener> sorted = new ArrayList<>(entries.length);
        for (Sorted entry : entries) {
            sorted.add(entry.listener);
        }
        return sorted;
    }

    private Evaluation() {
    }

    /**
     * The counters of the previous run of this check and of this one (--state-dir), or why the
     * state could not be used.
     *
     * @param previous    what the state file held, or null when unavailable
     * @param current     this run's counters, as the state file will hold them, or null when unavailable
     * @param unavailable why the state could not be read or written, or null
     */
    public record History(PreviousState previous, CounterState current, String unavailable) {
        public static History measured(PreviousState previous, CounterState current) {
            return new History(previous, current, null);
        }

        public static History unavailable(String why) {
            return new History(null, null, why);
        }
    }

    /** One look, no state. */
    public static CheckResult evaluate(CheckConfig config, HostFigures host,
            ListenerSnapshot<UnixListener> unix, ListenerSnapshot<TcpListener> tcp, Selection selection,
            String blockedUnreadable) {
        return evaluate(config, host, unix, tcp, selection, blockedUnreadable, null, null, Set.of());
    }

    /**
     * @param sampling what --samples saw (the selection then holds each listener at its peak), or null
     * @param history  the counters since the previous run, or null without a state directory
     * @param socketFiles the -s paths that matched no listener but are socket files
     */
    public static CheckResult evaluate(CheckConfig config, HostFigures host,
            ListenerSnapshot<UnixListener> unix, ListenerSnapshot<TcpListener> tcp, Selection selection,
            String blockedUnreadable, Sampling sampling, History history, Set<String> socketFiles) {
        List<Listener> listeners = sorted(selection.listeners());
        // Two listeners can share a label name (a path re-bound while the old socket lives on, or a
        // SO_REUSEPORT group); the inode then keeps their perfdata apart. An abstract name can be
        // bound once per socket type, by anyone: a seqpacket listener on a stream listener's name
        // is the one qualified, so that the stream listener keeps its label.
        String[] labelKeys = new String[listeners.size()];
        Map<String, Integer> nameCounts = new HashMap<>();
        Map<String, Integer> nameAndKindCounts = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            labelKeys[i] = labelKey(listeners.get(i));
            count(nameCounts, labelKeys[i]);
            count(nameAndKindCounts, labelKeys[i] + '\0' + listeners.get(i).kind());
        }
        // The members of each SYN-RECV pool, in order; the pool's item follows its last member.
        Map<Long, List<TcpListener>> pools = new HashMap<>();
        for (Listener listener : listeners) {
            if (listener instanceof TcpListener tcpListener && tcpListener.synRecv().shared()) {
                List<TcpListener> members = pools.get(tcpListener.synRecv().pool());
                if (members == null) {
                    members = new ArrayList<>();
                    pools.put(tcpListener.synRecv().pool(), members);
                }
                members.add(tcpListener);
            }
        }
        Map<String, Integer> poolNameCounts = new HashMap<>();
        for (List<TcpListener> members : pools.values()) {
            count(poolNameCounts, members.get(members.size() - 1).endpoint().perfName()); // as the label below
        }

        List<SocketItem> sockets = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            Listener listener = listeners.get(i);
            int sameKind = nameAndKindCounts.get(labelKeys[i] + '\0' + listener.kind());
            boolean qualified = sameKind > 1
                    || nameCounts.get(labelKeys[i]) > sameKind && listener.kind() != SocketKind.UNIX_STREAM;
            PerfLabel.Name labelName = labelName(labelKeys[i], qualified ? "inode " + listener.inode() : null);
            boolean named = selection.named().contains(listener.inode());
            Sampling.Queue queue = sampling == null ? null : sampling.queues().get(listener.inode());
            if (listener instanceof UnixListener unixListener) {
                sockets.add(unixItem(config, host, unixListener, labelName, unix.source() == Source.PROC, named,
                        blockedUnreadable, queue));
            } else {
                TcpListener tcpListener = (TcpListener) listener;
                sockets.add(tcpItem(config, host, tcpListener, labelName, named, queue));
                List<TcpListener> members = tcpListener.synRecv().shared() ? pools.get(tcpListener.synRecv().pool())
                        : null;
                if (members != null && members.get(members.size() - 1) == tcpListener) {
                    String perfName = tcpListener.endpoint().perfName();
                    // A shared member emits no syn_recv of its own, so its inode names the pool.
                    PerfLabel.Name poolLabel = labelName(perfName,
                            poolNameCounts.get(perfName) > 1 ? "inode " + members.get(0).inode() : null);
                    sockets.add(poolItem(config, members, poolLabel, named));
                }
            }
        }
        List<MissingSelector> missing = new ArrayList<>(selection.missing().size());
        for (String selector : selection.missing()) {
            missing.add(socketFiles.contains(selector)
                    ? new MissingSelector(selector, config.missingState(), config.allNetns()
                            ? MissingSelector.Hint.STALE_SOCKET_FILE : MissingSelector.Hint.SOCKET_FILE, null)
                    : new MissingSelector(selector, config.missingState()));
        }

        Overflows overflows = history == null ? null : history.unavailable() != null
                ? Overflows.unavailable(history.unavailable())
                : Overflows.between(history.previous(), history.current(), config.overflows(), likely(sockets, sampling));

        List<Finding> findings = findings(config, host, listeners, pools);
        Status state = worst(sockets, missing, overflows, findings);
        List<Item> significant = significant(state, sockets, missing, overflows, findings);
        return new CheckResult(state, sockets, missing, overflows, sampling, significant,
                config.basis().describe(host),
                sources(unix, tcp), hostFigures(host),
                new CheckResult.ThresholdsUsed(config.usage(), config.pending(), config.blocked(), config.synRecv()),
                selectors(config), config.verbosity() >= 3 ? seen(unix, tcp) : List.of(), 0, null, findings);
    }

    private static Status worst(List<SocketItem> sockets, List<MissingSelector> missing, Overflows overflows,
            List<Finding> findings) {
        Status state = Status.OK;
        for (Finding finding : findings) {
            state = state.worse(finding.state());
        }
        for (SocketItem socket : sockets) {
            state = state.worse(socket.state());
        }
        for (MissingSelector selector : missing) {
            state = state.worse(selector.state());
        }
        if (overflows != null) {
            state = state.worse(overflows.state());
        }
        return state;
    }

    /** The items that set {@code state}, in output order; none when it is OK. */
    private static List<Item> significant(Status state, List<SocketItem> sockets, List<MissingSelector> missing,
            Overflows overflows, List<Finding> findings) {
        List<Item> significant = new ArrayList<>();
        if (state != Status.OK) {
            for (SocketItem socket : sockets) {
                if (socket.state() == state) {
                    significant.add(socket);
                }
            }
            for (MissingSelector selector : missing) {
                if (selector.state() == state) {
                    significant.add(selector);
                }
            }
            if (overflows != null && overflows.state() == state) {
                significant.add(overflows);
            }
            for (Finding finding : findings) {
                if (finding.state() == state) {
                    significant.add(finding);
                }
            }
        }
        return significant;
    }

    /**
     * One namespace's result, for {@link #acrossNamespaces}.
     *
     * @param name   the namespace's name, null for the check's own
     * @param result its sockets judged as if it were the only one
     */
    public record NamespacePart(String name, CheckResult result) {
    }

    /**
     * The results of several network namespaces as one check: every socket of another namespace
     * than the check's own named with it (" in netns web" in the text, {@code netns web} in its
     * perfdata labels), a selector missing only if it matched nothing in any namespace, and the
     * state the worst of all.
     *
     * @param parts      the namespaces read, the check's own first when it was read
     * @param ownHost    the check's own namespace's figures, for the host perfdata
     * @param unresolved the --netns and --netns-pid selectors that named no namespace, with why
     * @param leftOut    namespaces --all-netns did not read (ones any user can make): a socket file no
     *                   namespace read listens on is then not known to be stale
     */
    public static CheckResult acrossNamespaces(CheckConfig config, List<NamespacePart> parts, HostFigures ownHost,
            List<String[]> unresolved, int leftOut) {
        List<SocketItem> sockets = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        String firstBasis = null;
        List<List<CheckResult.Seen>> seen = new ArrayList<>();
        List<CheckResult.SourceUsed> sources = new ArrayList<>();
        Map<String, MissingSelector> missingEverywhere = null;
        List<Finding> findings = new ArrayList<>();
        for (NamespacePart part : parts) {
            CheckResult result = part.result();
            for (SocketItem socket : result.sockets()) {
                sockets.add(part.name() == null ? socket : inNamespace(socket, part.name()));
            }
            for (Finding finding : result.findings()) {
                findings.add(part.name() == null ? finding : finding.in(part.name()));
            }
            long somaxconn = numberOr(result.host().somaxconn().value(), -1);
            if (part.name() != null && somaxconn >= 0 && somaxconn * 4 <= ownHost.somaxconn()
                    && (config.verbosity() >= 1 || config.findingsState() != null)) {
                findings.add(new Finding(Finding.Kind.LOW_NAMESPACE_SOMAXCONN, "netns " + part.name(), somaxconn,
                        ownHost.somaxconn(), findingState(config)));
            }
            // Each namespace's basis where it differs from the first's (a somaxconn of its own).
            if (bases.isEmpty()) {
                bases.add(part.name() == null ? result.basis() : "netns " + part.name() + ": " + result.basis());
                firstBasis = result.basis();
            } else if (!result.basis().equals(firstBasis)) {
                bases.add("netns " + part.name() + ": " + result.basis());
            }
            seen.addAll(result.seen());
            for (CheckResult.SourceUsed source : result.sources()) {
                if (!sources.contains(source)) {
                    sources.add(source);
                }
            }
            Map<String, MissingSelector> here = new LinkedHashMap<>();
            for (MissingSelector selector : result.missing()) {
                here.put(selector.selector(), selector);
            }
            if (missingEverywhere == null) {
                missingEverywhere = here;
            } else {
                // Missing everywhere: in every namespace so far and in this one; a socket file's hint wins.
                Map<String, MissingSelector> both = new LinkedHashMap<>();
                for (Map.Entry<String, MissingSelector> entry : missingEverywhere.entrySet()) {
                    MissingSelector other = here.get(entry.getKey());
                    if (other != null) {
                        both.put(entry.getKey(), other.hint() != MissingSelector.Hint.NONE ? other : entry.getValue());
                    }
                }
                missingEverywhere = both;
            }
        }
        List<MissingSelector> missing = new ArrayList<>();
        if (missingEverywhere != null) {
            for (MissingSelector selector : missingEverywhere.values()) {
                missing.add(selector.hint() == MissingSelector.Hint.STALE_SOCKET_FILE && leftOut > 0
                        ? new MissingSelector(selector.selector(), selector.state(), MissingSelector.Hint.SOCKET_FILE,
                                null)
                        : selector);
            }
        } else {
            for (String selector : selectorTexts(config)) {
                missing.add(new MissingSelector(selector, config.missingState()));
            }
        }
        for (String[] namespace : unresolved) {
            missing.add(new MissingSelector("netns " + namespace[0], config.missingState(),
                    MissingSelector.Hint.NO_NAMESPACE, namespace[1]));
        }
        Status state = worst(sockets, missing, null, findings);
        return new CheckResult(state, sockets, missing, null, null, significant(state, sockets, missing, null, findings),
                String.join("; ", bases), sources, hostFigures(ownHost),
                new CheckResult.ThresholdsUsed(config.usage(), config.pending(), config.blocked(), config.synRecv()),
                selectors(config), seen, leftOut, null, findings);
    }

    private static Status findingState(CheckConfig config) {
        return config.findingsState() == null ? Status.OK : config.findingsState();
    }

    private static long numberOr(String text, long fallback) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * The misconfigurations the listeners show: a backlog equal to somaxconn (the service asked for
     * at least that much and was capped), a small backlog on a listener with queued connections,
     * and a SO_REUSEPORT group with a member full while another is empty.
     */
    private static List<Finding> findings(CheckConfig config, HostFigures host, List<Listener> listeners,
            Map<Long, List<TcpListener>> pools) {
        List<Finding> findings = new ArrayList<>();
        // Said with -v, or judged when asked for: the usual output stays as it was.
        if (config.verbosity() < 1 && config.findingsState() == null) {
            return findings;
        }
        Status state = findingState(config);
        long somaxconn = host.somaxconn();
        for (Listener listener : listeners) {
            if (listener.backlog().isEmpty()) {
                continue;
            }
            long backlog = listener.backlog().getAsLong();
            String name = listener instanceof UnixListener unixListener ? unixListener.name().displayText()
                    : ((TcpListener) listener).endpoint().displayName();
            if (somaxconn > 0 && backlog == somaxconn) {
                findings.add(new Finding(Finding.Kind.BACKLOG_AT_SOMAXCONN, name, backlog, somaxconn, state));
            } else if (backlog <= Finding.SMALL_BACKLOG && listener.pending() > 0) {
                findings.add(new Finding(Finding.Kind.SMALL_BACKLOG, name, backlog, listener.pending(), state));
            }
        }
        List<Long> poolKeys = new ArrayList<>(pools.keySet());
        java.util.Collections.sort(poolKeys);
        for (long pool : poolKeys) {
            List<TcpListener> members = pools.get(pool);
            boolean oneBinding = true;
            boolean anyEmpty = false;
            TcpListener full = null;
            for (TcpListener member : members) {
                oneBinding &= member.endpoint().sameBinding(members.get(0).endpoint());
                anyEmpty |= member.pending() == 0;
                if (member.full() && full == null) {
                    full = member;
                }
            }
            if (oneBinding && members.size() > 1 && full != null && anyEmpty) {
                findings.add(new Finding(Finding.Kind.UNEVEN_REUSEPORT_GROUP, members.get(0).endpoint().displayName(),
                        full.pending(), members.size(), state));
            }
        }
        return findings;
    }

    /** The socket as one of namespace {@code namespace}: its name says so, and so do its labels. */
    private static SocketItem inNamespace(SocketItem socket, String namespace) {
        List<Metric> metrics = new ArrayList<>(socket.metrics().size());
        for (Metric metric : socket.metrics()) {
            metrics.add(metric.labelName() == null ? metric : new Metric(metric.labelName().inNamespace(namespace),
                    metric.labelMetric(), metric.name(), metric.value(), metric.unit(), metric.thresholds(),
                    metric.min(), metric.max(), metric.breach()));
        }
        return new SocketItem(socket.name() + " in netns " + namespace, socket.kind(), socket.shape(),
                socket.inodes(), socket.backlog(), socket.capacity(), metrics, socket.reasons(), socket.named(),
                socket.cgroupId());
    }

    /**
     * A label's socket name and, when the name alone would not tell two items apart, a qualifier
     * such as "inode 4711" ({@link PerfLabel#of(byte[], String, String)}).
     *
     * @param key the name's bytes, one char each ({@link #labelKey})
     */
    private static PerfLabel.Name labelName(String key, String qualifier) {
        byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
        return qualifier == null ? PerfLabel.Name.of(bytes) : PerfLabel.Name.of(bytes, qualifier);
    }

    /** The name perfdata labels carry, its bytes one char each: a unix name's label bytes, or "tcp4/ADDRESS/PORT". */
    private static String labelKey(Listener listener) {
        if (listener instanceof UnixListener unixListener) {
            return new String(unixListener.name().labelBytes(), StandardCharsets.ISO_8859_1);
        }
        return ((TcpListener) listener).endpoint().perfName();
    }

    // Not Map.merge with Integer::sum: a method reference is spun at run time, on every check.
    private static void count(Map<String, Integer> counts, String key) {
        Integer count = counts.get(key);
        counts.put(key, count == null ? 1 : count + 1);
    }

    private static SocketItem unixItem(CheckConfig config, HostFigures host, UnixListener listener, PerfLabel.Name labelName,
            boolean fromProc, boolean named, String blockedUnreadable, Sampling.Queue queue) {
        OptionalLong capacity = config.basis().capacity(host, listener);
        List<Metric> metrics = new ArrayList<>(3);
        List<Reason> reasons = new ArrayList<>(2);
        judgeQueue(config, listener, labelName, capacity, metrics, reasons);
        if (listener.blocked().isPresent()) {
            Metric blocked = Metric.judged(labelName, "blocked", "blocked", listener.blocked().getAsLong(), "",
                    config.blocked(), 0.0, null);
            metrics.add(blocked);
            addBreach(reasons, blocked);
        } else {
            // Only a full queue's blocked clients are counted, from /proc/net/unix.
            reasons.add(new Reason.BlockedNotCounted(blockedUnreadable == null ? "not read" : blockedUnreadable));
        }
        if (listener.extraLines() > 0) {
            reasons.add(new Reason.ForgedLines(listener.extraLines(), !fromProc));
        }
        addLast(metrics, labelName, queue, capacity);
        return new SocketItem(listener.name().displayText(), listener.kind().description(),
                listener.inodes().length > 1 ? SocketItem.Shape.SAME_NAME : SocketItem.Shape.LISTENER,
                listener.inodes(), listener.backlog(), capacity, metrics, reasons, named, 0);
    }

    private static SocketItem tcpItem(CheckConfig config, HostFigures host, TcpListener listener, PerfLabel.Name labelName,
            boolean named, Sampling.Queue queue) {
        OptionalLong capacity = config.basis().capacity(host, listener);
        List<Metric> metrics = new ArrayList<>(3);
        List<Reason> reasons = new ArrayList<>(2);
        judgeQueue(config, listener, labelName, capacity, metrics, reasons);
        if (!listener.synRecv().shared()) {
            // The SYN queue holds backlog + 1 request sockets, like the accept queue.
            Double max = listener.backlog().isPresent() ? (double) (listener.backlog().getAsLong() + 1) : null;
            Metric synRecv = Metric.judged(labelName, "syn_recv", "syn-recv", listener.synRecv().count(), "",
                    config.synRecv(), 0.0, max);
            metrics.add(synRecv);
            addBreach(reasons, synRecv);
        }
        addLast(metrics, labelName, queue, capacity);
        return new SocketItem(listener.endpoint().displayName(), listener.kind().description(),
                SocketItem.Shape.LISTENER, new long[] {listener.inode()}, listener.backlog(), capacity, metrics,
                reasons, named, listener.cgroupId());
    }

    /**
     * The SYN-RECV count a pool of listeners shares (a SO_REUSEPORT group, or listeners that differ
     * only in their device), judged once for the pool: no member's own share is known, only their
     * total.
     */
    private static SocketItem poolItem(CheckConfig config, List<TcpListener> members, PerfLabel.Name labelName,
            boolean named) {
        TcpListener first = members.get(0);
        long[] inodes = new long[members.size()];
        long max = 0;
        boolean maxKnown = true;
        for (int i = 0; i < inodes.length; i++) {
            inodes[i] = members.get(i).inode();
            OptionalLong backlog = members.get(i).backlog();
            maxKnown &= backlog.isPresent();
            max += backlog.isPresent() ? backlog.getAsLong() + 1 : 0;
        }
        Metric synRecv = Metric.judged(labelName, "syn_recv", "syn-recv", first.synRecv().count(), "",
                config.synRecv(), 0.0, maxKnown ? (double) max : null);
        List<Reason> reasons = new ArrayList<>(1);
        addBreach(reasons, synRecv);
        boolean oneBinding = true;
        for (TcpListener member : members) {
            oneBinding &= member.endpoint().sameBinding(first.endpoint());
        }
        return new SocketItem(first.endpoint().displayName(), first.kind().description(),
                oneBinding ? SocketItem.Shape.REUSEPORT_GROUP : SocketItem.Shape.SYN_RECV_POOL, inodes,
                OptionalLong.empty(), OptionalLong.empty(), List.of(synRecv), reasons, named, 0);
    }

    /** Pending, usage and a full queue, which both families have. */
    private static void judgeQueue(CheckConfig config, Listener listener, PerfLabel.Name labelName, OptionalLong capacity,
            List<Metric> metrics, List<Reason> reasons) {
        Double max = capacity.isPresent() ? (double) capacity.getAsLong() : null;
        Metric pending = Metric.judged(labelName, "pending", "pending", listener.pending(), "", config.pending(),
                0.0, max);
        metrics.add(pending);
        if (capacity.isPresent()) {
            Metric usage = Metric.judged(labelName, "usage", "usage",
                    100.0 * listener.pending() / capacity.getAsLong(), "%", config.usage(), 0.0, 100.0);
            metrics.add(usage);
            addBreach(reasons, usage);
        } else {
            reasons.add(new Reason.CapacityUnknown(config.basis() == Basis.SOMAXCONN));
        }
        // A full queue refuses (or makes wait) every new client now. On the somaxconn basis a full
        // queue is a few percent at most, below any usage threshold, so it is judged on its own.
        if (listener.full() && config.fullState() != Status.OK) {
            reasons.add(new Reason.QueueFull(listener.pending(), listener.backlog().getAsLong() + 1, config.fullState()));
        }
        addBreach(reasons, pending);
    }

    /**
     * With --samples, the pending count of the last look, beside the peak that judged the socket:
     * last in the socket's perfdata, so that the other items keep their places.
     */
    private static void addLast(List<Metric> metrics, PerfLabel.Name labelName, Sampling.Queue queue,
            OptionalLong capacity) {
        if (queue != null) {
            metrics.add(Metric.judged(labelName, "pending_last", "pending-last", queue.last(), "", NO_THRESHOLDS, 0.0,
                    capacity.isPresent() ? (double) capacity.getAsLong() : null));
        }
    }

    /**
     * The TCP listeners whose accept queue was full or nearly full (nine tenths) at its peak, or
     * whose SYN queue was: when the counters say a handshake was dropped, the likely places.
     */
    private static List<String> likely(List<SocketItem> sockets, Sampling sampling) {
        List<String> likely = new ArrayList<>();
        for (SocketItem socket : sockets) {
            if (!socket.kind().startsWith("tcp") || socket.shape() != SocketItem.Shape.LISTENER
                    || socket.backlog().isEmpty()) {
                continue;
            }
            long limit = socket.backlog().getAsLong() + 1;
            Metric pending = socket.metric("pending");
            Metric synRecv = socket.metric("syn-recv");
            Sampling.Queue queue = sampling == null ? null : sampling.queues().get(socket.inodes()[0]);
            if (pending.value() * 10 >= limit * 9) {
                likely.add(socket.name() + " (accept queue " + (long) pending.value() + " of " + limit
                        + (queue == null ? "" : ", full in " + queue.full() + " of " + queue.seen() + " looks") + ")");
            } else if (synRecv != null && synRecv.value() * 10 >= limit * 9) {
                likely.add(socket.name() + " (SYN queue " + (long) synRecv.value() + " of " + limit + ")");
            }
        }
        return likely;
    }

    private static void addBreach(List<Reason> reasons, Metric metric) {
        if (metric.breach() != null) {
            reasons.add(new Reason.Breached(metric));
        }
    }

    private static List<CheckResult.SourceUsed> sources(ListenerSnapshot<UnixListener> unix,
            ListenerSnapshot<TcpListener> tcp) {
        List<CheckResult.SourceUsed> sources = new ArrayList<>(2);
        if (unix != null) {
            sources.add(new CheckResult.SourceUsed("unix", unix.source() == Source.SOCK_DIAG, unix.fallbackReason()));
        }
        if (tcp != null) {
            sources.add(new CheckResult.SourceUsed("tcp", tcp.source() == Source.SOCK_DIAG, tcp.fallbackReason()));
        }
        return sources;
    }

    private static CheckResult.Host hostFigures(HostFigures host) {
        HostFigure somaxconn = new HostFigure(PerfLabel.of("somaxconn"), Integer.toString(host.somaxconn()), "",
                host.somaxconnSource());
        HostFigure cpus = new HostFigure(PerfLabel.of("cpus"), Integer.toString(host.cpus()), "", host.cpusSource());
        List<HostFigure> settings = new ArrayList<>(2);
        List<HostFigure> counters = new ArrayList<>();
        if (host.tcp().isPresent()) {
            HostFigures.Tcp tcp = host.tcp().get();
            settings.add(new HostFigure(PerfLabel.of("tcp_max_syn_backlog"), Integer.toString(tcp.maxSynBacklog()), "",
                    ""));
            settings.add(new HostFigure(PerfLabel.of("tcp_syncookies"), Integer.toString(tcp.syncookies()), "", ""));
            // Counters since boot (UOM c): graphing tools turn them into overflow rates. Unsigned 64-bit.
            for (Map.Entry<String, Long> counter : tcp.counters().entrySet()) {
                counters.add(new HostFigure(PerfLabel.of(counter.getKey()), Long.toUnsignedString(counter.getValue()),
                        "c", ""));
            }
        }
        return new CheckResult.Host(somaxconn, cpus, host.tcp().isPresent(), settings, counters);
    }

    /** The selectors as Selection names them when missing: -s patterns, then -p selectors. */
    private static List<String> selectorTexts(CheckConfig config) {
        List<String> selectors = new ArrayList<>();
        for (Glob glob : config.sockets()) {
            selectors.add(glob.pattern());
        }
        for (PortSelector port : config.ports()) {
            selectors.add(port.text());
        }
        return selectors;
    }

    private static List<String> selectors(CheckConfig config) {
        List<String> selectors = new ArrayList<>();
        for (Glob glob : config.sockets()) {
            selectors.add("-s " + glob.pattern());
        }
        for (PortSelector port : config.ports()) {
            selectors.add("-p " + port.text());
        }
        return selectors;
    }

    private static List<List<CheckResult.Seen>> seen(ListenerSnapshot<UnixListener> unix,
            ListenerSnapshot<TcpListener> tcp) {
        List<List<CheckResult.Seen>> seen = new ArrayList<>(2);
        if (unix != null) {
            List<CheckResult.Seen> family = new ArrayList<>(unix.listeners().size());
            seen.add(family);
            for (UnixListener listener : unix.listeners()) {
                family.add(new CheckResult.Seen(listener.kind().description(), listener.name().displayText(),
                        listener.inodes(), listener.pending(), listener.backlog(), "blocked", listener.blocked()));
            }
        }
        if (tcp != null) {
            List<CheckResult.Seen> family = new ArrayList<>(tcp.listeners().size());
            seen.add(family);
            for (TcpListener listener : tcp.listeners()) {
                family.add(new CheckResult.Seen(listener.kind().description(), listener.endpoint().displayName(),
                        new long[] {listener.inode()}, listener.pending(), listener.backlog(), "syn-recv",
                        OptionalLong.of(listener.synRecv().count())));
            }
        }
        return seen;
    }
}
