package org.checksocketbacklog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.kernel.IpAddresses;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.TcpEndpoint;
import org.checksocketbacklog.kernel.TcpListener;
import org.junit.jupiter.api.Test;

/**
 * The union of two TCP reads (made when a selector was missing in the first): each SYN-RECV pool's
 * figures from one read. Before, pools were numbered per read, and the union merged a pool of the
 * second read with an unrelated one of the first that had the same number.
 */
class TcpReadUnionTest {
    private static TcpListener listener(int port, long inode, long synRecv, int sharedBy, long pool) {
        return new TcpListener(TcpEndpoint.of(IpAddresses.parse("0.0.0.0"), port, false, 0), inode, 0,
                OptionalLong.of(8), new TcpListener.SynRecv(synRecv, sharedBy, pool), 0);
    }

    private static ListenerSnapshot<TcpListener> read(TcpListener... listeners) {
        return new ListenerSnapshot<>(List.of(listeners), Source.SOCK_DIAG, null);
    }

    private static List<String> describe(ListenerSnapshot<TcpListener> snapshot) {
        return snapshot.listeners().stream().map(l -> l.inode() + ":" + l.synRecv().count() + "/"
                + l.synRecv().sharedBy() + "@" + l.synRecv().pool()).sorted().toList();
    }

    @Test
    void aPoolWithANewListenerIsTakenWholeFromTheSecondRead() {
        // First read: 11 alone (3 requests). Second: 11 and 12 are one SO_REUSEPORT group (5 requests).
        ListenerSnapshot<TcpListener> union = SocketBacklogCheck.unionTcp(read(listener(8091, 11, 3, 1, 11)),
                read(listener(8091, 11, 5, 2, 11), listener(8091, 12, 5, 2, 11)));
        assertEquals(List.of("11:5/2@11", "12:5/2@11"), describe(union));
    }

    @Test
    void unrelatedPoolsOfBothReadsStayApart() {
        // 8091's pair in the first read; 8090's pair is new in the second.
        ListenerSnapshot<TcpListener> union = SocketBacklogCheck.unionTcp(
                read(listener(8091, 21, 3, 2, 21), listener(8091, 22, 3, 2, 21)),
                read(listener(8091, 21, 4, 2, 21), listener(8091, 22, 4, 2, 21), listener(8090, 31, 2, 2, 31),
                        listener(8090, 32, 2, 2, 31)));
        assertEquals(List.of("21:3/2@21", "22:3/2@21", "31:2/2@31", "32:2/2@31"), describe(union),
                "the first read's pool as it was read, the new one as the second read has it");
    }

    @Test
    void nothingNewKeepsTheFirstRead() {
        ListenerSnapshot<TcpListener> first = read(listener(80, 1, 1, 1, 1));
        assertEquals(first, SocketBacklogCheck.unionTcp(first, read(listener(80, 1, 9, 1, 1))));
    }
}
