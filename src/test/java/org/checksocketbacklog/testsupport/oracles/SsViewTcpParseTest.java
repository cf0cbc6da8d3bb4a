package org.checksocketbacklog.testsupport.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The TCP row parser of {@link SsView} on rows copied from ss 6.1 on Linux 6.18 (stdout not a
 * tty, {@code -H}); trailing padding kept as ss printed it.
 */
class SsViewTcpParseTest {

    @Test
    void listenRowsOfEveryAddressShape() {
        // ss -ltnHe with listeners on 127.0.0.1 (4 queued, backlog 3), 0.0.0.0, [::] dual-stack,
        // [::] v6only and ::1.
        String out = ""
                + "LISTEN 4      3      127.0.0.1:58457 0.0.0.0:* ino:240174 sk:15f9 cgroup:/ <->         \n"
                + "LISTEN 0      7        0.0.0.0:49049 0.0.0.0:* ino:240178 sk:15fb cgroup:/ <->         \n"
                + "LISTEN 1      5              *:37131       *:* ino:240176 sk:15fc cgroup:/ v6only:0 <->\n"
                + "LISTEN 0      5           [::]:43203    [::]:* ino:240177 sk:15fd cgroup:/ v6only:1 <->\n"
                + "LISTEN 0      2          [::1]:55355    [::]:* ino:240175 sk:15fe cgroup:/ v6only:1 <->\n";
        assertEquals(List.of(
                new SsView.TcpRow("LISTEN", 4, 3, "127.0.0.1", 58457, "0.0.0.0", "*", 240174, Optional.empty()),
                new SsView.TcpRow("LISTEN", 0, 7, "0.0.0.0", 49049, "0.0.0.0", "*", 240178, Optional.empty()),
                new SsView.TcpRow("LISTEN", 1, 5, "*", 37131, "*", "*", 240176, Optional.of(false)),
                new SsView.TcpRow("LISTEN", 0, 5, "[::]", 43203, "[::]", "*", 240177, Optional.of(true)),
                new SsView.TcpRow("LISTEN", 0, 2, "[::1]", 55355, "[::]", "*", 240175, Optional.of(true))),
                SsView.parseTcp(out, null));
        SsView.TcpRow first = SsView.parseTcp(out, null).get(0);
        assertEquals(4, first.queued());
        assertEquals(3, first.backlog());
        assertEquals("127.0.0.1:58457", first.local());
    }

    @Test
    void withoutDashEThereIsNoInode() {
        String out = "LISTEN 0      2          [::1]:55355    [::]:*\n";
        assertEquals(List.of(new SsView.TcpRow("LISTEN", 0, 2, "[::1]", 55355, "[::]", "*", -1, Optional.empty())),
                SsView.parseTcp(out, null));
    }

    @Test
    void singleStateRowsHaveNoStateColumn() {
        // ss -ntHe state syn-recv '( sport = :37091 )' on a dual-stack DEFER_ACCEPT listener.
        String out = ""
                + "0      0                   [::1]:37091              [::1]:46626 timer:(on,892ms,0) ino:0 sk:164d\n"
                + "0      0      [::ffff:127.0.0.1]:37091 [::ffff:127.0.0.1]:40510 timer:(on,892ms,0) ino:0 sk:164e\n";
        List<SsView.TcpRow> rows = SsView.parseTcp(out, SsView.SYN_RECV);
        assertEquals(List.of(
                new SsView.TcpRow("SYN-RECV", 0, 0, "[::1]", 37091, "[::1]", "46626", 0, Optional.empty()),
                new SsView.TcpRow("SYN-RECV", 0, 0, "[::ffff:127.0.0.1]", 37091, "[::ffff:127.0.0.1]", "40510", 0,
                        Optional.empty())), rows);
    }

    @Test
    void allStatesRows() {
        // ss -tanHe '( sport = :56891 or dport = :56891 )'
        String out = ""
                + "LISTEN 1      1      [::1]:56891  [::]:*     ino:266391 sk:164f cgroup:/ v6only:1 <->\n"
                + "ESTAB  0      0      [::1]:60484 [::1]:56891 ino:266392 sk:1650 cgroup:/ <->         \n"
                + "SYN-SENT 0      1      127.0.0.1:35652 127.0.0.1:58457\n"
                + "TIME-WAIT 0      0      127.0.0.1:35653 127.0.0.1:58457 timer:(timewait,59sec,0) ino:0 sk:1\n";
        List<SsView.TcpRow> rows = SsView.parseTcp(out, null);
        assertEquals(List.of("LISTEN", "ESTAB", "SYN-SENT", "TIME-WAIT"),
                rows.stream().map(SsView.TcpRow::state).toList());
        assertEquals(266392, rows.get(1).inode());
        assertEquals("56891", rows.get(1).peerPort());
        assertEquals(1, rows.get(2).sendQ(), "the unacknowledged SYN");
    }

    @Test
    void interfaceSuffixStaysWithTheHost() {
        String out = "LISTEN 0      5      127.0.0.1%lo:8080 0.0.0.0:*\n";
        assertEquals("127.0.0.1%lo", SsView.parseTcp(out, null).get(0).localHost());
        assertEquals(8080, SsView.parseTcp(out, null).get(0).localPort());
    }

    @Test
    void rejectsRowsItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> SsView.parseTcp("LISTEN 0 x 1.2.3.4:5 *:*\n", null));
        assertThrows(IllegalArgumentException.class, () -> SsView.parseTcp("LISTEN 0 1 1.2.3.4 *:*\n", null));
        assertThrows(IllegalArgumentException.class, () -> SsView.parseTcp("LISTEN 0 1 1.2.3.4:* *:*\n", null));
        assertThrows(IllegalArgumentException.class, () -> SsView.parseTcp("0 0 1.2.3.4:5 *:*\n", null),
                "a row without State column needs an implied state");
        assertThrows(IllegalArgumentException.class, () -> SsView.parseTcp("LISTEN 0 0\n", null));
        assertEquals(List.of(), SsView.parseTcp("", null));
        assertEquals(List.of(), SsView.parseTcp("\n", SsView.SYN_RECV));
    }
}
