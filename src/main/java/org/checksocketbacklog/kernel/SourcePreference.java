package org.checksocketbacklog.kernel;

/** Which source the operator asked for (--source). */
public enum SourcePreference {
    /** sock_diag, falling back to /proc when the kernel or a policy refuses it. */
    AUTO,
    /** sock_diag only: a refusal is an UNKNOWN, not a fallback. */
    SOCK_DIAG,
    /** /proc/net/unix only: no netlink, no native code. */
    PROC
}
