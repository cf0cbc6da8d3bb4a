package org.checksocketbacklog.kernel;

/** Where the listener figures came from; the output names it. */
public enum Source {
    /** Netlink sock_diag, as ss reads it: queue lengths and backlogs. */
    SOCK_DIAG,
    /** The /proc/net text tables: pending counts, but no backlogs. */
    PROC
}
