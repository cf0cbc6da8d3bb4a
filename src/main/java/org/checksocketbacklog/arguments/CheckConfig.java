package org.checksocketbacklog.arguments;

import java.util.List;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.selection.Glob;
import org.checksocketbacklog.selection.PortSelector;
import org.checksocketbacklog.selection.Selection;

/**
 * Everything the command line decided, built once and then only read.
 *
 * @param sockets        the -s selectors (AF_UNIX names and globs)
 * @param ports          the -p selectors (TCP); with neither, every listener on the host
 * @param excluded       the --exclude selectors: listeners left out of what the others select
 * @param basis          what usage is a percentage of
 * @param usage          -w/-c, on the usage percentage
 * @param pending        thresholds on the pending count, for operators who think in connections
 * @param blocked        thresholds on clients blocked in connect() (AF_UNIX)
 * @param synRecv        thresholds on handshakes in progress (TCP SYN-RECV)
 * @param missingState   the state of a selector that matches no listener
 * @param fullState      the state of a socket whose queue is full (pending = backlog + 1: new clients are
 *                       refused or wait now), whatever the usage thresholds say
 * @param cpus           the CPU count to use, or null to count /proc/cpuinfo's processors
 * @param source         where to read the listeners
 * @param timeoutSeconds after this the check ends in UNKNOWN, whatever it was doing
 * @param verbosity      0 to 3
 * @param quiet          print nothing when the result is OK (for cron, which mails any output); the exit
 *                       code is the same
 * @param maxOutput      the most bytes the output may have (--max-output), 0 for no limit
 * @param stateDirectory where counters are kept between runs (--state-dir, else MP_STATE_PATH), or
 *                       null: no state, no deltas
 * @param overflows      thresholds on the handshakes dropped on full queues since the previous run
 * @param samples        how many times the queues are looked at within this check (--samples)
 * @param sampleIntervalMillis the pause between two looks
 * @param commandLine    the arguments as given: with the network namespace, what names this check's state
 * @param netns          --netns values: names under /run/netns or namespace files, as given
 * @param netnsPids      --netns-pid values
 * @param allNetns       --all-netns: every network namespace of the host
 * @param findingsState  the state of a misconfiguration found (--findings-state), or null: a line only
 * @param processes      --process: command names whose listeners are selected (as ps -o comm shows them)
 * @param units          --unit: systemd units (or container scopes) whose listeners are selected
 */
public record CheckConfig(
        List<Glob> sockets,
        List<PortSelector> ports,
        Selection.Exclusions excluded,
        Basis basis,
        Thresholds usage,
        Thresholds pending,
        Thresholds blocked,
        Thresholds synRecv,
        Status missingState,
        Status fullState,
        Integer cpus,
        SourcePreference source,
        int timeoutSeconds,
        int verbosity,
        boolean quiet,
        int maxOutput,
        String stateDirectory,
        Thresholds overflows,
        int samples,
        int sampleIntervalMillis,
        List<String> commandLine,
        List<String> netns,
        List<Long> netnsPids,
        boolean allNetns,
        Status findingsState,
        List<String> processes,
        List<String> units) {
    /** Whether listeners are also selected by who holds them (--process, --unit). */
    public boolean ownerSelectors() {
        return !processes.isEmpty() || !units.isEmpty();
    }

    /** Whether any namespace but the check's own is to be read (--netns, --netns-pid, --all-netns). */
    public boolean otherNamespaces() {
        return !netns.isEmpty() || !netnsPids.isEmpty() || allNetns;
    }

    /** AF_UNIX listeners are read when -s selects some, or when nothing is selected. */
    public boolean wantsUnix() {
        return !sockets.isEmpty() || ports.isEmpty() || !processes.isEmpty() || !units.isEmpty();
    }

    /** TCP listeners are read when -p selects some, or when nothing is selected. */
    public boolean wantsTcp() {
        return !ports.isEmpty() || sockets.isEmpty() || !processes.isEmpty() || !units.isEmpty();
    }
}
