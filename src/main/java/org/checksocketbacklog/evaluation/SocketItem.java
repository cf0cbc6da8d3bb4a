package org.checksocketbacklog.evaluation;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.plugin.Status;

/**
 * One line of the result: a selected listener, or a SO_REUSEPORT group's shared SYN-RECV count,
 * measured and judged.
 *
 * @param name     the socket's name as the operator writes it (raw: the report sanitizes it)
 * @param kind     "unix stream", "unix seqpacket", "tcp4" or "tcp6"
 * @param shape    what the item stands for
 * @param inodes   the socket's inode, or the inodes of the listeners it stands for
 * @param backlog  the effective listen() backlog, when known (a listener's own)
 * @param capacity what usage is measured against, when known
 * @param metrics  in perfdata order: pending, usage (when the capacity is known), then blocked or
 *                 syn-recv
 * @param reasons  why its state is what it is, in the order the report gives them; remarks too
 * @param named    the operator named it (a path without wildcards, a -p port) rather than a glob or
 *                 a whole-host scan found it: when the output must be cut, its perfdata is kept first
 * @param cgroupId the cgroup v2 id a TCP listener's socket was created in, which names its service
 *                 where its holder cannot be seen; 0 when not known and for other items
 */
public record SocketItem(String name, String kind, Shape shape, long[] inodes, OptionalLong backlog,
        OptionalLong capacity, List<Metric> metrics, List<Reason> reasons, boolean named,
        long cgroupId) implements Item {
    public enum Shape {
        /** One listener. */
        LISTENER,
        /** Listeners of one name that /proc/net/unix cannot tell apart, counted as one. */
        SAME_NAME,
        /** The listeners of one SO_REUSEPORT group, for the SYN-RECV count they share. */
        REUSEPORT_GROUP,
        /** Listeners of one address and port that differ in their device, for the SYN-RECV count they share. */
        SYN_RECV_POOL
    }

    // Indexed loops here and in metric(): these run for every socket several times a check, and
    // the JIT the launcher keeps (C1) allocates an iterator for every for-each.
    @Override
    public Status state() {
        Status state = Status.OK;
        for (int i = 0; i < reasons.size(); i++) {
            state = state.worse(reasons.get(i).state());
        }
        return state;
    }

    /** The metric of this name, or null when the item has none. */
    public Metric metric(String metricName) {
        for (int i = 0; i < metrics.size(); i++) {
            if (metrics.get(i).name().equals(metricName)) {
                return metrics.get(i);
            }
        }
        return null;
    }
}
