package org.checksocketbacklog.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.checksocketbacklog.kernel.UnixName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Glob.literalOf: the pattern --list writes for a name matches that name and no other. */
class GlobLiteralTest {
    private static UnixName path(byte[] bytes) {
        return UnixName.ofSunPath(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/run/php/www.sock", "/tmp/star*q?[b].sock", "/tmp/back\\slash", "/tmp/a]b",
        "@relative", "relative", "/tmp/caf\u00e9", "/tmp/nl\nx", "/tmp/del\u007f"})
    void aPathsLiteralMatchesItAndIsLiteral(String text) {
        UnixName name = path(text.getBytes(StandardCharsets.UTF_8));
        Glob glob = Glob.compile(Glob.literalOf(name));
        assertTrue(glob.matches(name), Glob.literalOf(name));
        assertTrue(glob.isLiteral(), Glob.literalOf(name));
        assertFalse(glob.matches(path((text + "x").getBytes(StandardCharsets.UTF_8))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp/star*", "/tmp/q?", "/tmp/[ab]"})
    void aWildcardInTheNameMatchesOnlyItself(String text) {
        Glob glob = Glob.compile(Glob.literalOf(path(text.getBytes(StandardCharsets.UTF_8))));
        String other = text.replace("*", "xyz").replace("?", "z").replace("[ab]", "a");
        assertFalse(glob.matches(path(other.getBytes(StandardCharsets.UTF_8))), other);
    }

    @org.junit.jupiter.api.Test
    void bytesThatAreNotUtf8AndAbstractNulsAreWrittenAsHex() {
        UnixName raw = path(new byte[] {'/', 't', (byte) 0xff, '.', 's'});
        assertEquals("/t\\xff.s", Glob.literalOf(raw));
        assertTrue(Glob.compile(Glob.literalOf(raw)).matches(raw));
        UnixName abstractName = path(new byte[] {0, 'c', 's', 'b', 0, 'x'});
        assertEquals("@csb\\x00x", Glob.literalOf(abstractName));
        assertTrue(Glob.compile(Glob.literalOf(abstractName)).matches(abstractName));
        UnixName relativeAt = path("@relative".getBytes(StandardCharsets.US_ASCII));
        assertEquals("\\@relative", Glob.literalOf(relativeAt), "not an abstract name's pattern");
        assertFalse(Glob.compile(Glob.literalOf(relativeAt)).matches(path("\0relative".getBytes(StandardCharsets.US_ASCII))));
    }
}
