package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/**
 * A misconfiguration the figures show, with what to change: not a threshold broken, but a reason
 * a queue will fill sooner than it needs to. Its state is OK (a line of the long output) unless
 * the operator asks for one (--findings-state).
 *
 * @param kind    what was found
 * @param subject the socket (or namespace) it is about, as the output names it
 * @param value   the figure at fault: the backlog, the namespace's somaxconn, a full member's queue
 * @param limit   what it is compared with: somaxconn, the queued connections, the host's somaxconn,
 *                the group's members
 * @param state   OK, or the --findings-state
 */
public record Finding(Kind kind, String subject, long value, long limit, Status state) implements Item {
    public enum Kind {
        /** The backlog equals net.core.somaxconn: the service probably asked for more and was capped. */
        BACKLOG_AT_SOMAXCONN,
        /** A backlog of a few connections on a listener that has connections queued. */
        SMALL_BACKLOG,
        /** A network namespace whose somaxconn is a quarter of the host's or less. */
        LOW_NAMESPACE_SOMAXCONN,
        /** A SO_REUSEPORT group with a member's queue full while another member's is empty. */
        UNEVEN_REUSEPORT_GROUP
    }

    /** At most this backlog is "small" for a listener with queued connections. */
    static final long SMALL_BACKLOG = 16;

    Finding in(String namespace) {
        return new Finding(kind, subject + " in netns " + namespace, value, limit, state);
    }
}
