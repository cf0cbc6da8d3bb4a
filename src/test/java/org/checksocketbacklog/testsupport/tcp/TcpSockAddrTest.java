package org.checksocketbacklog.testsupport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** sockaddr_in / sockaddr_in6 bytes, spelled out field by field for a little-endian host. */
class TcpSockAddrTest {

    @Test
    void ipv4Layout() throws Exception {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] b = TcpSockAddr.encode(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0x1F90));
        assertArrayEquals(new byte[] {
            2, 0,                   // sin_family = AF_INET, host order
            0x1F, (byte) 0x90,      // sin_port = 8080, network order
            127, 0, 0, 1,           // sin_addr
            0, 0, 0, 0, 0, 0, 0, 0  // sin_zero
        }, b);
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), TcpSockAddr.decode(b));
    }

    @Test
    void ipv6Layout() throws Exception {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        byte[] b = TcpSockAddr.encode(new InetSocketAddress(InetAddress.getByName("::1"), 443));
        assertEquals(TcpSockAddr.SOCKADDR_IN6_LEN, b.length);
        assertArrayEquals(new byte[] {10, 0}, new byte[] {b[0], b[1]}, "sin6_family = AF_INET6");
        assertArrayEquals(new byte[] {1, (byte) 0xBB}, new byte[] {b[2], b[3]}, "sin6_port = 443");
        assertEquals(1, b[23], "last byte of sin6_addr");
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 443), TcpSockAddr.decode(b));
    }

    @Test
    void anyAddressRoundTrips() throws Exception {
        InetSocketAddress any6 = new InetSocketAddress(InetAddress.getByName("::"), 1);
        assertEquals(any6, TcpSockAddr.decode(TcpSockAddr.encode(any6)));
    }

    @Test
    void rejectsWhatIsNotAnInetSockaddr() {
        assertThrows(IllegalArgumentException.class, () -> TcpSockAddr.decode(new byte[] {1, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> TcpSockAddr.decode(new byte[] {10, 0, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> TcpSockAddr.encode(InetSocketAddress.createUnresolved("localhost", 1)));
    }
}
