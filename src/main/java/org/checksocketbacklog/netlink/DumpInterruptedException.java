package org.checksocketbacklog.netlink;

/** The kernel flagged a dump message NLM_F_DUMP_INTR: the table changed under it, so dump again. */
public final class DumpInterruptedException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    public DumpInterruptedException() {
        super("the kernel marked the socket dump as interrupted (NLM_F_DUMP_INTR) on every try");
    }
}
