package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.checksocketbacklog.evaluation.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PerfDatumTest {

    private static final String LABEL = PerfLabelTest.label("/run/a.sock", "pending");

    private static Range range(String text) {
        return text == null ? null : Range.parse(text);
    }

    @ParameterizedTest(name = "{6}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "3  | -     | -      | -  | -   | /run/a.sock:pending=3                 | no optional field: value only",
        "3  | 80    | -      | -  | -   | /run/a.sock:pending=3;80              | warning only: the rest is dropped",
        "3  | -     | 90     | -  | -   | /run/a.sock:pending=3;;90             | critical only keeps an empty warning",
        "3  | -     | -      | 0  | -   | /run/a.sock:pending=3;;;0             | min only keeps empty thresholds",
        "3  | -     | -      | -  | 100 | /run/a.sock:pending=3;;;;100          | max only keeps all empty fields before it",
        "3  | 80    | -      | -  | 100 | /run/a.sock:pending=3;80;;;100        | inner empty fields stay",
        "3  | 80    | 90     | 0  | 100 | /run/a.sock:pending=3;80;90;0;100     | all fields",
        "3  | 80    | 90     | 0  | -   | /run/a.sock:pending=3;80;90;0         | trailing max dropped",
        "3  | @10:20| ~:5    | -  | -   | /run/a.sock:pending=3;@10:20;~:5      | range thresholds in canonical form",
        "3  | 10:   | 0:10   | -  | -   | /run/a.sock:pending=3;10:;10          | a 0:N threshold uses the bare N form",
        "1e-7 | -   | -      | -  | -   | /run/a.sock:pending=0                 | a tiny value has no exponent",
        "1e20 | -   | -      | -  | -   | /run/a.sock:pending=100000000000000000000 | a huge value has no exponent",
        "1.23456 | - | -     | -  | -   | /run/a.sock:pending=1.2346            | at most four decimals",
        "-0.0 | -   | -      | -  | -   | /run/a.sock:pending=0                 | never -0",
        "3  | -     | -      | 0.000049 | 99.99999 | /run/a.sock:pending=3;;;0;100 | min and max are rounded like the value",
    })
    void toStringFollowsTheGuidelinesFormat(double value, String warning, String critical, Double min, Double max,
            String expected, String why) {
        assertEquals(expected, new PerfDatum(LABEL, value, "", range(warning), range(critical), min, max).toString());
    }

    @ParameterizedTest(name = "unit \"{0}\"")
    @ValueSource(strings = {"", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"})
    void everyGuidelineUnitFollowsTheValue(String unit) {
        assertEquals("x=5" + unit + ";80", new PerfDatum("x", 5, unit, Range.parse("80"), null, null, null).toString());
    }

    @ParameterizedTest(name = "unit \"{0}\" is refused")
    @ValueSource(strings = {"b", "kb", "GB", "%%", "sec", " ", "S", "bytes", "u", "c;"})
    void otherUnitsAreRefused(String unit) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PerfDatum("x", 1, unit, null, null, null, null));
        assertTrue(e.getMessage().startsWith("invalid perfdata unit "), e.getMessage());
    }

    @Test
    void nullUnitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PerfDatum("x", 1, null, null, null, null, null));
    }

    @Test
    void quotedLabelsAreWrittenWithTheirQuotes() {
        String label = PerfLabel.of("/tmp/my sock".getBytes(java.nio.charset.StandardCharsets.UTF_8), "inode 7", "pending");
        assertEquals("'/tmp/my%20sock inode 7:pending'=1", new PerfDatum(label, 1, "", null, null, null, null).toString());
    }

    @Test
    void escapedLabelsAreWrittenAsEncoded() {
        String label = PerfLabelTest.label("a b=c|d;e::f%g'h\né", "pending");
        assertEquals("a%20b%3Dc%7Cd%3Be%3A%3Af%25g%27h%0A%C3%A9:pending=7;5",
                new PerfDatum(label, 7, "", Range.parse("5"), null, null, null).toString());
    }

    @ParameterizedTest(name = "label \"{0}\" is refused")
    @ValueSource(strings = {"", "a=b", "a b", "'a b", "'ab'", "a::b", "x%41:y", "a'b:x", "a|b", "a\nb:x"})
    void labelsNotMadeByPerfLabelAreRefused(String label) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PerfDatum(label, 1, "", null, null, null, null));
        assertTrue(e.getMessage().startsWith("invalid perfdata label "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": build labels with PerfLabel"), e.getMessage());
    }

    @Test
    void nullLabelIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PerfDatum(null, 1, "", null, null, null, null));
    }

    @ParameterizedTest(name = "value {0} is refused")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteNumbersAreRefusedEverywhere(double bad) {
        assertThrows(IllegalArgumentException.class, () -> new PerfDatum("x", bad, "", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new PerfDatum("x", 1, "", null, null, bad, null));
        assertThrows(IllegalArgumentException.class, () -> new PerfDatum("x", 1, "", null, null, null, bad));
    }

    @Test
    void minAboveMaxIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PerfDatum("x", 1, "", null, null, 10.0, 5.0));
        assertEquals("perfdata min 10 is above max 5", e.getMessage());
    }

    /** A TcpExt counter is an unsigned 64-bit number: a double would round it, a long print it negative. */
    @Test
    void exactItemsKeepEveryDigitOfAnUnsignedCounter() {
        assertEquals("ListenOverflows=18446744073709551615c",
                PerfDatum.exactItem("ListenOverflows", Long.toUnsignedString(-1L), "c"));
        assertEquals("somaxconn=4096", PerfDatum.exactItem("somaxconn", "4096", ""));
        assertThrows(IllegalArgumentException.class, () -> PerfDatum.exactItem("x", "-1", "c"));
        assertThrows(IllegalArgumentException.class, () -> PerfDatum.exactItem("x", "", "c"));
        assertThrows(IllegalArgumentException.class, () -> PerfDatum.exactItem("x", "1", "apples"));
        assertThrows(IllegalArgumentException.class, () -> PerfDatum.exactItem("a=b", "1", ""));
    }

    @Test
    void outputIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            PerfDatum datum = new PerfDatum("x", 1234.5, "s", Range.parse("0.5:1000.25"), null, 0.25, null);
            assertEquals("x=1234.5s;0.5:1000.25;;0.25", datum.toString());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void icingaAndPnpReadValuesAndFieldsBack() {
        String perfdata = String.join(" ",
                new PerfDatum(PerfLabel.of("/tmp/my sock".getBytes(java.nio.charset.StandardCharsets.UTF_8), "inode 7", "fill"), 42.5, "%", Range.parse("80"), Range.parse("90"), 0.0, 100.0).toString(),
                new PerfDatum(PerfLabelTest.label("@a,b", "pending"), 3, "", null, Range.parse("10:"), null, null).toString());
        assertEquals(List.of(
                new PerfdataConsumers.Item("/tmp/my%20sock inode 7:fill", "42.5%;80;90;0;100"),
                new PerfdataConsumers.Item("@a%2Cb:pending", "3;;10:")),
                PerfdataConsumers.icinga2(perfdata));
        assertEquals(List.of(
                new PerfdataConsumers.Item("/tmp/my%20sock inode 7:fill", "42.5%"),
                new PerfdataConsumers.Item("@a%2Cb:pending", "3")),
                PerfdataConsumers.pnp4nagios(perfdata));
    }
}
