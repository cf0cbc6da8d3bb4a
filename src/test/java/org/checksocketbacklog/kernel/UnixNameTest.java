package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnixNameTest {
    private static UnixName name(int... sunPath) {
        byte[] bytes = new byte[sunPath.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) sunPath[i];
        }
        return UnixName.ofSunPath(bytes);
    }

    @Test
    void decodingLosesNoByteAndKeepsValidUtf8AsText() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            assertArrayEquals(bytes, UnixName.encode(UnixName.decode(bytes, 0, bytes.length)));
        }
        byte[] valid = "caf\u00e9 \uD83D\uDE00 \u65e5".getBytes(StandardCharsets.UTF_8);
        assertEquals("caf\u00e9 \uD83D\uDE00 \u65e5", UnixName.decode(valid, 0, valid.length));
    }

    @Test
    void bytesThatAreNotValidUtf8StandForThemselves() {
        assertEquals("a\udcffb", UnixName.decode(new byte[] {'a', (byte) 0xff, 'b'}, 0, 3));
        assertEquals("\udcc0\udc80", UnixName.decode(new byte[] {(byte) 0xc0, (byte) 0x80}, 0, 2), "overlong NUL");
        assertEquals("\udced\udca0\udc80", UnixName.decode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, 0, 3),
                "an encoded surrogate");
        assertEquals("\udcf4\udc90\udc80\udc80", UnixName.decode(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, 0, 4), "above U+10FFFF");
        assertEquals("\udce2\udc82", UnixName.decode(new byte[] {(byte) 0xe2, (byte) 0x82}, 0, 2), "cut short");
    }

    @Test
    void namesThatDifferOnlyInInvalidBytesDiffer() {
        UnixName ff = name('/', 'a', 0xff, 0);
        UnixName fe = name('/', 'a', 0xfe, 0);
        assertNotEquals(ff, fe);
        assertNotEquals(ff.text(), fe.text());
        assertNotEquals(0, ff.compareTo(fe));
        assertEquals(ff, name('/', 'a', 0xff, 0));
        assertEquals(ff.hashCode(), name('/', 'a', 0xff, 0).hashCode());
    }

    @Test
    void sockDiagNamesArePathsOrAbstract() {
        UnixName path = name('/', 'x', 0);
        assertFalse(path.isAbstract());
        assertEquals("/x", path.text());
        UnixName abstractName = name(0, 'a', 0, 'b');
        assertTrue(abstractName.isAbstract());
        assertEquals("a\u0000b", abstractName.text(), "an inner NUL is part of the name");
        assertEquals("@a\u0000b", abstractName.displayText());
        assertEquals("@a@b", abstractName.procText(), "as /proc/net/unix and ss print it");
    }

    @Test
    void aRelativePathThatBeginsWithAtDoesNotReadAsAbstract() {
        UnixName path = name('@', 'x', 0);
        assertFalse(path.isAbstract());
        assertEquals("\udc40x", path.displayText(), "the @ as an escaped byte: the output shows \\x40");
        assertNotEquals(name(0, 'x').displayText(), path.displayText());
    }

    /** Unix labels start with '/', '.' (relative, "./" added) or '@'; TCP labels with "tcp": never equal. */
    @Test
    void labelsOfTheThreeKindsNeverMeet() {
        assertArrayEquals("/run/a.sock".getBytes(StandardCharsets.US_ASCII), name('/', 'r', 'u', 'n', '/', 'a', '.', 's',
                'o', 'c', 'k', 0).labelBytes());
        assertArrayEquals("./tcp4/127.0.0.1/7777".getBytes(StandardCharsets.US_ASCII),
                UnixName.ofSunPath("tcp4/127.0.0.1/7777\0".getBytes(StandardCharsets.US_ASCII)).labelBytes());
        assertArrayEquals("./@x".getBytes(StandardCharsets.US_ASCII), name('@', 'x', 0).labelBytes());
        assertArrayEquals(new byte[] {'@', 'a', 0, 'b'}, name(0, 'a', 0, 'b').labelBytes());
        assertArrayEquals(new byte[] {'@', 'x'}, name(0, 'x').labelBytes());
    }

    @Test
    void procTextReadsBackAsTheSameName() {
        UnixName path = UnixName.ofProcText("/tmp/\u00ff x");
        assertEquals(name('/', 't', 'm', 'p', '/', 0xff, ' ', 'x', 0), path);
        assertEquals(name(0, 'a', 'b'), UnixName.ofProcText("@ab"));
    }
}
