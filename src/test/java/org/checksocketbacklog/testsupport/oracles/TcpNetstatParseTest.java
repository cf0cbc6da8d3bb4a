package org.checksocketbacklog.testsupport.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The /proc/net/netstat reader: names looked up by name, not position. */
class TcpNetstatParseTest {

    @Test
    void readsTcpExtByNameAndIgnoresOtherGroups() {
        String text = ""
                + "TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPDeferAcceptDrop\n"
                + "TcpExt: 1 0 12 14 3\n"
                + "IpExt: InNoRoutes ListenOverflows\n"
                + "IpExt: 7 99\n";
        TcpNetstat.Snapshot s = TcpNetstat.parse(text);
        assertEquals(12, s.get(TcpNetstat.LISTEN_OVERFLOWS));
        assertEquals(14, s.get(TcpNetstat.LISTEN_DROPS));
        assertEquals(3, s.get(TcpNetstat.DEFER_ACCEPT_DROP));
        assertEquals(1, s.get(TcpNetstat.SYNCOOKIES_SENT));
        assertEquals(5, s.counters().size());
    }

    @Test
    void deltaBetweenSnapshots() {
        TcpNetstat.Snapshot before = TcpNetstat.parse("TcpExt: ListenOverflows ListenDrops\nTcpExt: 10 11\n");
        TcpNetstat.Snapshot after = TcpNetstat.parse("TcpExt: ListenDrops ListenOverflows\nTcpExt: 13 12\n");
        assertEquals(2, after.since(before, TcpNetstat.LISTEN_OVERFLOWS), "matched by name although reordered");
        assertEquals(2, after.since(before, TcpNetstat.LISTEN_DROPS));
    }

    @Test
    void unknownCounterIsAnErrorNotZero() {
        TcpNetstat.Snapshot s = TcpNetstat.parse("TcpExt: ListenOverflows\nTcpExt: 0\n");
        assertThrows(IllegalArgumentException.class, () -> s.get("ListenOverflow"));
    }

    @Test
    void rejectsMismatchedOrMissingLines() {
        assertThrows(IllegalArgumentException.class, () -> TcpNetstat.parse("TcpExt: A B\nTcpExt: 1\n"));
        assertThrows(IllegalArgumentException.class, () -> TcpNetstat.parse("TcpExt: A B\n"));
        assertThrows(IllegalArgumentException.class, () -> TcpNetstat.parse("IpExt: A\nIpExt: 1\n"));
    }

    @Test
    void liveKernelHasEveryCounterTheTestsUse() {
        TcpNetstat.Snapshot s = TcpNetstat.read();
        for (String name : List.of(TcpNetstat.LISTEN_OVERFLOWS, TcpNetstat.LISTEN_DROPS, TcpNetstat.REQ_Q_FULL_DROP,
                TcpNetstat.REQ_Q_FULL_DO_COOKIES, TcpNetstat.SYNCOOKIES_SENT, TcpNetstat.DEFER_ACCEPT_DROP)) {
            assertTrue(s.counters().containsKey(name), name);
        }
    }
}
