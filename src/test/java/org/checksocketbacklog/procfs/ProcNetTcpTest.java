package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.checksocketbacklog.kernel.IpAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcNetTcpTest {
    private static final String HEADER =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private static String row(String local, String state, String queues, String inode) {
        return "   0: " + local + " 00000000:0000 " + state + " " + queues + " 00:00000000 00000000     0        0 "
                + inode + " 1 0000000000000000 100 0 0 10 0\n";
    }

    @org.junit.jupiter.api.Test
    void aListenRowGivesAddressPortAcceptQueueAndInode() throws ProcFileException {
        List<ProcNetTcp.Row> rows = ProcNetTcp.parse(HEADER + row("0100007F:1F90", "0A", "00000000:00000003", "4242"),
                "tcp");
        assertEquals(1, rows.size());
        assertEquals("127.0.0.1", IpAddresses.format(rows.get(0).localAddress()));
        assertEquals(8080, rows.get(0).localPort());
        assertEquals(3, rows.get(0).pending());
        assertEquals(4242, rows.get(0).inode());
    }

    /** What the kernel never prints is a malformed (or forged) file, not a number to read leniently. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0100007F:1FFFF 0A 00000000:00000003 1",   // a port above 65535
        "0100007F:1F90 0A 00000000:-0000003 1",    // a negative queue
        "0100007F:1F90 0A 00000000:+0000003 1",    // a sign
        "0100007F:1F90 +A 00000000:00000003 1",
        "0100007F:1F90 0A 00000000:00000003 -1",   // a negative inode
        "0100007G:1F90 0A 00000000:00000003 1",    // not hex
        "0100007F:1F90 0A 00000000:100000000 1",   // a queue wider than 32 bits
    })
    void impossibleFieldsAreMalformed(String fields) {
        String[] f = fields.split(" ");
        assertThrows(ProcFileException.class, () -> ProcNetTcp.parse(HEADER + row(f[0], f[1], f[2], f[3]), "tcp"));
    }
}
