package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdsTest {

    @ParameterizedTest(name = "-w {0} -c {1}, value {2} is {3}: {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "80     | 90     | 50     | OK       | below both ends",
        "80     | 90     | 80     | OK       | the warning end is inclusive",
        "80     | 90     | 80.5   | WARNING  | above warning, below critical",
        "80     | 90     | 90     | WARNING  | the critical end is inclusive",
        "80     | 90     | 90.5   | CRITICAL | above critical",
        "80     | 90     | -1     | CRITICAL | below the implied 0 of both ranges, critical wins",
        "-      | 90     | 85     | OK       | no warning range: only critical can alert",
        "-      | 90     | 95     | CRITICAL | no warning range, critical alerts",
        "80     | -      | 95     | WARNING  | no critical range: at most warning",
        "-      | -      | 1e300  | OK       | no ranges at all: always OK",
        "10:    | 5:     | 7      | WARNING  | low-side thresholds: below warning start",
        "10:    | 5:     | 4      | CRITICAL | low-side thresholds: below critical start",
        "@0:5   | @0:1   | 3      | WARNING  | inside-range thresholds",
        "@0:5   | @0:1   | 1      | CRITICAL | inside both: critical is checked first",
        "~:20   | 10     | 15     | CRITICAL | critical is checked first even when warning is wider",
    })
    void evaluateChecksCriticalThenWarning(String warning, String critical, double value, Status expected, String why) {
        assertEquals(expected, thresholds(warning, critical).evaluate(value));
    }

    @Test
    void recordComponentsAreTheRanges() {
        Thresholds thresholds = new Thresholds(Range.parse("1"), Range.parse("2"));
        assertEquals(Range.parse("1"), thresholds.warning());
        assertEquals(Range.parse("2"), thresholds.critical());
    }

    @Test
    void evaluateRefusesNaNEvenWithoutRanges() {
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(null, null).evaluate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> thresholds("1", "2").evaluate(Double.NaN));
    }

    private static Thresholds thresholds(String warning, String critical) {
        return new Thresholds(warning == null ? null : Range.parse(warning), critical == null ? null : Range.parse(critical));
    }
}
