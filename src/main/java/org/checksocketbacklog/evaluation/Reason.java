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

    /**
     * No usage: the socket basis needs the backlog, which the source (/proc) does not show, or
     * somaxconn is 0, so the documents' basis is 0.
     *
     * @param somaxconnZero somaxconn is 0, rather than the backlog unknown
     */
    record CapacityUnknown(boolean somaxconnZero) implements Reason {
        @Override
        public Status state() {
            return Status.UNKNOWN;
        }
    }

    /**
     * The queue is full, so clients may be blocked in connect(), but they could not be counted:
     * /proc/net/unix, the only place that shows them, could not be read. The full queue's own
     * verdict stands.
     *
     * @param why the reading's failure, in words
     */
    record BlockedNotCounted(String why) implements Reason {
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
