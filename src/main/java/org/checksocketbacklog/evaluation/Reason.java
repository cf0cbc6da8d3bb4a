package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/** Why a socket has the state it has, or what is worth knowing about its figures: data until the report words it. */
public sealed interface Reason {
    /** The state this reason gives the socket; OK for a remark. */
    Status state();

    /** A metric broke a threshold. */
    record Breached(Metric metric) implements Reason {
        @Override
        public Status state() {
            return metric.state();
        }
    }

    /**
     * The queue holds backlog + 1, the most it can: new clients are refused or wait now.
     *
     * @param state the --full-state
     */
    record QueueFull(long pending, long capacity, Status state) implements Reason {
    }

    /** The socket basis needs the backlog, which the source (/proc) does not show: no usage. */
    record CapacityUnknown() implements Reason {
        @Override
        public Status state() {
            return Status.UNKNOWN;
        }
    }

    /**
     * Lines of /proc/net/unix beyond the one the kernel prints claimed this socket: a socket name
     * with a newline forged them. The worst of the lines was used.
     *
     * @param extraLines how many forged lines
     * @param trusted    whether sock_diag vouched for the socket itself (then only the blocked count
     *                   came from the file, and the worst of it is safe); with /proc alone, nothing is
     *                   known for sure and the state is UNKNOWN at least
     */
    record ForgedLines(int extraLines, boolean trusted) implements Reason {
        @Override
        public Status state() {
            return trusted ? Status.OK : Status.UNKNOWN;
        }
    }
}
