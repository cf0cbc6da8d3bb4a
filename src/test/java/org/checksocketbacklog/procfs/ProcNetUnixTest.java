package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.checksocketbacklog.netlink.RecordedDump;
import org.junit.jupiter.api.Test;

class ProcNetUnixTest {
    private static final String HEADER = ProcNetUnix.HEADER + "\n";

    private static Map<Long, ProcNetUnix.Claims> claims(String text, Map<Long, ProcNetUnix.Expected> listeners)
            throws ProcFileException {
        return ProcNetUnix.claims(bytes(text), "/proc/net/unix", listeners);
    }

    private static List<ProcNetUnix.Group> listeners(String text) throws ProcFileException {
        return ProcNetUnix.listeners(bytes(text), "/proc/net/unix");
    }

    private static java.io.InputStream bytes(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static ProcNetUnix.Group only(List<ProcNetUnix.Group> groups, long inode) {
        return groups.stream().filter(g -> g.inodes()[0] == inode).findFirst().orElseThrow();
    }

    /** A stream listener sock_diag reported, by its name as this file prints it. */
    private static ProcNetUnix.Expected streamListener(String printedName) {
        return new ProcNetUnix.Expected(ProcNetUnix.SOCK_STREAM, printedName);
    }

    /** A line as the kernel prints it (unix_seq_show), with "name" as printed, or null for none. */
    private static String line(int refCount, int flags, int type, int state, long inode, String name) {
        return String.format("0000000000000000: %08X %08X %08X %04X %02X %5d", refCount, 0, flags, type, state, inode)
                + (name == null ? "" : " " + name) + "\n";
    }

    private static String listenerLine(int refCount, long inode, String name) {
        return line(refCount, 0x10000, 1, 1, inode, name);
    }

    private static String embryo(String name) {
        return line(3, 0, 1, 2, 0, name);
    }

    @Test
    void recordedTableGivesTheCreatedPendingAndBlocked() throws ProcFileException {
        for (String scenario : new String[] {"unix-listeners", "unix-multipart"}) {
            RecordedDump dump = new RecordedDump(scenario);
            List<ProcNetUnix.Group> listeners = listeners(dump.procNetUnix());
            for (RecordedDump.Expected expected : dump.expected()) {
                ProcNetUnix.Group listener = only(listeners, expected.inode());
                assertEquals(expected.name(), listener.printedName());
                assertEquals(expected.kind().equals("UNIX_STREAM") ? ProcNetUnix.SOCK_STREAM : ProcNetUnix.SOCK_SEQPACKET,
                        listener.type());
                assertEquals(expected.blocked(), listener.blocked(), expected.name() + " blocked");
                assertEquals(expected.pending(), listener.pending(), expected.name() + " pending");
                assertEquals(0, listener.extraLines());
            }
        }
    }

    @Test
    void embryosCountOnlyForTheirOwnNameAndType() throws ProcFileException {
        List<ProcNetUnix.Group> listeners = listeners(HEADER
                + listenerLine(2, 100, "/run/a.sock")
                + line(2, 0x10000, 5, 1, 101, "/run/b.sock")
                + embryo("/run/a.sock") + embryo("/run/a.sock") + embryo("/run/b.sock")
                + line(3, 0, 5, 2, 0, "/run/b.sock")
                + line(3, 0, 1, 3, 200, "/run/a.sock"));
        assertEquals(2, listeners.size());
        assertEquals(2, only(listeners, 100).pending(), "connected (St 03) is not pending");
        assertEquals(1, only(listeners, 101).pending(), "a stream embryo is not b's");
    }

    @Test
    void blockedIsRefCountMinusTwo() throws ProcFileException {
        assertEquals(3, listeners(HEADER + listenerLine(5, 100, "@abs")).get(0).blocked());
    }

    @Test
    void pathsKeepTheirSpacesAndNewlines() throws ProcFileException {
        List<ProcNetUnix.Group> listeners = listeners(HEADER
                + listenerLine(2, 100, "/tmp/a  b.sock")
                + listenerLine(2, 101, "/tmp/line\ntwo.sock")
                + listenerLine(2, 102, "/tmp/c.sock"));
        assertEquals("/tmp/a  b.sock", only(listeners, 100).printedName());
        assertEquals("/tmp/line\ntwo.sock", only(listeners, 101).printedName());
        assertEquals("/tmp/c.sock", only(listeners, 102).printedName());
    }

    @Test
    void namesAreReadAsTheirBytes() throws ProcFileException {
        String latin1 = HEADER + listenerLine(2, 100, "/tmp/\u00ff.sock") + listenerLine(2, 101, "/tmp/\u00fe.sock");
        List<ProcNetUnix.Group> listeners = listeners(latin1);
        assertEquals("/tmp/\u00ff.sock", only(listeners, 100).printedName(), "the byte 0xff, one char per byte");
        assertEquals("/tmp/\u00fe.sock", only(listeners, 101).printedName());
    }

    @Test
    void unnamedAndDatagramSocketsAreNotListeners() throws ProcFileException {
        assertEquals(0, listeners(HEADER
                + line(2, 0, 2, 1, 100, "/run/systemd/notify")
                + line(3, 0, 1, 3, 101, null)).size());
    }

    @Test
    void unexpectedHeaderIsAnError() {
        ProcFileException e = assertThrows(ProcFileException.class,
                () -> listeners("Num RefCount Something Else\n"));
        assertTrue(e.getMessage().contains("unexpected header"), e.getMessage());
    }

    @Test
    void garbageFirstLineIsAnError() {
        ProcFileException e = assertThrows(ProcFileException.class,
                () -> listeners(HEADER + "this is not an entry\n"));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
    }

    @Test
    void numbersTheKernelNeverPrintsMakeALineUnreadable() {
        for (String bad : new String[] {
            "0000000000000000: +0000002 00000000 00010000 0001 01 100 /x\n",
            "0000000000000000: 00000002 00000000 00010000 0001 01 -100 /x\n",
            "0000000000000000: 00000002 00000000 00010000 0001 01 \u0661\u0660\u0660 /x\n",
            "0000000000000000: 00000002 00000000 000100000 0001 01 100 /x\n",
        }) {
            assertThrows(ProcFileException.class, () -> listeners(HEADER + bad), bad);
        }
    }

    // --- forged lines -------------------------------------------------------------------------

    /**
     * A hostile local user binds a socket whose name is "/tmp/x", a newline and a complete entry
     * for the victim's inode with RefCount 2 (nobody blocked); the kernel prints it after the
     * forger's own entry. Before, the last line per inode won: the victim's 3 blocked clients read 0.
     */
    @Test
    void aForgedLineCannotLowerABlockedCount() throws ProcFileException {
        String victim = "/run/php/www.sock";
        String file = HEADER
                + listenerLine(5, 700, victim)
                + listenerLine(2, 900, "/tmp/x\n" + listenerLine(2, 700, victim).trim());
        ProcNetUnix.Claims claims = claims(file, Map.of(700L, streamListener(victim))).get(700L);
        assertEquals(new ProcNetUnix.Claims(3, 1), claims, "the real line's 3, and one forged line seen");

        ProcNetUnix.Group fromProc = only(listeners(file), 700);
        assertEquals(3, fromProc.blocked(), "/proc alone: the worst line for the inode");
        assertEquals(1, fromProc.extraLines());
    }

    @Test
    void aForgedLineWithAnotherNameOrTypeDoesNotCountForAListenerSockDiagKnows() throws ProcFileException {
        String file = HEADER
                + listenerLine(2, 700, "/run/a.sock")
                + listenerLine(2, 900, "/tmp/x\n" + listenerLine(40, 700, "/run/b.sock").trim())
                + listenerLine(2, 901, "/tmp/y\n" + line(40, 0x10000, 5, 1, 700, "/run/a.sock").trim())
                + listenerLine(2, 902, "/tmp/z\n" + line(40, 0, 1, 1, 700, "/run/a.sock").trim())
                + listenerLine(2, 903, "/tmp/w\n" + listenerLine(40, 700, "/run/a.sock.old").trim());
        assertEquals(new ProcNetUnix.Claims(0, 0),
                claims(file, Map.of(700L, streamListener("/run/a.sock"))).get(700L),
                "other name, other type, not listening, a longer name: none is the listener's line");
    }

    @Test
    void anExactForgeryCanOnlyRaiseABlockedCount() throws ProcFileException {
        String file = HEADER
                + listenerLine(2, 700, "/run/a.sock")
                + listenerLine(2, 900, "/tmp/x\n" + listenerLine(12, 700, "/run/a.sock").trim());
        assertEquals(new ProcNetUnix.Claims(10, 1),
                claims(file, Map.of(700L, streamListener("/run/a.sock"))).get(700L));
    }

    @Test
    void aListenerWithoutALineClosedSinceTheDump() throws ProcFileException {
        assertFalse(claims(HEADER + listenerLine(2, 1, "/a"),
                Map.of(700L, streamListener("/run/a.sock"))).containsKey(700L));
    }

    @Test
    void abstractNamesArePrintedWithTheirNulsAsAt() throws ProcFileException {
        assertEquals(new ProcNetUnix.Claims(1, 0),
                claims(HEADER + listenerLine(3, 5, "@a@b"), Map.of(5L, streamListener("@a@b"))).get(5L));
        assertEquals(null, claims(HEADER + listenerLine(3, 5, "@a@b"),
                Map.of(5L, new ProcNetUnix.Expected(ProcNetUnix.SOCK_SEQPACKET, "@a@b"))).get(5L), "another type");
    }

    /**
     * /proc alone: a forged listener line with the victim's name. It cannot hide the victim's
     * queued connections, since listeners of one name are one count; before, each got the sum.
     */
    @Test
    void listenersOfOneNameAreOneCountInProc() throws ProcFileException {
        String name = "/run/php/www.sock";
        List<ProcNetUnix.Group> listeners = listeners(HEADER
                + listenerLine(2, 701, name)
                + listenerLine(2, 700, name)
                + embryo(name) + embryo(name) + embryo(name));
        assertEquals(1, listeners.size());
        ProcNetUnix.Group group = listeners.get(0);
        assertArrayEquals(new long[] {700, 701}, group.inodes());
        assertEquals(3, group.pending(), "3 between them, not 3 each");
        assertEquals(1, listeners.size());
    }

    @Test
    void blockedCountsOfOneNameAddUp() throws ProcFileException {
        ProcNetUnix.Group group = listeners(HEADER
                + listenerLine(4, 700, "/a") + listenerLine(3, 701, "/a")).get(0);
        assertEquals(3, group.blocked());
    }

    /**
     * The file is read in chunks: lines, and names that go on over several lines, that straddle a
     * chunk's end are read whole, at every offset, and memory stays one buffer however long the file.
     */
    @Test
    void linesAcrossChunkBoundariesAreReadWhole() throws ProcFileException {
        String name = "/tmp/line\nwith a newline and enough text to be long.sock";
        for (int filler = 0; filler < 80; filler++) {
            StringBuilder file = new StringBuilder(HEADER);
            int lines = 0;
            // Unrelated sockets up to just before the end of the first 64 KiB chunk, shifted by filler bytes.
            while (file.length() < 64 * 1024 - 200 + filler) {
                file.append(line(3, 0, 1, 3, 1000 + lines++, null));
            }
            file.append("x".repeat(filler % 7)).append('\n');
            file.append(listenerLine(6, 700, name));
            file.append(embryo(name));
            for (int i = 0; i < 3000; i++) {
                file.append(line(3, 0, 1, 3, 50_000 + i, "/tmp/other"));
            }
            String text = file.toString();
            assertEquals(new ProcNetUnix.Claims(4, 0), claims(text, Map.of(700L, streamListener(name))).get(700L),
                    "filler " + filler);
            ProcNetUnix.Group group = only(listeners(text), 700);
            assertEquals(name, group.printedName(), "filler " + filler);
            assertEquals(1, group.pending());
            assertEquals(4, group.blocked());
        }
    }

    @Test
    void aFileWithoutItsHeaderOrWithAnEndlessLineIsRefused() {
        assertThrows(ProcFileException.class, () -> listeners(""));
        assertThrows(ProcFileException.class, () -> claims("", Map.of()));
        ProcFileException e = assertThrows(ProcFileException.class,
                () -> listeners(HEADER + "0000000000000000: " + "0".repeat(70_000)));
        assertTrue(e.getMessage().contains("longer than"), e.getMessage());
    }

    /** A listening line with inode 0 can only be forged (a listener has an inode): it is left out, and nothing breaks. */
    @Test
    void aListeningLineWithInodeZeroIsLeftOut() throws ProcFileException {
        List<ProcNetUnix.Group> groups = listeners(HEADER + listenerLine(2, 100, "/x\n" + listenerLine(2, 0, "/x").trim())
                + listenerLine(2, 101, "/run/y"));
        assertEquals(List.of("/x", "/run/y"), groups.stream().map(ProcNetUnix.Group::printedName).toList());
        assertEquals(0, only(groups, 100).extraLines());
    }
}
