package org.checksocketbacklog.testsupport.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The /proc/net/unix parser on lines copied from a 6.18 kernel. */
class ProcNetUnixParseTest {

    @Test
    void readsListenersEmbryosUnnamedAndSplitNames() {
        String text = "Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "00000000987614ec: 00000003 00000000 00000000 0001 02     0 /tmp/d/plain.sock\n"
                + "0000000094b9c4b0: 00000005 00000000 00010000 0005 01  5289 /tmp/d/plain.sock\n"
                + "0000000000000000: 00000002 00000000 00000000 0000 04     0\n"
                + "0000000083128010: 00000002 00000000 00010000 0001 01  5293 /tmp/d/nl\n"
                + "x\n"
                + "0000000083128011: 00000002 00000000 00010000 0001 01 123456 @a@b\n";
        List<ProcNetUnix.Entry> e = ProcNetUnix.parse(text);

        assertEquals(5, e.size());
        assertEquals(new ProcNetUnix.Entry(3, 0, 1, 2, 0, "/tmp/d/plain.sock"), e.get(0));
        assertFalse(e.get(0).listening());
        assertEquals(new ProcNetUnix.Entry(5, 0x10000, 5, 1, 5289, "/tmp/d/plain.sock"), e.get(1));
        assertTrue(e.get(1).listening());
        assertEquals("", e.get(2).name());
        assertEquals("/tmp/d/nl\nx", e.get(3).name());
        assertEquals(123456, e.get(4).inode());
        assertEquals("@a@b", e.get(4).name());
    }
}
