package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.ProcFiles;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.kernel.UnixListenerReader;
import org.checksocketbacklog.kernel.UnixSource;

/**
 * One check, configuration to result: host limits, the listeners, the selection, the verdict.
 * The kernel is reached only through {@link ProcFiles} and the reader's transport, which tests replace.
 */
public final class SocketBacklogCheck {
    /**
     * Extra dumps before a selected socket is called missing: a unix dump is not a snapshot, and under
     * heavy socket churn was seen to skip a listener that existed the whole time (3 in 2,400 dumps).
     */
    static final int EXTRA_READS_FOR_MISSING = 2;

    private final ProcFiles proc;
    private final UnixListenerReader reader;

    public SocketBacklogCheck(ProcFiles proc, UnixListenerReader.TransportOpener opener) {
        this.proc = proc;
        this.reader = new UnixListenerReader(proc, opener);
    }

    public CheckResult run(CheckConfig config) throws KernelReadException {
        HostLimits limits = hostLimits(config);
        ListenerSnapshot snapshot = reader.read(config.source());
        Selection selection = Selection.of(config.sockets(), snapshot.listeners());
        // Once sock_diag has been refused, do not ask it again.
        SourcePreference again = snapshot.source() == UnixSource.PROC_NET_UNIX ? SourcePreference.PROC : config.source();
        for (int read = 0; read < EXTRA_READS_FOR_MISSING && !selection.unmatched().isEmpty(); read++) {
            snapshot = union(snapshot, reader.read(again));
            selection = Selection.of(config.sockets(), snapshot.listeners());
        }
        return Evaluation.evaluate(config, limits, snapshot, selection);
    }

    private HostLimits hostLimits(CheckConfig config) throws KernelReadException {
        int somaxconn = proc.somaxconn();
        String somaxconnSource = proc.somaxconnPath().toString();
        if (config.cpus() != null) {
            return new HostLimits(somaxconn, somaxconnSource, config.cpus(), "--cpus");
        }
        return new HostLimits(somaxconn, somaxconnSource, proc.cpuinfoProcessors(),
                proc.cpuinfoPath() + " (processor lines)");
    }

    /** The listeners of both reads, each inode once (the first read's figures win). */
    private static ListenerSnapshot union(ListenerSnapshot first, ListenerSnapshot second) {
        List<Listener> listeners = new ArrayList<>(first.listeners());
        Set<Long> inodes = new HashSet<>();
        for (Listener listener : listeners) {
            inodes.add(listener.inode());
        }
        for (Listener listener : second.listeners()) {
            if (inodes.add(listener.inode())) {
                listeners.add(listener);
            }
        }
        return new ListenerSnapshot(listeners, first.source(), first.fallbackReason());
    }
}
