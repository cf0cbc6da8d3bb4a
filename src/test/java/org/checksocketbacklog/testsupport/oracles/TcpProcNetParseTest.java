package org.checksocketbacklog.testsupport.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The /proc/net/tcp{,6} parser on lines copied from Linux 6.18 x86_64 (little-endian). */
class TcpProcNetParseTest {
    private static final String HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode\n";

    @Test
    void ipv4ListenerRequestSocketAndChild() {
        // Listener 127.0.0.1:58457 with 4 queued; a DEFER_ACCEPT request socket (inode 0, timer 01);
        // an unaccepted child (inode 0) and a client (inode 240188).
        String text = HEADER
                + "   1: 0100007F:E459 00000000:0000 0A 00000000:00000004 00:00000000 00000000     0        0 240174 5"
                + " 00000000d25a307f 100 0 0 10 0                    \n"
                + "   4: 0100007F:CD31 0100007F:80DC 03 00000000:00000000 01:0000004E 00000000     0        0 0 0"
                + " 00000000b6db7b0a                                      \n"
                + "   5: 0100007F:E459 0100007F:8B34 01 00000000:00000000 00:00000000 00000000     0        0 0 1"
                + " 00000000ca236ba5 20 0 0 10 -1                         \n"
                + "   7: 0100007F:B93A 0100007F:910B 01 00000000:00000000 00:00000000 00000000  1000        0 240188 2"
                + " 000000009527bbc3 20 0 0 10 -1                    \n";
        assumeLittleEndian();
        List<TcpProcNet.Entry> e = TcpProcNet.parse(text, false);
        assertEquals(4, e.size());
        InetAddress lo = InetAddress.getLoopbackAddress();
        assertEquals(new TcpProcNet.Entry(false, v4(127, 0, 0, 1), 58457, v4(0, 0, 0, 0), 0, 0x0A, 0, 4, 0, 240174),
                e.get(0));
        assertEquals(4, e.get(0).acceptQueue());
        assertEquals(TcpProcNet.ST_SYN_RECV, e.get(1).state());
        assertEquals(0xCD31, e.get(1).localPort());
        assertEquals(0x80DC, e.get(1).remotePort());
        assertEquals(0, e.get(1).inode());
        assertEquals(lo, e.get(2).remoteAddress());
        assertEquals(1000, e.get(3).uid());
        assertEquals(240188, e.get(3).inode());
    }

    @Test
    void ipv6AndV4MappedAddresses() throws Exception {
        String text = HEADER
                + "   1: 00000000000000000000000001000000:DE3B 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000001 00:00000000 00000000     0        0 266391 2 00000000f3c1c8b9 100 0 0 10 0\n"
                + "   6: 0000000000000000FFFF00000100007F:90E3 0000000000000000FFFF00000100007F:9E3E 03"
                + " 00000000:00000000 01:00000058 00000000     0        0 0 0 00000000a36ea3c8\n";
        assumeLittleEndian();
        List<TcpProcNet.Entry> e = TcpProcNet.parse(text, true);
        assertEquals(InetAddress.getByName("::1"), e.get(0).localAddress());
        assertEquals(0xDE3B, e.get(0).localPort());
        assertEquals(1, e.get(0).acceptQueue());
        assertTrue(e.get(0).ipv6());
        assertTrue(e.get(1).localAddress() instanceof Inet4Address, "v4-mapped comes back as IPv4");
        assertEquals(v4(127, 0, 0, 1), e.get(1).remoteAddress());
        assertEquals(TcpProcNet.ST_SYN_RECV, e.get(1).state());
    }

    @Test
    void rejectsLinesOfTheWrongFamilyOrShape() {
        String v6line = HEADER + "   1: 00000000000000000000000001000000:DE3B 00000000000000000000000000000000:0000 0A"
                + " 00000000:00000001 00:00000000 00000000     0        0 266391 2 0 100 0 0 10 0\n";
        assertThrows(IllegalArgumentException.class, () -> TcpProcNet.parse(v6line, false));
        assertThrows(IllegalArgumentException.class, () -> TcpProcNet.parse(HEADER + "   1: garbage\n", false));
        assertEquals(List.of(), TcpProcNet.parse(HEADER, false));
    }

    private static void assumeLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "fixture captured on a little-endian machine");
    }

    private static InetAddress v4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
