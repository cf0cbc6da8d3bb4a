package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "0.0.0.0, 0.0.0.0",
        "255.255.255.255, 255.255.255.255",
        "::1, ::1",
        "::, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "FE80:0:0:0:0:0:0:1, fe80::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::ffff:127.0.0.1, ::ffff:127.0.0.1",
        "::ffff:7f00:1, ::ffff:127.0.0.1",
        "1::, 1::",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    })
    void parsesAndFormatsCanonically(String text, String canonical) throws Exception {
        byte[] bytes = IpAddresses.parse(text);
        assertEquals(canonical, IpAddresses.format(bytes));
        // The JDK's own parser, for literals it reads without any lookup, agrees on the bytes. It
        // turns an IPv4-mapped address into a 4-byte one: compare that as ::ffff:a.b.c.d.
        byte[] jdk = InetAddress.getByName(text).getAddress();
        if (jdk.length == 4 && bytes.length == 16) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(jdk, 0, mapped, 12, 4);
            jdk = mapped;
        }
        assertArrayEquals(jdk, bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "1..2.3",
        ":::", "1:::2", "1::2::3", "12345::", "g::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::1.2.3",
        "1:2:3:4:5:6:7::8:9", "[::1]", "::\u0661", "\uff11::2"})
    void rejectsWhatIsNotAnAddress(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(text));
    }
}
