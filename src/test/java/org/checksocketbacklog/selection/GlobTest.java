package org.checksocketbacklog.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.checksocketbacklog.kernel.Names;
import org.checksocketbacklog.kernel.UnixName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("/run/*.sock", "/run/x.sock", true, "star matches within one directory"),
            Arguments.of("/run/*.sock", "/run/.sock", true, "star matches nothing, and a leading dot is not special"),
            Arguments.of("/run/*.sock", "/run/a/x.sock", false, "star does not cross a slash"),
            Arguments.of("*.sock", "/run/x.sock", false, "a relative-looking pattern does not match a deeper path"),
            Arguments.of("/run/*/*.sock", "/run/a/x.sock", true, "one star per directory level"),
            Arguments.of("/run/*", "/run/", true, "star matches an empty last part"),
            Arguments.of("/run/*", "/run", false, "the pattern's slash must meet a slash"),
            Arguments.of("/run/*", "/run/a/", false, "a trailing slash is an extra part"),
            Arguments.of("/run/*/x", "/run//x", true, "star matches an empty middle part"),
            Arguments.of("*", "", true, "star matches the empty name"),
            Arguments.of("*", "/", false, "star alone does not match a slash"),
            Arguments.of("*", "a\nb", true, "star matches control characters"),
            Arguments.of("?", "a", true, "question mark matches one character"),
            Arguments.of("?", "", false, "question mark needs a character"),
            Arguments.of("?", "ab", false, "question mark matches only one"),
            Arguments.of("?", "/", false, "question mark does not match a slash"),
            Arguments.of("?", "\uD83D\uDE00", true, "question mark matches a whole non-BMP character"),
            Arguments.of("a?c", "abc", true, "question mark in the middle"),
            Arguments.of("a?c", "a/c", false, "question mark never matches a slash in the middle"),
            Arguments.of("[abc]", "b", true, "a set matches a member"),
            Arguments.of("[abc]", "d", false, "a set refuses a non-member"),
            Arguments.of("[a-z]", "m", true, "a range matches inside"),
            Arguments.of("[a-z]", "a", true, "a range start is inclusive"),
            Arguments.of("[a-z]", "z", true, "a range end is inclusive"),
            Arguments.of("[a-z]", "M", false, "matching is case-sensitive"),
            Arguments.of("[!a-z]", "M", true, "! negates the set"),
            Arguments.of("[!a-z]", "m", false, "! refuses members"),
            Arguments.of("[^a-z]", "M", true, "^ negates too"),
            Arguments.of("[^a-z]", "m", false, "^ refuses members"),
            Arguments.of("x[!a]y", "x/y", false, "a negated set still does not match a slash"),
            Arguments.of("[]a]", "]", true, "a ] first in the set is a member"),
            Arguments.of("[]a]", "a", true, "a set with a leading ] still holds its other members"),
            Arguments.of("[!]a]", "b", true, "a ] first after ! is a member of the negated set"),
            Arguments.of("[!]a]", "]", false, "a negated set refuses its leading ]"),
            Arguments.of("[a-]", "-", true, "a trailing - is a member"),
            Arguments.of("[-a]", "-", true, "a leading - is a member"),
            Arguments.of("[\\]]", "]", true, "an escaped ] inside a set is a member"),
            Arguments.of("[a\\-z]", "-", true, "an escaped - is a member, not a range"),
            Arguments.of("[a\\-z]", "b", false, "an escaped - does not make a range"),
            Arguments.of("[é日]", "日", true, "non-ASCII set members"),
            Arguments.of("\\*", "*", true, "an escaped star is literal"),
            Arguments.of("\\*", "a", false, "an escaped star matches nothing else"),
            Arguments.of("a\\?", "a?", true, "an escaped question mark is literal"),
            Arguments.of("\\[x]", "[x]", true, "an escaped [ starts no set"),
            Arguments.of("\\\\", "\\", true, "an escaped backslash is literal"),
            Arguments.of("a]", "a]", true, "a lone ] is literal"),
            Arguments.of("@foo", "@foo", true, "an abstract name matches itself"),
            Arguments.of("@foo", "@foobar", false, "a literal pattern is not a prefix match"),
            Arguments.of("@foo", "@fo", false, "a literal pattern needs the whole name"),
            Arguments.of("@*", "@foo", true, "all abstract names"),
            Arguments.of("@*", "/run/foo", false, "abstract-name pattern does not match paths"),
            Arguments.of("/run/é.sock", "/run/é.sock", true, "non-ASCII literal"),
            Arguments.of("*a*a*a*a*b", "aaaaab", true, "repeated stars that match"),
            Arguments.of("*a*a*a*a*b", "aaaaaa", false, "repeated stars that fail"),
            Arguments.of("a**b", "ab", true, "adjacent stars act as one"),
            Arguments.of("*x*", "abxcd", true, "stars on both sides"),
            Arguments.of("*.s?ck", "php.sock", true, "mixed wildcards"),
            Arguments.of("/run/php/php*-fpm.sock", "/run/php/php8.2-fpm.sock", true, "a realistic pattern")
        );
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\" = {2}: {3}")
    @MethodSource("cases")
    void matchesLikeAShellGlobThatNeverCrossesSlashes(String pattern, String name, boolean matches, String why) {
        assertEquals(matches, Glob.compile(pattern).matches(name(name)));
    }

    private static UnixName name(String written) {
        return Names.written(written);
    }

    /** sock_diag's bytes for a written name: "\0name" for an abstract one, "path\0" otherwise. */
    private static byte[] sunPath(String written) {
        byte[] bytes = written.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return bytes; // no name at all, as Names.written has it
        }
        if (written.startsWith("@")) {
            bytes[0] = 0;
            return bytes;
        }
        return java.util.Arrays.copyOf(bytes, bytes.length + 1);
    }

    @ParameterizedTest(name = "\"{0}\" vs \"{1}\"")
    @MethodSource("cases")
    void theByteFilterKeepsEveryNameThatMatches(String pattern, String name, boolean matches, String why) {
        Glob glob = Glob.compile(pattern);
        if (glob.matches(name(name))) {
            assertTrue(glob.mayMatchSunPath(sunPath(name)), "the filter must keep what the selection picks");
        }
    }

    @Test
    void theByteFilterKeepsEveryMatchAmongAllShortNames() {
        // Names of up to three bytes over bytes that matter to the encoding (a NUL, the two bytes of
        // "é", a stray continuation byte, 0xFF, '@', '/', '.'), as paths and abstract names, against
        // patterns whose literal prefixes end inside, before and after such bytes.
        int[] alphabet = {'a', '/', '.', '@', 0, 0xC3, 0xA9, 0x80, 0xFF};
        String[] patterns = {"a", "a*", "@a", "@a*", "@", "@*", "\\xc3*", "\\xc3\\xa9", "é*", "@é", "/a/*", "/*", "a?",
            "?a", "[a.]*", "\\x00*", "@\\x00", "@\\x00a", "\\xff", "\\@*", "\\x80?", ".*", "a\\x00"};
        int checked = 0;
        for (String pattern : patterns) {
            Glob glob = Glob.compile(pattern);
            for (int length = 0; length <= 3; length++) {
                int combinations = (int) Math.pow(alphabet.length, length);
                for (int n = 0; n < combinations; n++) {
                    byte[] name = new byte[length];
                    for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                        name[i] = (byte) alphabet[rest % alphabet.length];
                    }
                    byte[] path = java.util.Arrays.copyOf(name, length + 1);
                    byte[] abstractName = new byte[length + 1];
                    System.arraycopy(name, 0, abstractName, 1, length);
                    for (byte[] sunPath : new byte[][] {path, abstractName}) {
                        if (glob.matches(UnixName.ofSunPath(sunPath))) {
                            checked++;
                            assertTrue(glob.mayMatchSunPath(sunPath), pattern + " matches "
                                    + java.util.Arrays.toString(sunPath) + " but the filter drops it");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 100, "the sweep found matches to check: " + checked);
    }

    @Test
    void theByteFilterDropsNamesThatCannotMatch() {
        assertFalse(Glob.compile("@foo").mayMatchSunPath(sunPath("@foobar")), "a literal is the whole name");
        assertFalse(Glob.compile("@foo").mayMatchSunPath(sunPath("@fo")));
        assertFalse(Glob.compile("/run/a.sock").mayMatchSunPath(sunPath("/run/a.sock.old")));
        assertFalse(Glob.compile("/run/php/*.sock").mayMatchSunPath(sunPath("/var/run/x.sock")), "the prefix");
        assertFalse(Glob.compile("/run/x").mayMatchSunPath(sunPath("@/run/x")), "a path pattern, an abstract name");
        assertFalse(Glob.compile("@x").mayMatchSunPath("@x\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                "a relative path that begins with @ is not the abstract name @x");
        assertFalse(Glob.compile("@*").mayMatchSunPath(new byte[0]));
        assertTrue(Glob.compile("/run/a.sock").mayMatchSunPath(sunPath("/run/a.sock")));
        assertTrue(Glob.compile("/run/a.sock").mayMatchSunPath("/run/a.sock".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                "a path without its NUL");
        assertTrue(Glob.compile("/run/php/*.sock").mayMatchSunPath(sunPath("/run/php/sub/x.sock")),
                "a prefix match is only a maybe: the selection decides");
    }

    private static UnixName raw(int... bytes) {
        return Names.raw(bytes);
    }

    @Test
    void namesThatDifferOnlyInInvalidBytesAreMatchedApart() {
        UnixName ff = raw('/', 'r', 0xff, 0);
        UnixName fe = raw('/', 'r', 0xfe, 0);
        assertTrue(Glob.compile("/r\\xff").matches(ff));
        assertFalse(Glob.compile("/r\\xff").matches(fe));
        assertTrue(Glob.compile("/r\\xFE").matches(fe), "hex digits in either case");
        // The same bytes given raw, as ArgumentBytes recovers them from the kernel's argv.
        assertTrue(Glob.compile("/r" + (char) 0xDCFF).matches(ff));
        assertFalse(Glob.compile("/r" + (char) 0xDCFF).matches(fe));
        assertTrue(Glob.compile("/r?").matches(ff), "an invalid byte is one character");
        assertFalse(Glob.compile("/r\uFFFD").matches(ff),
                "U+FFFD is a character of its own, not any invalid byte");
    }

    @Test
    void escapedBytesDecodeTogetherIntoCharacters() {
        UnixName e = name("/run/\u00e9.sock");
        assertTrue(Glob.compile("/run/\\xc3\\xa9.sock").matches(e), "C3 A9 is e-acute");
        assertTrue(Glob.compile("/run/?.sock").matches(e), "e-acute is one character");
        assertFalse(Glob.compile("/run/\\xc3?.sock").matches(e), "a lone C3 is a byte, not half of e-acute");
        assertTrue(Glob.compile("/run/[\\xc3\\xa9x].sock").matches(e), "a run of escapes in a set too");
        assertTrue(Glob.compile("/run\\x2fx").matches(name("/run/x")), "an escaped slash is a slash");
        assertFalse(Glob.compile("/run\\x2f*").matches(name("/run/a/b")), "and still parts the pattern");
    }

    @Test
    void abstractNamesAreMatchedByteForByteNulsIncluded() {
        UnixName withNul = raw(0, 'a', 0, 'b');
        UnixName withAt = raw(0, 'a', '@', 'b');
        assertTrue(Glob.compile("@a\\x00b").matches(withNul));
        assertFalse(Glob.compile("@a\\x00b").matches(withAt));
        assertTrue(Glob.compile("@a@b").matches(withAt));
        assertFalse(Glob.compile("@a@b").matches(withNul), "an inner @ is an @, not a NUL as ss would print it");
    }

    @Test
    void aRelativePathThatBeginsWithAtIsNotAnAbstractName() {
        UnixName path = raw('@', 'f', 'o', 'o', 0);
        UnixName abstractName = raw(0, 'f', 'o', 'o');
        assertTrue(Glob.compile("@foo").matches(abstractName));
        assertFalse(Glob.compile("@foo").matches(path));
        assertTrue(Glob.compile("\\@foo").matches(path));
        assertTrue(Glob.compile("\\x40foo").matches(path));
        assertFalse(Glob.compile("\\x40foo").matches(abstractName));
        assertFalse(Glob.compile("*").matches(abstractName), "a path pattern never matches an abstract name");
    }

    @Test
    void pathologicalPatternsFinishQuickly() {
        String name = "a".repeat(20_000);
        Glob glob = Glob.compile("*a*a*a*a*a*a*a*a*a*a*b");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(glob.matches(name(name))));
    }

    @Test
    void aPatternWithoutMetacharactersMatchesExactlyThatName() {
        Glob glob = Glob.compile("/run/x.sock");
        assertTrue(glob.matches(name("/run/x.sock")));
        assertFalse(glob.matches(name("/run/x.socks")));
        assertFalse(glob.matches(name("/run/x.soc")));
    }

    @Test
    void escapedMetacharactersAreLiteral() {
        Glob glob = Glob.compile("/run/x\\*\\[1].sock");
        assertTrue(glob.matches(name("/run/x*[1].sock")));
        assertFalse(glob.matches(name("/run/xy[1].sock")));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("", "empty pattern"),
            Arguments.of("[abc", "unclosed \"[\" at position 0"),
            Arguments.of("x[", "unclosed \"[\" at position 1"),
            Arguments.of("[]", "unclosed \"[\" at position 0"),
            Arguments.of("[!]", "unclosed \"[\" at position 0"),
            Arguments.of("[a\\", "unclosed \"[\" at position 0"),
            Arguments.of("[a-\\", "unclosed \"[\" at position 0"),
            Arguments.of("abc\\", "trailing backslash escapes nothing"),
            Arguments.of("[z-a]", "reversed range z-a matches nothing"),
            Arguments.of("[a/b]", "\"/\" inside [...] can never match"),
            Arguments.of("[!/]", "\"/\" inside [...] can never match"),
            Arguments.of("[a-/]", "\"/\" inside [...] can never match"),
            Arguments.of("[[:alpha:]]", "POSIX classes such as [:alpha:] are not supported (escape the \"[\" to match it literally)"),
            Arguments.of("[[.a.]]", "POSIX classes such as [:alpha:] are not supported (escape the \"[\" to match it literally)"),
            Arguments.of("[[=a=]]", "POSIX classes such as [:alpha:] are not supported (escape the \"[\" to match it literally)")
        );
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @MethodSource("malformed")
    void malformedPatternsAreRefusedWithAPlainMessage(String pattern, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glob.compile(pattern));
        assertEquals("invalid pattern \"" + pattern + "\": " + reason, e.getMessage());
    }

    @Test
    void aLiteralBracketAfterAnEscapeIsAllowedInASet() {
        Glob glob = Glob.compile("[\\[:]");
        assertTrue(glob.matches(name("[")));
        assertTrue(glob.matches(name(":")));
        assertFalse(glob.matches(name("a")));
    }

    @Test
    void nullPatternIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Glob.compile(null));
    }

    @Test
    void patternTextIsKeptAsGiven() {
        Glob glob = Glob.compile("/run/\\*.sock");
        assertEquals("/run/\\*.sock", glob.pattern());
        assertEquals("/run/\\*.sock", glob.toString());
    }

    @Test
    void globsWithTheSamePatternAreEqual() {
        assertEquals(Glob.compile("/run/*.sock"), Glob.compile("/run/*.sock"));
        assertEquals(Glob.compile("/run/*.sock").hashCode(), Glob.compile("/run/*.sock").hashCode());
        assertNotEquals(Glob.compile("/run/*.sock"), Glob.compile("/run/?.sock"));
    }

    /** Both ends of a range decode their escapes as one byte string: [\xc3\xa9-\xc3\xaa] is é..ê, not é..U+DCC3. */
    @Test
    void aRangeEndWrittenAsEscapedBytesIsTheCharacterTheyEncode() {
        Glob range = Glob.compile("/r/[\\xc3\\xa9-\\xc3\\xaa].s");
        assertTrue(range.matches(name("/r/\u00e9.s")));
        assertTrue(range.matches(name("/r/\u00ea.s")));
        assertFalse(range.matches(name("/r/\u4e2d.s")), "a character above the range");
        assertFalse(range.matches(name("/r/\u00eb.s")));
        assertFalse(Glob.compile("/r/[a-\\xc3\\xa9].s").matches(name("/r/\u4e2d.s")));
    }
}
