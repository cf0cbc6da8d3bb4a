package org.checksocketbacklog.netlink;


/**
 * A conversation with NETLINK_SOCK_DIAG: any number of dumps, one after the other on one socket,
 * each with its own sequence number. A dump the kernel flags NLM_F_DUMP_INTR ("the table changed
 * under it"; sock_diag has not been seen to) is run again, at most {@link #MAX_ATTEMPTS} times in
 * all, each time on a fresh socket: the kernel refuses a new dump (EBUSY) while an abandoned one
 * still runs on the old one.
 */
public final class SockDiagSession implements AutoCloseable {
    static final int MAX_ATTEMPTS = 3;

    private final NetlinkTransport.Opener opener;
    private NetlinkTransport transport;
    private int sequence = (int) System.nanoTime() & 0x7fffffff;

    public SockDiagSession(NetlinkTransport.Opener opener) {
        this.opener = opener;
    }

    /** The SOCK_DIAG_BY_FAMILY messages of one dump of {@code familyRequest} (a unix_diag_req or inet_diag_req_v2). */
    public DumpRecords dump(byte[] familyRequest) throws NetlinkException {
        for (int attempt = 1; ; attempt++) {
            if (transport == null) {
                transport = opener.open();
            }
            try {
                return SockDiagDump.run(transport, nextSequence(), familyRequest);
            } catch (DumpInterruptedException e) {
                transport.close();
                transport = null;
                if (attempt == MAX_ATTEMPTS) {
                    throw new NetlinkException("the kernel marked the socket dump as interrupted (NLM_F_DUMP_INTR) "
                            + MAX_ATTEMPTS + " times in a row");
                }
            }
        }
    }

    /**
     * The cookie of the network namespace this session's socket lives in, 0 when the kernel has
     * none (before Linux 5.14) or no netlink socket can be opened.
     */
    public long namespaceCookie() {
        try {
            if (transport == null) {
                transport = opener.open();
            }
        } catch (NetlinkException e) {
            return 0;
        }
        return transport.namespaceCookie();
    }

    private int nextSequence() {
        sequence = sequence == Integer.MAX_VALUE ? 1 : sequence + 1;
        return sequence;
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }
}
