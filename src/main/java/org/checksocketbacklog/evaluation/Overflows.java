package org.checksocketbacklog.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checksocketbacklog.plugin.PerfLabel;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.state.CounterState;
import org.checksocketbacklog.state.PreviousState;

/**
 * How much the network namespace's TcpExt overflow counters grew since the previous run of this
 * check (with --state-dir or MP_STATE_PATH), judged: the overflows that happened between two polls,
 * which a look at the queues now cannot see.
 *
 * <p>"Overflows" are the times the kernel dropped a handshake because a queue was full:
 * ListenOverflows (the final ACK, accept queue full) plus TCPReqQFullDrop (the SYN, SYN queue full
 * and no cookies). The counters count packets, so a client that retries is counted at each try.
 *
 * @param unavailable   why the state could not be used (a directory that is not safe, a full disk, a
 *                      lock held too long, ...), or null: the overflows are then unknown, UNKNOWN,
 *                      and the sockets' own states still count (a full queue stays CRITICAL)
 * @param baseline      why this run only sets the baseline (first run, reboot, reset, ...), or null
 *                      when the deltas were measured
 * @param elapsedMillis time since the previous run; -1 for a baseline, or when the previous run is
 *                      dated in the future (the clock went back): the deltas hold, the rate is left out
 * @param deltas        each counter's growth since then, in the kernel's order; empty for a baseline
 * @param overflows     the overflows judged against --overflow-warning/-critical; null for a baseline
 * @param metrics       everything for perfdata: overflows, overflows per minute (when the runs were a
 *                      second apart or more), each counter's delta
 * @param likely        the TCP listeners that were full or nearly full in this run, when there were
 *                      overflows: the kernel does not say which listener dropped
 */
public record Overflows(String unavailable, String baseline, long elapsedMillis, Map<String, Long> deltas, Metric overflows,
        List<Metric> metrics, List<String> likely) implements Item {
    /** The counters whose sum is the overflows. */
    static final String[] DROPPED = {"ListenOverflows", "TCPReqQFullDrop"};
    private static final Thresholds NO_THRESHOLDS = new Thresholds(null, null);

    @Override
    public Status state() {
        if (unavailable != null) {
            return Status.UNKNOWN;
        }
        return overflows == null ? Status.OK : overflows.state();
    }

    /** Overflows that cannot be known in this run, and why. */
    static Overflows unavailable(String why) {
        return new Overflows(why, null, -1, Map.of(), null, List.of(), List.of());
    }

    /**
     * The comparison of this run's counters with the previous run's.
     *
     * @param likely the names of the listeners full or nearly full in this run (used when there
     *               were overflows)
     */
    static Overflows between(PreviousState previous, CounterState current, Thresholds thresholds, List<String> likely) {
        String baseline = baselineReason(previous, current);
        if (baseline != null) {
            return new Overflows(null, baseline, -1, Map.of(), null, List.of(), List.of());
        }
        CounterState before = previous.state();
        // Same boot, same namespace, no counter went back: the deltas are exact whatever the wall
        // clock did. A clock that went back only leaves the rate out.
        long elapsed = current.timeMillis() >= before.timeMillis() ? current.timeMillis() - before.timeMillis() : -1;
        Map<String, Long> deltas = new LinkedHashMap<>();
        for (Map.Entry<String, Long> counter : current.counters().entrySet()) {
            Long old = before.counters().get(counter.getKey());
            if (old != null) {
                deltas.put(counter.getKey(), counter.getValue() - old);
            }
        }
        long dropped = 0;
        for (String name : DROPPED) {
            dropped += deltas.getOrDefault(name, 0L);
        }
        PerfLabel.Name noSocket = null; // the namespace's, not a socket's: a label without ':'
        List<Metric> metrics = new ArrayList<>();
        Metric overflows = Metric.judged(noSocket, "overflows", "overflows", dropped, "", thresholds, 0.0, null);
        metrics.add(overflows);
        if (elapsed >= 1000) {
            metrics.add(Metric.judged(noSocket, "overflows_per_min", "overflows per minute",
                    dropped * 60_000.0 / elapsed, "", NO_THRESHOLDS, 0.0, null));
        }
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            metrics.add(Metric.judged(noSocket, delta.getKey() + "_delta", delta.getKey(), delta.getValue(), "",
                    NO_THRESHOLDS, 0.0, null));
        }
        return new Overflows(null, null, elapsed, deltas, overflows, metrics, dropped > 0 ? likely : List.of());
    }

    /** Why the counters cannot be compared with the previous run's, or null when they can. */
    private static String baselineReason(PreviousState previous, CounterState current) {
        if (previous.damage() != null) {
            return "the state file was damaged (" + previous.damage() + ") and is replaced";
        }
        CounterState before = previous.state();
        if (before == null) {
            return "first run with this state";
        }
        if (!before.bootId().equals(current.bootId())) {
            return "the host rebooted since the previous run";
        }
        if (!before.netns().equals(current.netns())) {
            return "the network namespace is not the previous run's (" + before.netns() + ")";
        }
        if (before.netnsCookie() != 0 && current.netnsCookie() != 0 && before.netnsCookie() != current.netnsCookie()) {
            return "the network namespace was made again since the previous run (the same inode, another namespace)";
        }
        for (Map.Entry<String, Long> counter : current.counters().entrySet()) {
            Long old = before.counters().get(counter.getKey());
            if (old != null && Long.compareUnsigned(counter.getValue(), old) < 0) {
                return counter.getKey() + " went back from " + Long.toUnsignedString(old) + " to "
                        + Long.toUnsignedString(counter.getValue()) + " (the namespace's counters were reset)";
            }
        }
        return null;
    }
}
