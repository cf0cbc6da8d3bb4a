package org.checksocketbacklog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Evaluation;
import org.checksocketbacklog.kernel.HostFigures;
import org.checksocketbacklog.kernel.HostFiguresReader;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.TcpListenerReader;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixListenerReader;
import org.checksocketbacklog.kernel.UnixNameFilter;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.selection.PortSelector;
import org.checksocketbacklog.selection.Selection;

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
    private final UnixListenerReader unixReader;
    private final TcpListenerReader tcpReader;

    public SocketBacklogCheck(ProcFiles proc, NetlinkTransport.Opener opener) {
        this.proc = proc;
        this.unixReader = new UnixListenerReader(proc, opener);
        this.tcpReader = new TcpListenerReader(proc, opener);
    }

    public CheckResult run(CheckConfig config) throws KernelReadException {
        HostFigures host = HostFiguresReader.read(proc, config.cpus(), config.wantsTcp());
        List<Integer> ports = new ArrayList<>();
        for (PortSelector selector : config.ports()) {
            if (!ports.contains(selector.port())) {
                ports.add(selector.port());
            }
        }
        // Only the unix listeners a -s selector may match are built: checking one listener costs
        // the same on a host with thousands of them. Except with -vvv, which lists every listener
        // read, so that a selector that matches nothing can be compared with what is there.
        UnixNameFilter unixNames = config.verbosity() >= 3 ? UnixNameFilter.ALL : Selection.unixNames(config.sockets());
        ListenerSnapshot<UnixListener> unix = config.wantsUnix() ? unixReader.read(config.source(), unixNames) : null;
        ListenerSnapshot<TcpListener> tcp = config.wantsTcp() ? tcpReader.read(config.source(), ports) : null;
        Selection selection = Selection.of(config.sockets(), config.ports(), config.excluded(), listeners(unix, tcp));
        for (int read = 0; read < EXTRA_READS_FOR_MISSING && !selection.missing().isEmpty(); read++) {
            if (unix != null) {
                unix = union(unix, unixReader.read(again(unix, config), unixNames));
            }
            if (tcp != null) {
                tcp = unionTcp(tcp, tcpReader.read(again(tcp, config), ports));
            }
            selection = Selection.of(config.sockets(), config.ports(), config.excluded(), listeners(unix, tcp));
        }
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
                selection = Selection.of(config.sockets(), config.ports(), config.excluded(), listeners(unix, tcp));
            }
        }
        return Evaluation.evaluate(config, host, unix, tcp, selection, blockedUnreadable);
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
