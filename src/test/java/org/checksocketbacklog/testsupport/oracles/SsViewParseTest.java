package org.checksocketbacklog.testsupport.oracles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ss row parser on text shaped like what ss 6.1 printed for awkward names (not a tty). */
class SsViewParseTest {

    @Test
    void keepsOnlyListenRowsAndReadsTheColumns() {
        String out = ""
                + "u_str LISTEN 4      3      /tmp/cbt-1/l.sock 18145 * 0   \n"
                + "u_str UNCONN 0      0                      * 18150 * 0   \n"
                + "u_seq LISTEN 0      4096           @cbt-x 7 * 0   \n"
                + "u_str ESTAB  0      0                      * 1594 * 1595\n";
        assertEquals(List.of(
                new SsView.Listener("u_str", 4, 3, "/tmp/cbt-1/l.sock", 18145),
                new SsView.Listener("u_seq", 0, 4096, "@cbt-x", 7)), SsView.parse(out));
    }

    @Test
    void namesKeepInnerAndTrailingWhitespaceAndDigitWords() {
        String out = ""
                + "u_str LISTEN 0      3        /tmp/d/a b.sock 5288 * 0\n"
                + "u_str LISTEN 0      3         /tmp/d/trail   5718 * 0\n"
                + "u_str LISTEN 0      3        /tmp/d/tab\there 5292 * 0\n"
                + "u_str LISTEN 0      3      /tmp/d/x 12 * 0 99 * 0\n"
                + "u_str LISTEN 0      3                           @nul@x 5291 * 0\n";
        assertEquals(List.of("/tmp/d/a b.sock", "/tmp/d/trail  ", "/tmp/d/tab\there", "/tmp/d/x 12 * 0", "@nul@x"),
                SsView.parse(out).stream().map(SsView.Listener::localName).toList());
        assertEquals(99, SsView.parse(out).get(3).inode());
    }

    @Test
    void joinsANameSplitByANewline() {
        String out = ""
                + "u_str LISTEN 0      3            /tmp/d/nl\n"
                + "x 5293 * 0\n"
                + "u_seq LISTEN 2      1             /tmp/d/seq 5295 * 0\n";
        List<SsView.Listener> rows = SsView.parse(out);
        assertEquals(new SsView.Listener("u_str", 0, 3, "/tmp/d/nl\nx", 5293), rows.get(0));
        assertEquals(new SsView.Listener("u_seq", 2, 1, "/tmp/d/seq", 5295), rows.get(1));
    }

    @Test
    void inodeColumnPaddingIsNotPartOfTheName() {
        // The Port column is left-aligned, so a short inode is followed by padding.
        String out = "u_str LISTEN 0      3      /tmp/d/p 77    * 0     \n";
        assertEquals(List.of(new SsView.Listener("u_str", 0, 3, "/tmp/d/p", 77)), SsView.parse(out));
    }

    @Test
    void rejectsRowsItCannotRead() {
        assertThrows(IllegalArgumentException.class, () -> SsView.parse("u_str LISTEN garbage\n"));
        assertEquals(List.of(), SsView.parse(""));
        assertEquals(List.of(), SsView.parse("\n"));
    }
}
