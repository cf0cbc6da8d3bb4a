package org.checksocketbacklog.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutputTextTest {
    static Stream<Arguments> texts() {
        return Stream.of(
            Arguments.of("/run/php/www.sock", "/run/php/www.sock", "ordinary text is kept"),
            Arguments.of("caf\u00e9 \u65e5\u672c", "caf\u00e9 \u65e5\u672c", "printable non-ASCII is kept"),
            Arguments.of("\uD83D\uDE00", "\uD83D\uDE00", "a surrogate pair is one character, kept"),
            Arguments.of("a\nb", "a\\x0ab", "a newline would start a line of its own"),
            Arguments.of("a\rb", "a\\x0db", "carriage return"),
            Arguments.of("\u0000x\u0001\t", "\\x00x\\x01\\x09", "any C0 control, first and last too"),
            Arguments.of("a|b", "a\\x7cb", "the core reads perfdata after a |"),
            Arguments.of("a\\b", "a\\x5cb", "the escape character itself, so escapes stay unambiguous"),
            Arguments.of("a\u007fb", "a\\x7fb", "DEL"),
            Arguments.of("a\u0085b", "a\\xc2\\x85b", "NEL, a line break to some tools, as its UTF-8 bytes"),
            Arguments.of("a\u009bb", "a\\xc2\\x9bb", "another C1 control (CSI)"),
            Arguments.of("a\u2028b\u2029c", "a\\xe2\\x80\\xa8b\\xe2\\x80\\xa9c", "line and paragraph separators"),
            Arguments.of("a\u202eb\u2066c", "a\\xe2\\x80\\xaeb\\xe2\\x81\\xa6c",
                    "bidirectional overrides reorder what a web view shows"),
            Arguments.of("a\udcffb", "a\\xffb", "an escaped byte (not valid UTF-8) is shown as that byte"),
            Arguments.of("a\udc40b", "a\\x40b", "the escaped @ of a relative path that begins with @"),
            Arguments.of("a\ud800b", "a\\xed\\xa0\\x80b", "an unpaired surrogate from elsewhere, as its three bytes"),
            Arguments.of("app\u200b.sock", "app\\xe2\\x80\\x8b.sock", "a zero-width space would make two names look alike"),
            Arguments.of("\ufeffx\u00ady\u2060", "\\xef\\xbb\\xbfx\\xc2\\xady\\xe2\\x81\\xa0",
                    "byte order mark, soft hyphen, word joiner: format characters"),
            Arguments.of("a\u00a0b\u3000c", "a\\xc2\\xa0b\\xe3\\x80\\x80c", "spaces other than the ASCII space"),
            Arguments.of("x\udb40\udc41", "x\\xf3\\xa0\\x81\\x81", "a tag character, four bytes"),
            Arguments.of("\ue000", "\\xee\\x80\\x80", "private use"),
            Arguments.of("\u0939\u093f\u0928\u094d\u0926\u0940 \u0627\u0644", "\u0939\u093f\u0928\u094d\u0926\u0940 \u0627\u0644",
                    "letters and combining marks of every script are kept"),
            Arguments.of("x [OK] y", "x \\x5bOK] y", "Icinga Web draws [OK] anywhere as a state ball"),
            Arguments.of("(CRITICAL)[WARNING)(UNKNOWN]", "\\x28CRITICAL)\\x5bWARNING)\\x28UNKNOWN]",
                    "brackets and parentheses, mixed too, as its pattern takes them"),
            Arguments.of("[UP][DOWN][INFO]", "\\x5bUP]\\x5bDOWN]\\x5bINFO]", "the host states and INFO too"),
            Arguments.of("\\_[OK] - forged", "\\x5c_\\x5bOK] - forged", "a forged item tag keeps neither part"),
            Arguments.of("[::1]:443 (tcp6, inode 7) [ok] [OKAY] (OK [OK", "[::1]:443 (tcp6, inode 7) [ok] [OKAY] (OK [OK",
                    "other brackets are kept: the pattern is upper case, one word, closed"),
            Arguments.of("a<b>c", "a\\x3cb>c", "with a tag in it, Icinga Web would take the output for HTML"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("texts")
    void oneSafeLineWithEveryByteVisible(String raw, String safe, String why) {
        assertEquals(safe, OutputText.sanitize(raw), why);
    }
}
