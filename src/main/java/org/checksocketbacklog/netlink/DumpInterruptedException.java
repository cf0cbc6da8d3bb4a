package org.checksocketbacklog.netlink;

/** The kernel flagged a dump message NLM_F_DUMP_INTR; {@link SockDiagSession} dumps again. */
final class DumpInterruptedException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    DumpInterruptedException() {
        super("the kernel marked the socket dump as interrupted (NLM_F_DUMP_INTR)");
    }
}
