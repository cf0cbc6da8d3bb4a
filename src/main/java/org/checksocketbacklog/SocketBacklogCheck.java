package org.checksocketbacklog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checksocketbacklog.arguments.Arguments;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Evaluation;
import org.checksocketbacklog.evaluation.Owners;
import org.checksocketbacklog.evaluation.Sampling;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.kernel.HostFigures;
import org.checksocketbacklog.kernel.HostFiguresReader;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.NamespaceDoor;
import org.checksocketbacklog.kernel.NetworkNamespace;
import org.checksocketbacklog.kernel.NetworkNamespaceFinder;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.TcpListenerReader;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixListenerReader;
import org.checksocketbacklog.kernel.UnixNameFilter;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.netlink.SockDiagSession;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.CgroupOwner;
import org.checksocketbacklog.procfs.ProcFileException;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.procfs.SocketHolders;
import org.checksocketbacklog.selection.Glob;
import org.checksocketbacklog.selection.PortSelector;
import org.checksocketbacklog.selection.Selection;
import org.checksocketbacklog.state.CounterState;
import org.checksocketbacklog.state.PreviousState;
import org.checksocketbacklog.state.StateException;
import org.checksocketbacklog.state.StateKey;
import org.checksocketbacklog.state.StateStore;

/**
 * One check, configuration to result: the host's figures, the listeners, the selection, the verdict.
 * The kernel is reached only through {@link ProcFiles} and the readers' transport, which tests replace.
 */
public final class SocketBacklogCheck {
    /**
     * Extra dumps before a selected socket is called missing: a unix dump is not a snapshot, and under
     * heavy socket churn was seen to skip a listener that existed the whole time (3 in 2,400 dumps).
     */
    static final int EXTRA_READS_FOR_MISSING = 2;

    private final ProcFiles proc;
    private final NetlinkTransport.Opener opener;
    private final UnixListenerReader unixReader;
    private final TcpListenerReader tcpReader;
    private final NamespaceDoor door;
    private final NetworkNamespaceFinder finder;

    /** A check of its own network namespace only (tests; --netns is refused). */
    public SocketBacklogCheck(ProcFiles proc, NetlinkTransport.Opener opener) {
        this(proc, opener, null, null);
    }

    /**
     * @param door   the way into other network namespaces, for --netns, --netns-pid and --all-netns
     * @param finder where those namespaces are found
     */
    public SocketBacklogCheck(ProcFiles proc, NetlinkTransport.Opener opener, NamespaceDoor door,
            NetworkNamespaceFinder finder) {
        this.proc = proc;
        this.opener = opener;
        this.unixReader = new UnixListenerReader(proc, opener);
        this.tcpReader = new TcpListenerReader(proc, opener);
        this.door = door;
        this.finder = finder;
    }

    /**
     * One check: read, judge, answer. With a state directory and TCP read, the queues are read (and
     * sampled) first, then the state is locked, the counters read, the result judged and the new
     * counters written, then the lock released: two runs of one check at once measure one after
     * the other, so nothing is counted twice or lost, and neither waits for the other's looks.
     * A state that cannot be used makes the overflows unknown, not the check: a full queue stays
     * CRITICAL, and an OK check becomes UNKNOWN with the reason.
     */
    public CheckResult run(CheckConfig config) throws KernelReadException {
        long startNanos = System.nanoTime();
        return withOwners(config, judge(config), startNanos);
    }

    /** The look for holders stops after this long, and 1 s before -t whatever it has found. */
    static final long OWNERS_MILLIS = 1000;

    /** At most this many sockets' holders are looked for: the output names no more. */
    static final int MAX_OWNED = 1000;

    /**
     * The result with who holds the sockets it describes: those not OK (the status line and their
     * lines name their owners), and with -v every one. Nothing is looked for when every socket is
     * OK and the output is terse, so the usual check pays nothing for it.
     */
    private CheckResult withOwners(CheckConfig config, CheckResult result, long startNanos) {
        Set<Long> inodes = new HashSet<>();
        for (SocketItem socket : result.sockets()) {
            // Selected by owner, every socket's holder is what the operator asked about.
            if ((socket.state() != Status.OK || config.verbosity() >= 1 || config.ownerSelectors())
                    && inodes.size() < MAX_OWNED) {
                for (long inode : socket.inodes()) {
                    inodes.add(inode);
                }
            }
        }
        if (inodes.isEmpty()) {
            return result;
        }
        long deadline = Math.min(System.nanoTime() + OWNERS_MILLIS * 1_000_000L,
                startNanos + (config.timeoutSeconds() * 1000L - 1000) * 1_000_000L);
        // Who waits: the clients of the queued connections of the described unix listeners
        // (UNIX_DIAG_ICONS), in the same look for holders. This namespace's listeners only.
        Set<Long> queued = new HashSet<>();
        for (SocketItem socket : result.sockets()) {
            if (socket.kind().startsWith("unix") && socket.shape() == SocketItem.Shape.LISTENER
                    && inodes.contains(socket.inodes()[0]) && socket.metric("pending") != null
                    && socket.metric("pending").value() > 0) {
                queued.add(socket.inodes()[0]);
            }
        }
        Map<Long, long[]> clients = Map.of();
        if (!queued.isEmpty() && config.source() != SourcePreference.PROC) {
            try (SockDiagSession session = new SockDiagSession(opener)) {
                clients = unixReader.queuedClients(queued, session);
            } catch (KernelReadException e) {
                clients = Map.of(); // no clients named; the queue's figures stand
            }
        }
        Set<Long> wanted = new HashSet<>(inodes);
        for (long[] peers : clients.values()) {
            for (long peer : peers) {
                if (peer != 0) {
                    wanted.add(peer);
                }
            }
        }
        SocketHolders.Found found = proc.socketHolders(wanted, deadline);
        Map<Long, List<Owners.Owner>> byInode = new HashMap<>();
        for (Map.Entry<Long, List<SocketHolders.Holder>> entry : found.byInode().entrySet()) {
            List<Owners.Owner> owners = new ArrayList<>(entry.getValue().size());
            for (SocketHolders.Holder holder : entry.getValue()) {
                owners.add(new Owners.Owner(holder.pid(), holder.command(), CgroupOwner.of(holder.cgroup())));
            }
            byInode.put(entry.getKey(), owners);
        }
        return result.withOwners(new Owners(byInode, found.unreadable(), inodes, found.unscanned(), clients,
                createdIn(result, inodes, byInode, deadline)));
    }

    /**
     * The unit or container each described TCP socket without a visible holder was created in: its
     * cgroup id (INET_DIAG_CGROUP_ID) found in the cgroup2 hierarchy. Looked for only when a holder
     * is hidden, as a visible holder's own cgroup says as much and the walk is not free.
     */
    private Map<Long, String> createdIn(CheckResult result, Set<Long> described, Map<Long, List<Owners.Owner>> held,
            long deadline) {
        Map<Long, Long> cgroupByInode = new HashMap<>();
        for (SocketItem socket : result.sockets()) {
            long inode = socket.inodes()[0];
            if (socket.cgroupId() != 0 && described.contains(inode) && !held.containsKey(inode)) {
                cgroupByInode.put(inode, socket.cgroupId());
            }
        }
        Map<Long, String> units = new HashMap<>();
        for (Map.Entry<Long, String> entry : cgroupPaths(cgroupByInode, deadline).entrySet()) {
            String unit = CgroupOwner.ofPath(entry.getValue());
            if (unit != null) {
                units.put(entry.getKey(), unit);
            }
        }
        return units;
    }

    /** The cgroup path of each socket of {@code cgroupByInode} (inode to cgroup id) that was found. */
    private Map<Long, String> cgroupPaths(Map<Long, Long> cgroupByInode, long deadline) {
        if (cgroupByInode.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> paths = proc.cgroupPaths(new HashSet<>(cgroupByInode.values()), deadline);
        Map<Long, String> byInode = new HashMap<>();
        for (Map.Entry<Long, Long> entry : cgroupByInode.entrySet()) {
            String path = paths.get(entry.getValue());
            if (path != null) {
                byInode.put(entry.getKey(), path);
            }
        }
        return byInode;
    }

    /** --list: the listeners the selectors select, read as a check reads them, not judged. */
    public Selection listeners(CheckConfig config) throws KernelReadException {
        try (SockDiagSession session = new SockDiagSession(opener)) {
            return read(config, System.nanoTime(), session).selection();
        }
    }

    private CheckResult judge(CheckConfig config) throws KernelReadException {
        long startNanos = System.nanoTime();
        if (config.otherNamespaces()) {
            return runAcrossNamespaces(config, startNanos);
        }
        try (SockDiagSession session = new SockDiagSession(opener)) {
            Reading reading = read(config, startNanos, session);
            if (config.stateDirectory() == null || !config.wantsTcp()) {
                return evaluate(config, reading, null);
            }
            String bootId;
            String netns;
            long euid;
            try {
                bootId = proc.bootId();
                netns = proc.networkNamespace();
                euid = proc.effectiveUid();
            } catch (ProcFileException e) {
                return evaluate(config, reading, Evaluation.History.unavailable(e.getMessage()));
            }
            long cookie = reading.tcp().source() == Source.PROC ? 0 : session.namespaceCookie();
            String key = StateKey.of(config.commandLine(), netns);
            long lockDeadline = startNanos + Math.max(250, config.timeoutSeconds() * 1000L - 1000) * 1_000_000L;
            Path directory;
            try {
                directory = Path.of(config.stateDirectory());
            } catch (InvalidPathException e) {
                return evaluate(config, reading, Evaluation.History.unavailable("the state directory \""
                        + config.stateDirectory() + "\" is not a path this system can open"));
            }
            try (StateStore store = StateStore.open(directory, euid, key, lockDeadline)) {
                PreviousState previous = store.previous();
                // The counters are read under the lock, so that the runs of one check store them in
                // the order they were read: each run's delta starts where the previous one's ended.
                HostFigures host = HostFiguresReader.read(proc, config.cpus(), true);
                long timeMillis = System.currentTimeMillis();
                CounterState current = new CounterState(key, bootId, netns, cookie, timeMillis,
                        host.tcp().get().counters());
                Reading locked = new Reading(host, timeMillis, reading.unix(), reading.tcp(), reading.selection(),
                        reading.blockedUnreadable(), reading.sampling(), reading.socketFiles());
                CheckResult result = evaluate(config, locked, Evaluation.History.measured(previous, current));
                try {
                    store.write(current);
                } catch (StateException e) {
                    // Not stored: the next run measures from the previous state, so these overflows
                    // are reported then, not lost; this run cannot claim them as measured.
                    return evaluate(config, locked, Evaluation.History.unavailable(e.getMessage()
                            + "; the overflows since the previous run are counted when it can be written"));
                }
                return result;
            } catch (StateException e) {
                return evaluate(config, reading, Evaluation.History.unavailable(e.getMessage()));
            }
        }
    }

    /**
     * What one check read.
     *
     * @param timeMillis        when the host figures (the counters with them) were read
     * @param blockedUnreadable why /proc/net/unix could not be read for blocked clients, or null
     * @param sampling          what --samples saw, or null for one look
     */
    private record Reading(HostFigures host, long timeMillis, ListenerSnapshot<UnixListener> unix,
            ListenerSnapshot<TcpListener> tcp, Selection selection, String blockedUnreadable, Sampling sampling,
            Set<String> socketFiles) {
    }

    private static CheckResult evaluate(CheckConfig config, Reading reading, Evaluation.History history) {
        return Evaluation.evaluate(config, reading.host(), reading.unix(), reading.tcp(), reading.selection(),
                reading.blockedUnreadable(), reading.sampling(), history, reading.socketFiles());
    }

    private Reading read(CheckConfig config, long startNanos, SockDiagSession session) throws KernelReadException {
        HostFigures host = HostFiguresReader.read(proc, config.cpus(), config.wantsTcp());
        long timeMillis = System.currentTimeMillis();
        List<Integer> ports = new ArrayList<>();
        for (PortSelector selector : config.ports()) {
            if (!ports.contains(selector.port())) {
                ports.add(selector.port());
            }
        }
        // Only the unix listeners a -s selector may match are built: checking one listener costs
        // the same on a host with thousands of them. Except with -vvv, which lists every listener
        // read, so that a selector that matches nothing can be compared with what is there.
        UnixNameFilter unixNames = config.verbosity() >= 3 || config.ownerSelectors() ? UnixNameFilter.ALL
                : Selection.unixNames(config.sockets());
        OwnerLookup owners = config.ownerSelectors() ? new OwnerLookup(config, startNanos) : null;
        ListenerSnapshot<UnixListener> unix = config.wantsUnix() ? unixReader.read(config.source(), unixNames, session)
                : null;
        ListenerSnapshot<TcpListener> tcp = config.wantsTcp() ? tcpReader.read(config.source(), ports, session) : null;
        Selection selection = select(config, listeners(unix, tcp), owners);
        for (int read = 0; read < EXTRA_READS_FOR_MISSING && !selection.missing().isEmpty(); read++) {
            if (unix != null) {
                unix = union(unix, unixReader.read(again(unix, config), unixNames, session));
            }
            if (tcp != null) {
                tcp = unionTcp(tcp, tcpReader.read(again(tcp, config), ports, session));
            }
            selection = select(config, listeners(unix, tcp), owners);
        }
        // A selected path that no listener has by name but that is a socket file: look for the
        // listener bound to that very file (a container or a PrivateTmp= service binds it under
        // another path, in its own mount namespace). Only then, so it costs nothing otherwise.
        Map<String, long[]> files = socketFiles(config, selection);
        if (!files.isEmpty() && unix != null && unix.source() == Source.SOCK_DIAG) {
            Map<String, UnixListener> byFile = unixReader.readByFile(files, session);
            if (!byFile.isEmpty()) {
                List<UnixListener> all = new ArrayList<>(unix.listeners());
                all.addAll(byFile.values());
                unix = new ListenerSnapshot<>(all, unix.source(), unix.fallbackReason());
                selection = select(config, listeners(unix, tcp), owners);
                files.keySet().removeAll(byFile.keySet());
            }
        }
        Set<String> socketFiles = files.keySet();
        String blockedUnreadable = null;
        if (unix != null) {
            // Blocked clients exist only while a queue is full, and only /proc/net/unix shows them: it is
            // read for the selected listeners that are full, and not at all when none is.
            List<UnixListener> selected = new ArrayList<>();
            for (Listener listener : selection.listeners()) {
                if (listener instanceof UnixListener) {
                    selected.add((UnixListener) listener);
                }
            }
            UnixListenerReader.BlockedCount counted = unixReader.countBlocked(selected);
            blockedUnreadable = counted.unreadable();
            if (counted.listeners() != selected) {
                unix = replace(unix, counted.listeners());
                selection = select(config, listeners(unix, tcp), owners);
            }
        }
        Sampling sampling = null;
        if (config.samples() > 1) {
            long deadline = startNanos + (config.timeoutSeconds() * 1000L - Arguments.SAMPLING_STOP_MILLIS) * 1_000_000L;
            Sampler.Result sampled = Sampler.sample(config, selection.listeners(), unixReader, tcpReader, session,
                    unix == null ? config.source() : again(unix, config),
                    tcp == null ? config.source() : again(tcp, config), unixNames, ports, deadline);
            selection = new Selection(sampled.listeners(), selection.missing(), selection.named());
            sampling = sampled.sampling();
        }
        return new Reading(host, timeMillis, unix, tcp, selection, blockedUnreadable, sampling, socketFiles);
    }

    /** The selectors' listeners: by name and port, and by holder for --process and --unit. */
    private static Selection select(CheckConfig config, List<Listener> listeners, OwnerLookup owners)
            throws KernelReadException {
        if (owners == null) {
            return Selection.of(config.sockets(), config.ports(), config.excluded(), listeners);
        }
        // Owner selectors alone select no whole host: only what their processes hold.
        Selection byName = config.sockets().isEmpty() && config.ports().isEmpty()
                ? new Selection(List.of(), List.of(), Set.of())
                : Selection.of(config.sockets(), config.ports(), config.excluded(), listeners);
        return owners.select(byName, listeners);
    }

    /**
     * --process and --unit: which listeners the processes of those names and units hold, from
     * /proc/PID/fd, looked up once per listener; for --unit also the TCP listeners with no visible
     * holder whose socket was created in the unit's cgroup (INET_DIAG_CGROUP_ID). Unprivileged,
     * another user's processes cannot be seen, so a selector that matched nothing is not called
     * missing but unknown; a look that did not reach every process in time is unknown too.
     */
    private final class OwnerLookup {
        private final CheckConfig config;
        private final long deadlineNanos;
        private final Map<Long, List<SocketHolders.Holder>> held = new HashMap<>();
        private final Set<Long> looked = new HashSet<>();
        /** The cgroup path of each TCP listener without a visible holder, for --unit. */
        private final Map<Long, String> createdIn = new HashMap<>();
        private int hidden;

        OwnerLookup(CheckConfig config, long startNanos) {
            this.config = config;
            this.deadlineNanos = startNanos + (config.timeoutSeconds() * 1000L - 1000) * 1_000_000L;
        }

        Selection select(Selection byName, List<Listener> listeners) throws KernelReadException {
            Set<Long> wanted = new HashSet<>();
            for (Listener listener : listeners) {
                if (!looked.contains(listener.inode())) {
                    wanted.add(listener.inode());
                }
            }
            if (!wanted.isEmpty()) {
                SocketHolders.Found found = proc.socketHolders(wanted, deadlineNanos);
                if (found.unscanned() > 0) {
                    throw new KernelReadException("--process/--unit: " + found.unscanned() + " processes were not "
                            + "looked at within -t; raise -t (-t/--timeout)");
                }
                held.putAll(found.byInode());
                looked.addAll(wanted);
                hidden = found.unreadable();
                if (!config.units().isEmpty()) {
                    addCreatedIn(listeners, wanted);
                }
            }
            List<Listener> owned = new ArrayList<>();
            List<String> unmatched = new ArrayList<>();
            for (String process : config.processes()) {
                if (!addHeld(listeners, false, process, owned)) {
                    unmatched.add("--process " + process);
                }
            }
            for (String unit : config.units()) {
                if (!addHeld(listeners, true, unit, owned)) {
                    unmatched.add("--unit " + unit);
                }
            }
            if (!unmatched.isEmpty() && hidden > 0) {
                throw new KernelReadException(unmatched.get(0) + " holds no listener this user can see: " + hidden
                        + " processes' descriptors are another user's; run the check as root to select by owner");
            }
            return byName.withOwned(owned, unmatched, config.excluded(), listeners);
        }

        private void addCreatedIn(List<Listener> listeners, Set<Long> wanted) {
            Map<Long, Long> cgroupByInode = new HashMap<>();
            for (Listener listener : listeners) {
                if (listener instanceof TcpListener tcp && tcp.cgroupId() != 0 && wanted.contains(tcp.inode())
                        && !held.containsKey(tcp.inode())) {
                    cgroupByInode.put(tcp.inode(), tcp.cgroupId());
                }
            }
            createdIn.putAll(cgroupPaths(cgroupByInode, deadlineNanos));
        }

        /**
         * Adds to {@code owned} the listeners a process of this command name ({@code unit} false) or
         * of this systemd unit holds; whether there was any.
         */
        private boolean addHeld(List<Listener> listeners, boolean unit, String name, List<Listener> owned) {
            boolean any = false;
            for (Listener listener : listeners) {
                String cgroup = unit ? createdIn.get(listener.inode()) : null;
                if (cgroup != null && CgroupOwner.inUnitPath(cgroup, name)) {
                    owned.add(listener);
                    any = true;
                    continue;
                }
                for (SocketHolders.Holder holder : held.getOrDefault(listener.inode(), List.of())) {
                    if (unit ? CgroupOwner.inUnit(holder.cgroup(), name) : sameCommand(holder.command(), name)) {
                        owned.add(listener);
                        any = true;
                        break;
                    }
                }
            }
            return any;
        }
    }

    /** The kernel keeps 15 characters of a command name (TASK_COMM_LEN): a longer one matches on those. */
    private static boolean sameCommand(String comm, String wanted) {
        return comm.equals(wanted.length() > 15 ? wanted.substring(0, 15) : wanted);
    }

    /**
     * The -s paths that matched no listener but are socket files, with the files' (device, inode):
     * a service that died and left its file, or one bound to it under another path or in another
     * network namespace. Looked at only for what is missing, so it costs nothing otherwise.
     */
    private static Map<String, long[]> socketFiles(CheckConfig config, Selection selection) {
        Map<String, long[]> files = new LinkedHashMap<>();
        for (Glob glob : config.sockets()) {
            String path = glob.pattern();
            if (glob.isLiteral() && path.startsWith("/") && path.indexOf('\\') < 0
                    && selection.missing().contains(path)) {
                try {
                    Map<String, Object> stat = Files.readAttributes(Path.of(path), "unix:mode,dev,ino");
                    if ((((Number) stat.get("mode")).intValue() & S_IFMT) == S_IFSOCK) {
                        files.put(path, new long[] {((Number) stat.get("dev")).longValue(),
                            ((Number) stat.get("ino")).longValue()});
                    }
                } catch (IOException | RuntimeException e) {
                    // No such file, or not one this user may look at: nothing to add.
                }
            }
        }
        return files;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /**
     * --netns, --netns-pid, --all-netns: each namespace read as if the check ran in it (its own
     * somaxconn and counters with its sockets), the check's own on this thread, the others one after
     * another on one thread that enters each in turn and ends with the last, so that no thread of
     * the process is left in a namespace it did not start in.
     */
    private CheckResult runAcrossNamespaces(CheckConfig config, long startNanos) throws KernelReadException {
        if (door == null || finder == null) {
            throw new KernelReadException("this check cannot enter other network namespaces");
        }
        long euid;
        try {
            euid = proc.effectiveUid();
        } catch (ProcFileException e) {
            throw new KernelReadException(e.getMessage(), e);
        }
        if (euid != 0) {
            // Unprivileged, other processes' namespace links cannot even be read, so --all-netns would
            // find only what happens to be readable: refuse, rather than answer for part of the host.
            throw new KernelReadException("reading other network namespaces needs root (to enter them, and to find "
                    + "other users' processes' namespaces); this check runs as uid " + euid + ": run it as root, "
                    + "e.g. through a sudo rule for a fixed wrapper (see the user guide, \"Containers\")");
        }
        NetworkNamespaceFinder.Found found = finder.find(config.netns(), config.netnsPids(), config.allNetns());
        List<Evaluation.NamespacePart> parts = new ArrayList<>();
        List<String[]> unresolved = new ArrayList<>();
        for (String why : found.unresolved()) {
            int colon = why.indexOf(": ");
            unresolved.add(new String[] {why.substring(0, colon), why.substring(colon + 2)});
        }
        HostFigures ownHost = HostFiguresReader.read(proc, config.cpus(), config.wantsTcp());
        List<NetworkNamespace> others = new ArrayList<>();
        for (NetworkNamespace namespace : found.namespaces()) {
            if (namespace.own()) {
                try (SockDiagSession session = new SockDiagSession(opener)) {
                    parts.add(new Evaluation.NamespacePart(null, evaluate(config, read(config, startNanos, session),
                            null)));
                }
            } else {
                others.add(namespace);
            }
        }
        if (!others.isEmpty()) {
            NamespaceReader reader = new NamespaceReader(config, startNanos, others);
            reader.runOnItsThread(config.timeoutSeconds() * 1000L);
            if (reader.failure != null) {
                throw reader.failure;
            }
            for (int i = 0; i < others.size(); i++) {
                NetworkNamespace namespace = others.get(i);
                if (reader.readings[i] != null) {
                    parts.add(new Evaluation.NamespacePart(namespace.name(), evaluate(config, reader.readings[i], null)));
                } else if (!config.allNetns()) {
                    // Named by --netns or --netns-pid, it was asked for: its end is reported. Found by
                    // --all-netns, it is simply no longer there.
                    unresolved.add(new String[] {namespace.name(), "it ended during the check"});
                }
            }
        }
        return Evaluation.acrossNamespaces(config, parts, ownHost, unresolved, found.leftOut());
    }

    /** Reads each namespace in turn on a thread of its own, which enters them one after the other. */
    private final class NamespaceReader implements Runnable {
        private final CheckConfig config;
        private final long startNanos;
        private final List<NetworkNamespace> namespaces;
        final Reading[] readings;
        volatile KernelReadException failure;

        NamespaceReader(CheckConfig config, long startNanos, List<NetworkNamespace> namespaces) {
            this.config = config;
            this.startNanos = startNanos;
            this.namespaces = namespaces;
            this.readings = new Reading[namespaces.size()];
        }

        void runOnItsThread(long timeoutMillis) throws KernelReadException {
            Thread thread = new Thread(this, "netns reader");
            thread.setDaemon(true);
            thread.start();
            try {
                thread.join(Math.max(1, timeoutMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelReadException("interrupted while reading other network namespaces", e);
            }
            if (thread.isAlive()) {
                throw new KernelReadException("reading the other network namespaces took longer than -t");
            }
        }

        private String threadNamespace() {
            try {
                return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        @Override
        public void run() {
            // The readers of another namespace: /proc/thread-self/net and a netlink socket made here.
            SocketBacklogCheck inside = new SocketBacklogCheck(proc.forThisThread(), opener);
            for (int i = 0; i < namespaces.size(); i++) {
                NetworkNamespace namespace = namespaces.get(i);
                try {
                    door.enter(namespace.file());
                    // A PID found earlier may since belong to another process, in another namespace:
                    // read only the namespace that was found.
                    if (!namespace.link().equals(threadNamespace())) {
                        throw new NamespaceDoor.EntryRefused(NamespaceDoor.Refusal.VANISHED, namespace.file()
                                + " is another network namespace now");
                    }
                } catch (NamespaceDoor.EntryRefused e) {
                    if (e.refusal() == NamespaceDoor.Refusal.VANISHED) {
                        continue; // ended since it was found: nothing listens there any more
                    }
                    failure = new KernelReadException(e.refusal() == NamespaceDoor.Refusal.DENIED
                            ? "entering the network namespace " + namespace.name() + " (" + namespace.file()
                                    + ") needs root (CAP_SYS_ADMIN): run the check as root, e.g. through a sudo rule "
                                    + "(see the user guide, \"Containers\")"
                            : e.getMessage());
                    return;
                }
                try (SockDiagSession session = new SockDiagSession(opener)) {
                    readings[i] = inside.read(config, startNanos, session);
                } catch (KernelReadException e) {
                    failure = new KernelReadException("in the network namespace " + namespace.name() + ": "
                            + e.getMessage(), e);
                    return;
                } catch (RuntimeException e) {
                    failure = new KernelReadException("in the network namespace " + namespace.name() + ": " + e, e);
                    return;
                }
            }
        }
    }

    private static List<String> texts(List<Glob> globs) {
        List<String> texts = new ArrayList<>(globs.size());
        for (Glob glob : globs) {
            texts.add(glob.pattern());
        }
        return texts;
    }

    private static List<String> portTexts(List<PortSelector> ports) {
        List<String> texts = new ArrayList<>(ports.size());
        for (PortSelector port : ports) {
            texts.add(port.text());
        }
        return texts;
    }

    private static List<String> excludedTexts(CheckConfig config) {
        List<String> texts = new ArrayList<>(texts(config.excluded().sockets()));
        texts.addAll(portTexts(config.excluded().ports()));
        return texts;
    }

    /** Once sock_diag has been refused, do not ask it again. */
    private static SourcePreference again(ListenerSnapshot<?> first, CheckConfig config) {
        return first.source() == Source.PROC ? SourcePreference.PROC : config.source();
    }

    private static List<Listener> listeners(ListenerSnapshot<UnixListener> unix, ListenerSnapshot<TcpListener> tcp) {
        List<Listener> listeners = new ArrayList<>();
        if (unix != null) {
            listeners.addAll(unix.listeners());
        }
        if (tcp != null) {
            listeners.addAll(tcp.listeners());
        }
        return listeners;
    }

    /** The listeners of both reads, each inode once (the first read's figures win). */
    private static <L extends Listener> ListenerSnapshot<L> union(ListenerSnapshot<L> first, ListenerSnapshot<L> second) {
        List<L> listeners = new ArrayList<>(first.listeners());
        Set<Long> inodes = new HashSet<>();
        for (L listener : listeners) {
            inodes.add(listener.inode());
        }
        for (L listener : second.listeners()) {
            if (inodes.add(listener.inode())) {
                listeners.add(listener);
            }
        }
        return new ListenerSnapshot<>(listeners, first.source(), first.fallbackReason());
    }

    /**
     * The TCP listeners of both reads, with each SYN-RECV pool's figures from one read: a pool's
     * count was made for its members in that read, so a pool with a listener new in the second
     * read is taken from the second read whole, and the first read's pools it meets are left out.
     */
    static ListenerSnapshot<TcpListener> unionTcp(ListenerSnapshot<TcpListener> first,
            ListenerSnapshot<TcpListener> second) {
        Set<Long> firstInodes = new HashSet<>();
        for (TcpListener listener : first.listeners()) {
            firstInodes.add(listener.inode());
        }
        Set<Long> poolsTaken = new HashSet<>();
        for (TcpListener listener : second.listeners()) {
            if (!firstInodes.contains(listener.inode())) {
                poolsTaken.add(listener.synRecv().pool());
            }
        }
        if (poolsTaken.isEmpty()) {
            return first;
        }
        List<TcpListener> taken = new ArrayList<>();
        Set<Long> takenInodes = new HashSet<>();
        for (TcpListener listener : second.listeners()) {
            if (poolsTaken.contains(listener.synRecv().pool())) {
                taken.add(listener);
                takenInodes.add(listener.inode());
            }
        }
        Set<Long> firstPoolsMet = new HashSet<>();
        for (TcpListener listener : first.listeners()) {
            if (takenInodes.contains(listener.inode())) {
                firstPoolsMet.add(listener.synRecv().pool());
            }
        }
        List<TcpListener> listeners = new ArrayList<>();
        for (TcpListener listener : first.listeners()) {
            if (!firstPoolsMet.contains(listener.synRecv().pool())) {
                listeners.add(listener);
            }
        }
        listeners.addAll(taken);
        return new ListenerSnapshot<>(listeners, first.source(), first.fallbackReason());
    }

    /** The snapshot with the given listeners in place of those of the same inode. */
    private static ListenerSnapshot<UnixListener> replace(ListenerSnapshot<UnixListener> snapshot,
            List<UnixListener> updated) {
        Map<Long, UnixListener> byInode = new HashMap<>();
        for (UnixListener listener : updated) {
            byInode.put(listener.inode(), listener);
        }
        List<UnixListener> listeners = new ArrayList<>(snapshot.listeners().size());
        for (UnixListener listener : snapshot.listeners()) {
            UnixListener replacement = byInode.get(listener.inode());
            listeners.add(replacement != null ? replacement : listener);
        }
        return new ListenerSnapshot<>(listeners, snapshot.source(), snapshot.fallbackReason());
    }
}
