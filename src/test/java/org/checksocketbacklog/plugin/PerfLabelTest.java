package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.checksocketbacklog.evaluation.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerfLabelTest {

    static Stream<Arguments> examples() {
        return Stream.of(
            Arguments.of("/run/php/php8.2-fpm.sock", "pending", "/run/php/php8.2-fpm.sock:pending", "an ordinary path stays readable"),
            Arguments.of("@foo", "queue", "@foo:queue", "an abstract name keeps its @"),
            Arguments.of("/tmp/my sock", "pending", "/tmp/my%20sock:pending", "a space is encoded, so no quotes are needed"),
            Arguments.of("a  b ", "x", "a%20%20b%20:x", "inner and trailing spaces are encoded"),
            Arguments.of(" lead", "x", "%20lead:x", "a leading space is encoded because consumers trim"),
            Arguments.of("/a inode 5", "x", "/a%20inode%205:x", "a name that reads like a qualifier stays a name"),
            Arguments.of("it's", "x", "it%27s:x", "a single quote is encoded, not doubled"),
            Arguments.of("a=b", "x", "a%3Db:x", "an equals sign is encoded"),
            Arguments.of("a|b", "x", "a%7Cb:x", "a pipe is encoded"),
            Arguments.of("@ns::sock", "x", "@ns%3A%3Asock:x", "a check_multi marker is encoded"),
            Arguments.of("a:b", "x", "a%3Ab:x", "a single colon is encoded"),
            Arguments.of("a;b", "x", "a%3Bb:x", "a semicolon is encoded"),
            Arguments.of("a,b", "x", "a%2Cb:x", "a comma is encoded"),
            Arguments.of("\"q\"", "x", "%22q%22:x", "double quotes are encoded"),
            Arguments.of("back\\slash", "x", "back%5Cslash:x", "a backslash is encoded"),
            Arguments.of("100%", "x", "100%25:x", "the escape character itself is encoded"),
            Arguments.of("%41", "x", "%2541:x", "text that looks like an escape is encoded"),
            Arguments.of("café", "x", "caf%C3%A9:x", "non-ASCII is encoded as its UTF-8 bytes"),
            Arguments.of("日本", "x", "%E6%97%A5%E6%9C%AC:x", "three-byte characters"),
            Arguments.of("\uD83D\uDE00", "x", "%F0%9F%98%80:x", "a character outside the BMP is one four-byte sequence"),
            Arguments.of("a\nb", "x", "a%0Ab:x", "a newline is encoded"),
            Arguments.of("a\rb", "x", "a%0Db:x", "a carriage return is encoded"),
            Arguments.of("a\tb", "x", "a%09b:x", "a tab is encoded"),
            Arguments.of("\0", "x", "%00:x", "NUL is encoded"),
            Arguments.of("\u007F", "x", "%7F:x", "DEL is encoded"),
            Arguments.of("\u0085", "x", "%C2%85:x", "a C1 control (NEL) is encoded"),
            Arguments.of("`~$&<>^", "x", "%60%7E%24%26%3C%3E%5E:x", "characters Nagios strips from macros are encoded"),
            Arguments.of("/a-b_c.d@e+f#g!h*i?j[k]l{m}n(o)p", "x", "/a-b_c.d@e+f#g!h*i?j[k]l{m}n(o)p:x", "other printable ASCII is kept"),
            Arguments.of("", "x", ":x", "an empty name still yields a label"),
            Arguments.of("/run/a", "accept_queue.max-len", "/run/a:accept_queue.max-len", "metrics may hold . - _")
        );
    }

    @ParameterizedTest(name = "{3}: {2}")
    @MethodSource("examples")
    void encodesNamesAsDocumented(String name, String metric, String label, String why) {
        assertEquals(label, label(name, metric));
        assertTrue(PerfLabel.isValid(label), label);
    }

    @Test
    void rawBytesThatAreNotUtf8AreEncodedOneByOne() {
        assertEquals("%FFa%C3:x", PerfLabel.of(new byte[] {(byte) 0xFF, 'a', (byte) 0xC3}, "x"));
    }

    @Test
    void aSocketIndependentMetricIsItsOwnLabelAndCannotCollideWithASocketLabel() {
        assertEquals("sockets", PerfLabel.of("sockets"));
        assertFalse(PerfLabel.of("sockets").contains(":"));
        assertTrue(label("", "sockets").contains(":"));
    }

    @ParameterizedTest(name = "metric \"{0}\" is refused")
    @ValueSource(strings = {"", "a:b", "a b", "a=b", "é", "a'b", "a%b", "a/b", "a|b", "a\nb"})
    void metricsMustBePlainNames(String metric) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> label("/run/a", metric));
        assertTrue(e.getMessage().startsWith("invalid metric name "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.of(metric));
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.of((byte[]) null, "x"));
        assertThrows(IllegalArgumentException.class, () -> label("a", null));
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.of(null));
    }

    static Stream<Arguments> namesThatNaiveSchemesMerge() {
        return Stream.of(
            Arguments.of("a:b", "a%3Ab", "an escape-looking name vs the name it would decode to"),
            Arguments.of("%41", "A", "a literal percent sequence vs its decoded character"),
            Arguments.of("a b", "a_b", "space vs the underscore other plugins substitute"),
            Arguments.of("it's", "its", "PNP removes every single quote from labels"),
            Arguments.of("a''b", "a'b", "the guidelines' '' escape vs a single quote"),
            Arguments.of("a,b", "a.b", "PNP rewrites commas to dots"),
            Arguments.of(" a", "a", "consumers trim leading blanks"),
            Arguments.of("a\\nb", "a\nb", "Nagios turns backslash-n into a newline in passive results"),
            Arguments.of("a$b", "ab", "Nagios strips $ from perfdata macros"),
            Arguments.of("a::b", "a:b", "double vs single colon"),
            Arguments.of("é", "e\u0301", "NFC vs NFD spellings are different names"),
            Arguments.of("a", "a ", "a trailing space"),
            Arguments.of("A", "a", "letter case")
        );
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("namesThatNaiveSchemesMerge")
    void trickyPairsGetDifferentLabels(String first, String second, String why) {
        assertFalse(label(first, "x").equals(label(second, "x")), label(first, "x") + " vs " + label(second, "x"));
    }

    // Every string of up to three characters over characters that matter to some consumer or
    // to the encoding itself: a collision anywhere in this space would show up here.
    private static final String[] ALPHABET = {
        "a", "A", "n", "2", "3", ":", "%", " ", "'", ",", ".", "=", "\n", "\\", "?", "é", "@", "\u0085",
    };

    private static List<String> allShortNames() {
        List<String> names = new ArrayList<>();
        names.add("");
        List<String> previous = List.of("");
        for (int length = 1; length <= 3; length++) {
            List<String> next = new ArrayList<>();
            for (String prefix : previous) {
                for (String c : ALPHABET) {
                    next.add(prefix + c);
                }
            }
            names.addAll(next);
            previous = next;
        }
        return names;
    }

    @Test
    void encodingIsInjectiveOverAllShortTrickyNames() {
        Map<String, String> seen = new HashMap<>();
        for (String name : allShortNames()) {
            String label = label(name, "pending");
            String earlier = seen.put(label, name);
            if (earlier != null) {
                fail("names " + Texts.quoted(earlier) + " and " + Texts.quoted(name) + " share label " + label);
            }
        }
        assertEquals(1 + 18 + 18 * 18 + 18 * 18 * 18, seen.size());
    }

    @Test
    void decodingRecoversTheExactBytesOfEveryName() {
        for (String name : allShortNames()) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(bytes, decodeName(PerfLabel.encodeName(bytes)), Texts.quoted(name));
        }
        for (int b = 0; b < 256; b++) {
            byte[] bytes = {(byte) b, (byte) b};
            assertArrayEquals(bytes, decodeName(PerfLabel.encodeName(bytes)), "byte " + b);
        }
    }

    /** The inverse of PerfLabel.encodeName: that one exists proves the encoding injective. */
    private static byte[] decodeName(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    /** The label of a name given as text: its UTF-8 bytes. */
    static String label(String name, String metric) {
        return PerfLabel.of(name == null ? null : name.getBytes(StandardCharsets.UTF_8), metric);
    }

    @Test
    void everyLabelIsSafeForAllConsumers() {
        for (String name : allShortNames()) {
            String label = label(name, "pending");
            assertTrue(PerfLabel.isValid(label), label);
            boolean quoted = label.startsWith("'");
            String inner = quoted ? label.substring(1, label.length() - 1) : label;
            assertFalse(quoted, "no quotes without a qualifier: " + label);
            assertFalse(inner.contains(" "), "a name's spaces are encoded: " + label);
            assertFalse(inner.contains("::"), label);
            assertEquals(inner.indexOf(':'), inner.lastIndexOf(':'), "one raw colon: " + label);
            for (char c : inner.toCharArray()) {
                assertTrue(c >= 0x20 && c < 0x7F, "printable ASCII only: " + label);
                assertTrue("'\"=|;,\\`~$&<>^".indexOf(c) < 0, "no special character " + c + " in " + label);
            }
        }
    }

    @ParameterizedTest(name = "\"{0}\" is not a label PerfLabel makes")
    @ValueSource(strings = {
        "", "'", "''", "'a'", "'a b", "a b", "a b:x", "a=b", "a|b:x", "a::b", "a:b:c", "x%41:y", "x%2:y", "x%:y", "x%2g:y",
        "x%3a:y", "a'b:x", "'a'b c:x'", "%20", "a %20b:x", " a:x", "'a :'", "é:x", "a\n:x", "a;b:x", "a,b:x", "a\\b:x", "a:",
        ":", "a:x y", "'%20:x '", "/a%20b:x'", "'/a b:x'", "'/a inode:x'", "'/a inode 05:x'", "'/a Inode 5:x'",
        "'/a inode 5 6:x'", "'/a inode  5:x'", "'/a  inode 5:x'", "'/a inode 5x:x'", "'/a inode 5'", "'inode 5'",
        "/a inode 5:x", "'/a:x inode 5'", "'/a 5:x'", "'/a inode -5:x'",
        "'/a netns:x'", "'/a netns :x'", "'/a netns w%41:x'", "'/a netns w x:x'",
        "'/a inode 5 netns w:x'", "'/a netns w inode 5 inode 6:x'", "'/a netns w netns v:x'", "/a netns w:x",
        "'/a netns w'", "'/a netns w=v:x'",
    })
    void isValidRefusesHandMadeOrNonCanonicalLabels(String label) {
        assertFalse(PerfLabel.isValid(label), label);
    }

    @Test
    void aQualifierFollowsTheNameAfterTheOnlySpaceAndQuotesTheLabel() {
        String label = PerfLabel.of("/run/app.sock".getBytes(StandardCharsets.UTF_8), "inode 4711", "pending");
        assertEquals("'/run/app.sock inode 4711:pending'", label);
        assertTrue(PerfLabel.isValid(label));
        assertEquals("'/my%20app inode 0:x'", PerfLabel.of("/my app".getBytes(StandardCharsets.UTF_8), "inode 0", "x"));
    }

    @Test
    void aSocketOfAnotherNetworkNamespaceNamesItBeforeAnyOtherQualifier() {
        byte[] name = "/run/app.sock".getBytes(StandardCharsets.UTF_8);
        assertEquals("'/run/app.sock netns web:pending'", PerfLabel.Name.of(name).inNamespace("web").label("pending"));
        assertEquals("'/run/app.sock netns web inode 4711:pending'",
                PerfLabel.Name.of(name, "inode 4711").inNamespace("web").label("pending"));
        assertEquals("'/run/app.sock netns my%20ns%3A1 inode 7:x'",
                PerfLabel.Name.of(name, "inode 7").inNamespace("my ns:1").label("x"), "encoded like a socket name");
        for (String label : List.of(PerfLabel.Name.of(name).inNamespace("web").label("pending"),
                PerfLabel.Name.of(name, "inode 4711").inNamespace("docker-0123456789ab").label("usage"),
                PerfLabel.Name.of(name).inNamespace("5").label("x"))) {
            assertTrue(PerfLabel.isValid(label), label);
        }
        assertFalse(PerfLabel.Name.of(name).inNamespace("5").label("x").equals(PerfLabel.of(name, "inode 5", "x")));
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.Name.of(name, "netns 5"),
                "netns is no number qualifier: it would read as a namespace named 5");
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.Name.of(name).inNamespace(""));
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.Name.of(name).inNamespace("a").inNamespace("b"));
    }

    @Test
    void noNameCanPassForAnotherNameWithAQualifier() {
        // The attack on " inode N" suffixes: a socket named like another's qualified label.
        byte[] forged = "/run/app.sock inode 4711".getBytes(StandardCharsets.UTF_8);
        String real = PerfLabel.of("/run/app.sock".getBytes(StandardCharsets.UTF_8), "inode 4711", "pending");
        assertFalse(real.equals(PerfLabel.of(forged, "pending")));
        for (String name : allShortNames()) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            String plain = PerfLabel.of(bytes, "pending");
            for (String other : List.of("", "a", " ", "a ", "%20")) {
                assertFalse(plain.equals(PerfLabel.of(other.getBytes(StandardCharsets.UTF_8), "inode 1", "pending")));
            }
            assertFalse(PerfLabel.of(bytes, "inode 1", "pending").equals(PerfLabel.of(bytes, "inode 11", "pending")));
        }
    }

    @ParameterizedTest(name = "qualifier \"{0}\" is refused")
    @ValueSource(strings = {"", "inode", "5", " 5", "inode ", "inode 05", "Inode 5", "inode 5 6", "inode:5", "inode  5",
        "in ode 5", "inode 5'", "inode\n5", "inode -1", "inode 1.5", "é 5"})
    void qualifiersMustBeAWordAndANumber(String qualifier) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerfLabel.of(new byte[] {'a'}, qualifier, "x"));
        assertTrue(e.getMessage().startsWith("invalid label qualifier "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PerfLabel.of(new byte[] {'a'}, null, "x"));
    }

    @Test
    void isValidRefusesNull() {
        assertFalse(PerfLabel.isValid(null));
    }

    @Test
    void consumersRecoverEveryLabelWholeAndDistinct() {
        List<String> names = allShortNames();
        StringBuilder perfdata = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i).getBytes(StandardCharsets.UTF_8);
            String label = i % 2 == 0 ? PerfLabel.of(name, "pending") : PerfLabel.of(name, "inode " + i, "pending");
            perfdata.append(i == 0 ? "" : " ").append(new PerfDatum(label, i, "", null, null, null, null));
            expected.add(label.startsWith("'") ? label.substring(1, label.length() - 1) : label);
        }
        String output = "SOCKETS OK - all fine |" + perfdata;

        String[] nagios = PerfdataConsumers.nagiosFirstLine(output);
        assertNotNull(nagios, "output stayed on one line");
        assertEquals("SOCKETS OK - all fine ", nagios[0]);
        assertEquals(perfdata.toString(), nagios[1]);

        assertItems(expected, PerfdataConsumers.icinga2(nagios[1]));
        assertItems(expected, PerfdataConsumers.pnp4nagios(nagios[1]));
        assertItems(expected, PerfdataConsumers.pnp4nagios(PerfdataConsumers.nagiosMacroCleaned(nagios[1])));
    }

    private static void assertItems(List<String> expectedLabels, List<PerfdataConsumers.Item> items) {
        assertNotNull(items, "the consumer accepted the perfdata");
        assertEquals(expectedLabels.size(), items.size());
        for (int i = 0; i < items.size(); i++) {
            assertEquals(expectedLabels.get(i), items.get(i).label());
            assertEquals(Integer.toString(i), items.get(i).value());
        }
    }
}
