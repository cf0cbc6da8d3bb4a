package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RangeTest {

    @ParameterizedTest(name = "\"{0}\" at {1} alerts={2}: {3}")
    @CsvSource(delimiter = '|', value = {
        // N: alert if < 0 or > N
        "10       | -0.0001   | true  | just below the implied start 0 alerts",
        "10       | 0         | false | the implied start 0 is inclusive",
        "10       | 5         | false | a value inside 0..10 is fine",
        "10       | 10        | false | the end is inclusive",
        "10       | 10.0001   | true  | just above the end alerts",
        "10       | Infinity  | true  | +infinity is above the end",
        "10       | -Infinity | true  | -infinity is below the implied start",
        // N: alert if < N
        "10:      | 9.9999    | true  | just below the start alerts",
        "10:      | 10        | false | the start is inclusive",
        "10:      | 1e300     | false | there is no upper bound",
        "10:      | Infinity  | false | not even +infinity is above a missing end",
        // ~:N: alert if > N
        "~:10     | -1e300    | false | there is no lower bound",
        "~:10     | -Infinity | false | not even -infinity is below ~",
        "~:10     | 10        | false | the end is inclusive",
        "~:10     | 10.0001   | true  | just above the end alerts",
        // N:M: alert outside
        "10:20    | 9.9999    | true  | just below the start alerts",
        "10:20    | 10        | false | the start is inclusive",
        "10:20    | 15        | false | the middle is fine",
        "10:20    | 20        | false | the end is inclusive",
        "10:20    | 20.0001   | true  | just above the end alerts",
        // @N:M: alert inside, inclusive
        "@10:20   | 9.9999    | false | just below an inside range is fine",
        "@10:20   | 10        | true  | the start of an inside range alerts",
        "@10:20   | 15        | true  | the middle of an inside range alerts",
        "@10:20   | 20        | true  | the end of an inside range alerts",
        "@10:20   | 20.0001   | false | just above an inside range is fine",
        // @ on every other form
        "@10      | -0.0001   | false | below the implied start is outside @10",
        "@10      | 0         | true  | the implied start 0 is inside @10",
        "@10      | 10        | true  | the end is inside @10",
        "@10      | 10.0001   | false | just above the end is outside @10",
        "@10:     | 9.9999    | false | just below the start is outside @10:",
        "@10:     | 10        | true  | the start is inside @10:",
        "@10:     | 1e300     | true  | everything above the start is inside @10:",
        "@~:10    | -1e300    | true  | everything below the end is inside @~:10",
        "@~:10    | 10        | true  | the end is inside @~:10",
        "@~:10    | 10.0001   | false | just above the end is outside @~:10",
        // negatives and decimals
        "-5:-1    | -5.0001   | true  | just below a negative start alerts",
        "-5:-1    | -5        | false | a negative start is inclusive",
        "-5:-1    | -3        | false | between two negative endpoints is fine",
        "-5:-1    | -1        | false | a negative end is inclusive",
        "-5:-1    | -0.9999   | true  | just above a negative end alerts",
        "-10:     | -10.0001  | true  | just below a negative start alerts",
        "-10:     | -10       | false | a negative start is inclusive",
        "0.5      | 0.5       | false | a decimal end is inclusive",
        "0.5      | 0.5001    | true  | just above a decimal end alerts",
        ".5       | 0.5       | false | a leading-dot end means 0.5",
        ".5       | 0.5001    | true  | just above a leading-dot end alerts",
        "5.       | 5         | false | a trailing-dot end means 5",
        "5.       | 5.0001    | true  | just above a trailing-dot end alerts",
        // degenerate ranges
        "5:5      | 4.9999    | true  | just below a one-point range alerts",
        "5:5      | 5         | false | the single point is fine",
        "5:5      | 5.0001    | true  | just above a one-point range alerts",
        "@5:5     | 5         | true  | the single point of an inside range alerts",
        "@5:5     | 5.0001    | false | next to the single point is fine",
        "~:       | -1e308    | false | a range without bounds never alerts",
        "~:       | 1e308     | false | a range without bounds never alerts",
        "@~:      | 0         | true  | an inside range without bounds always alerts",
        "@~:      | -Infinity | true  | an inside range without bounds always alerts",
        "0        | 0         | false | zero is the whole of range 0",
        "0        | 0.0001    | true  | anything above zero breaks range 0",
        "-0       | -0.0001   | true  | -0 is the same as 0",
    })
    void alertsBoundaryByBoundary(String range, double value, boolean alerts, String why) {
        assertEquals(alerts, Range.parse(range).alerts(value));
    }

    @ParameterizedTest(name = "\"{0}\" is [{1}, {2}], inside={3}")
    @CsvSource({
        "10, 0, 10, false",
        "10:, 10, Infinity, false",
        "~:10, -Infinity, 10, false",
        "10:20, 10, 20, false",
        "@10:20, 10, 20, true",
        "@10, 0, 10, true",
        "~:, -Infinity, Infinity, false",
        "-10:-5, -10, -5, false",
        "-.5:.5, -0.5, 0.5, false",
        // ":N" is 0..N, as monitoring-plugins' parse_range_string and Monitoring::Plugin::Range read it.
        ":5, 0, 5, false",
        "@:5, 0, 5, true",
        ":0, 0, 0, false",
    })
    void parseReadsEndpointsAndDirection(String text, double start, double end, boolean inside) {
        Range range = Range.parse(text);
        assertEquals(start, range.start());
        assertEquals(end, range.end());
        assertEquals(inside, range.alertsInside());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
            Arguments.of("", "empty range"),
            Arguments.of("@", "nothing after \"@\""),
            Arguments.of("10:5", "start 10 is above end 5"),
            Arguments.of("-1:-2", "start -1 is above end -2"),
            Arguments.of("@10:5", "start 10 is above end 5"),
            Arguments.of("-5", "end -5 is below the implied start 0"),
            Arguments.of("1:12%", "trailing \"%\""),
            Arguments.of("5x", "trailing \"x\""),
            Arguments.of("1:2:3", "trailing \":3\""),
            Arguments.of("1.2.3", "trailing \".3\""),
            Arguments.of("1,5", "trailing \",5\""),
            Arguments.of("1::3", "too many \":\""),
            Arguments.of("NaN", "NaN and Infinity are not allowed (use \"~\" as start for no lower bound, or leave the end empty for no upper bound)"),
            Arguments.of("nan:", "NaN and Infinity are not allowed (use \"~\" as start for no lower bound, or leave the end empty for no upper bound)"),
            Arguments.of("Infinity", "NaN and Infinity are not allowed (use \"~\" as start for no lower bound, or leave the end empty for no upper bound)"),
            Arguments.of("-Infinity:0", "NaN and Infinity are not allowed (use \"~\" as start for no lower bound, or leave the end empty for no upper bound)"),
            Arguments.of("0:inf", "NaN and Infinity are not allowed (use \"~\" as start for no lower bound, or leave the end empty for no upper bound)"),
            Arguments.of("0x10", "hexadecimal numbers are not allowed"),
            Arguments.of("0X1F:", "hexadecimal numbers are not allowed"),
            Arguments.of("+5", "\"+\" signs are not allowed"),
            Arguments.of("1:+5", "\"+\" signs are not allowed"),
            Arguments.of("+1:5", "\"+\" signs are not allowed"),
            Arguments.of("1e3", "exponent notation is not allowed"),
            Arguments.of("1E3:", "exponent notation is not allowed"),
            Arguments.of("0:1e-3", "exponent notation is not allowed"),
            Arguments.of(" 5", "whitespace is not allowed"),
            Arguments.of("5 ", "whitespace is not allowed"),
            Arguments.of("1: 5", "whitespace is not allowed"),
            Arguments.of("5\t", "whitespace is not allowed"),
            Arguments.of("5\n", "whitespace is not allowed"),
            Arguments.of("\u00A05", "whitespace is not allowed"),
            Arguments.of(":", "no number (write \"N:\" for at least N, \"~:N\" for at most N)"),
            Arguments.of("@:", "no number (write \"N:\" for at least N, \"~:N\" for at most N)"),
            Arguments.of(":-5", "start 0 is above end -5"),
            Arguments.of(":x", "expected a number at \"x\""),
            Arguments.of("~", "\"~\" must be followed by \":\""),
            Arguments.of("@~", "\"~\" must be followed by \":\""),
            Arguments.of("~5", "\"~\" must be followed by \":\""),
            Arguments.of("~5:", "\"~\" must be followed by \":\""),
            Arguments.of("~~:", "\"~\" must be followed by \":\""),
            Arguments.of("5:~", "\"~\" is only valid as the start"),
            Arguments.of("5~", "\"~\" is only valid as the start"),
            Arguments.of("@@5", "\"@\" is only allowed as the first character"),
            Arguments.of("5:@6", "\"@\" is only allowed as the first character"),
            Arguments.of("abc", "expected a number at \"abc\""),
            Arguments.of(".", "expected a number at \".\""),
            Arguments.of("-", "expected a number at \"-\""),
            Arguments.of("-.", "expected a number at \"-.\""),
            Arguments.of("--5", "expected a number at \"--5\""),
            Arguments.of("-:5", "expected a number at \"-\""),
            Arguments.of("x:5", "expected a number at \"x\""),
            Arguments.of("\u0663", "expected a number at \"\u0663\""),
            Arguments.of("5x:10", "start \"5x\" is not a number"),
            Arguments.of("5%:10", "start \"5%\" is not a number"),
            Arguments.of("1" + "0".repeat(400), "number \"1" + "0".repeat(400) + "\" is too large"),
            Arguments.of("a\nb", "whitespace is not allowed"),
            Arguments.of("1|2", "trailing \"|2\"")
        );
    }

    @ParameterizedTest(name = "\"{0}\" is refused: {1}")
    @MethodSource("rejected")
    void parseRefusesWithAMessageNamingTextAndProblem(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.parse(text));
        assertEquals("invalid range " + Texts.quoted(text) + ": " + reason, e.getMessage());
    }

    @Test
    void theBriefsExampleMessageIsProducedVerbatim() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.parse("1:12%"));
        assertEquals("invalid range \"1:12%\": trailing \"%\"", e.getMessage());
    }

    @Test
    void parseRefusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Range.parse(null));
        assertEquals("missing range", e.getMessage());
    }


    @ParameterizedTest(name = "\"{0}\" is written \"{1}\"")
    @CsvSource({
        "10, 10",
        "0:10, 10",
        "10:, 10:",
        "0:, 0:",
        "~:10, ~:10",
        "~:0, ~:0",
        "~:-3, ~:-3",
        "10:20, 10:20",
        "@10:20, @10:20",
        "@10, @10",
        "@0:10, @10",
        "@10:, @10:",
        "@~:10, @~:10",
        "~:, ~:",
        "@~:, @~:",
        ".5, 0.5",
        "5., 5",
        "-.5:, -0.5:",
        "-0, 0",
        "-0:0, 0",
        "-0:, 0:",
        "010, 10",
        "-5:-1, -5:-1",
        "0.1:0.3, 0.1:0.3",
        "0.0000001, 0.0000001",
        "10.50:20.250, 10.5:20.25",
        "100000000000000000000, 100000000000000000000",
    })
    void toStringIsCanonicalAndParsesBackEqual(String text, String canonical) {
        Range range = Range.parse(text);
        assertEquals(canonical, range.toString());
        assertEquals(range, Range.parse(range.toString()));
    }

    @Test
    void toStringRoundTripsForRandomEndpointsOfEveryForm() {
        Random random = new Random(42L);
        for (int i = 0; i < 10_000; i++) {
            double a = randomFinite(random);
            double b = randomFinite(random);
            double start = Math.min(a, b);
            double end = Math.max(a, b);
            switch (i % 4) {
                case 1 -> start = Double.NEGATIVE_INFINITY;
                case 2 -> end = Double.POSITIVE_INFINITY;
                case 3 -> start = 0.0;
                default -> { }
            }
            if (start > end) {
                continue;
            }
            for (Range range : new Range[] {range(start, end, false), range(start, end, true)}) {
                String text = range.toString();
                assertEquals(range, Range.parse(text), text);
                assertFalse(text.contains("E"), text);
            }
        }
    }

    private static double randomFinite(Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return random.nextInt(2001) - 1000;
            case 1:
                return (random.nextDouble() - 0.5) * 1e6;
            default:
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (Double.isNaN(value) || Double.isInfinite(value));
                return value;
        }
    }

    @Test
    void textIsLocaleIndependent() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Range range = Range.parse("0.5:1234.75");
            assertEquals("0.5:1234.75", range.toString());
            assertEquals("outside 0.5..1234.75", range.describe());
            assertEquals(range, Range.parse(range.toString()));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @ParameterizedTest(name = "\"{0}\" is described as \"{1}\"")
    @CsvSource({
        "~:80, above 80",
        "10:, below 10",
        "10:20, outside 10..20",
        "@10:20, inside 10..20",
        "80, outside 0..80",
        "@80, inside 0..80",
        "@~:5, at most 5",
        "@5:, at least 5",
        "~:, never",
        "@~:, always",
        "-2.5:0.25, outside -2.5..0.25",
    })
    void describeGivesAPhraseForStatusLines(String text, String phrase) {
        assertEquals(phrase, Range.parse(text).describe());
    }

    @Test
    void equalRangesHaveEqualHashCodes() {
        assertEquals(Range.parse("10"), Range.parse("0:10"));
        assertEquals(Range.parse("10").hashCode(), Range.parse("0:10").hashCode());
        assertEquals(Range.parse("-0:5"), Range.parse("0:5"));
        assertEquals(Range.parse("-0:5").hashCode(), Range.parse("0:5").hashCode());
        assertEquals(Range.parse("0:10"), Range.parse("10"));
        assertEquals(range(Double.NEGATIVE_INFINITY, 3, true), Range.parse("@~:3"));
    }

    @Test
    void rangesDifferingInAnyPartAreNotEqual() {
        assertNotEquals(Range.parse("10:20"), Range.parse("@10:20"));
        assertNotEquals(Range.parse("10:20"), Range.parse("10:21"));
        assertNotEquals(Range.parse("10:20"), Range.parse("11:20"));
        assertNotEquals(Range.parse("10:"), Range.parse("~:10"));
        assertNotEquals(Range.parse("10"), null);
        assertNotEquals(Range.parse("10"), (Object) "10");
    }

    @Test
    void alertsRefusesNaNBecauseEveryComparisonWithItIsFalse() {
        assertThrows(IllegalArgumentException.class, () -> Range.parse("10").alerts(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Range.parse("@10").alerts(Double.NaN));
    }

    /** A range from its endpoints, through the text it would be written as. */
    private static Range range(double start, double end, boolean inside) {
        String startText = start == Double.NEGATIVE_INFINITY ? "~" : PlainNumber.exact(start);
        String endText = end == Double.POSITIVE_INFINITY ? "" : PlainNumber.exact(end);
        return Range.parse((inside ? "@" : "") + startText + ":" + endText);
    }
}
