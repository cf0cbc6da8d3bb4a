package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.checksocketbacklog.netlink.RecordedDump;
import org.junit.jupiter.api.Test;

class ProcNetUnixTest {
    @Test
    void recordedTableGivesTheCreatedPendingAndBlocked() throws KernelReadException {
        for (String scenario : new String[] {"unix-listeners", "unix-multipart"}) {
            RecordedDump dump = new RecordedDump(scenario);
            ProcNetUnix table = ProcNetUnix.parse(dump.procNetUnix());
            for (RecordedDump.Expected expected : dump.expected()) {
                ProcNetUnix.Entry entry = table.listener(expected.inode());
                assertNotNull(entry, expected.name());
                assertEquals(expected.name(), entry.name());
                assertEquals(SocketKind.valueOf(expected.kind()), entry.kind());
                assertEquals(expected.blocked(), entry.blocked(), expected.name() + " blocked");
                assertEquals(expected.pending(), table.embryos(entry.name(), entry.kind()), expected.name() + " pending");
            }
        }
    }

    private static final String HEADER = ProcNetUnix.HEADER + "\n";

    @Test
    void embryosCountOnlyForTheirOwnNameAndType() throws KernelReadException {
        ProcNetUnix table = ProcNetUnix.parse(HEADER
                + "0000000000000000: 00000002 00000000 00010000 0001 01 100 /run/a.sock\n"
                + "0000000000000000: 00000002 00000000 00010000 0005 01 101 /run/b.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 02     0 /run/a.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 02     0 /run/a.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 02     0 /run/b.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0005 02     0 /run/b.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 03   200 /run/a.sock\n");
        assertEquals(2, table.listeners().size());
        assertEquals(2, table.embryos("/run/a.sock", SocketKind.UNIX_STREAM), "connected (St 03) is not pending");
        assertEquals(1, table.embryos("/run/b.sock", SocketKind.UNIX_SEQPACKET), "a stream embryo is not b's");
    }

    @Test
    void blockedIsRefCountMinusTwo() throws KernelReadException {
        ProcNetUnix table = ProcNetUnix.parse(HEADER
                + "0000000000000000: 00000005 00000000 00010000 0001 01 100 @abs\n");
        assertEquals(3, table.listener(100).blocked());
    }

    @Test
    void pathsKeepTheirSpacesAndNewlines() throws KernelReadException {
        ProcNetUnix table = ProcNetUnix.parse(HEADER
                + "0000000000000000: 00000002 00000000 00010000 0001 01 100 /tmp/a  b.sock\n"
                + "0000000000000000: 00000002 00000000 00010000 0001 01 101 /tmp/line\n"
                + "two.sock\n"
                + "0000000000000000: 00000002 00000000 00010000 0001 01 102 /tmp/c.sock\n");
        assertEquals("/tmp/a  b.sock", table.listener(100).name());
        assertEquals("/tmp/line\ntwo.sock", table.listener(101).name());
        assertEquals("/tmp/c.sock", table.listener(102).name());
    }

    @Test
    void unnamedAndDatagramSocketsAreNotListeners() throws KernelReadException {
        ProcNetUnix table = ProcNetUnix.parse(HEADER
                + "0000000000000000: 00000002 00000000 00000000 0002 01 100 /run/systemd/notify\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 03 101\n");
        assertEquals(0, table.listeners().size());
    }

    @Test
    void unexpectedHeaderIsAnError() {
        KernelReadException e = assertThrows(KernelReadException.class,
                () -> ProcNetUnix.parse("Num RefCount Something Else\n"));
        assertTrue(e.getMessage().contains("unexpected header"), e.getMessage());
    }

    @Test
    void garbageFirstLineIsAnError() {
        KernelReadException e = assertThrows(KernelReadException.class,
                () -> ProcNetUnix.parse(HEADER + "this is not an entry\n"));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }
}
