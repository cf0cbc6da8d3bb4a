package org.checksocketbacklog.testsupport.unix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The sockaddr_un layout: family u16 in native order, then the name bytes; addrlen = array length. */
class SockAddrUnTest {
    private static final byte[] FAMILY = ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) 1).array();

    @Test
    void pathNameEndsWithNul() {
        SockAddrUn a = SockAddrUn.path("/t/a b");
        assertArrayEquals(concat(FAMILY, new byte[] {'/', 't', '/', 'a', ' ', 'b', 0}), a.bytes());
        assertEquals("/t/a b", a.kernelName());
    }

    @Test
    void abstractNameStartsWithNulAndHasNoTrailingNul() {
        SockAddrUn a = SockAddrUn.abstractName("x\0y");
        assertArrayEquals(concat(FAMILY, new byte[] {0, 'x', 0, 'y'}), a.bytes());
        assertEquals("@x@y", a.kernelName());
    }

    @Test
    void rejectsNamesThatDoNotFitSunPath() {
        assertEquals(2 + 107 + 1, SockAddrUn.path("/" + "p".repeat(106)).bytes().length);
        assertThrows(IllegalArgumentException.class, () -> SockAddrUn.path("/" + "p".repeat(107)));
        assertEquals(2 + 1 + 107, SockAddrUn.abstractName("a".repeat(107)).bytes().length);
        assertThrows(IllegalArgumentException.class, () -> SockAddrUn.abstractName("a".repeat(108)));
        assertThrows(IllegalArgumentException.class, () -> SockAddrUn.path("/a\0b"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
