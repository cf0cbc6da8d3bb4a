package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlainNumberTest {

    @ParameterizedTest(name = "{0} at {1} decimals is {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "1e-7                 | 4 | 0                     | a tiny value rounds to zero without an exponent",
        "1e20                 | 4 | 100000000000000000000 | a huge value is written out in full",
        "-1e20                | 4 | -100000000000000000000| a huge negative value is written out in full",
        "1e16                 | 0 | 10000000000000000     | an integral value beyond the long fast path stays plain",
        "12                   | 0 | 12                    | an integral value has no dot",
        "100                  | 4 | 100                   | trailing zeros of an integer are kept",
        "1.10                 | 4 | 1.1                   | trailing decimal zeros are stripped",
        "1.23456              | 4 | 1.2346                | rounds at the last kept decimal",
        "1.23454              | 4 | 1.2345                | rounds down below the half",
        "0.5                  | 0 | 1                     | HALF_UP rounds a half up",
        "1.5                  | 0 | 2                     | HALF_UP rounds 1.5 up, not to even",
        "2.5                  | 0 | 3                     | HALF_UP rounds 2.5 up, not to even",
        "-0.5                 | 0 | -1                    | HALF_UP rounds a negative half away from zero",
        "-2.5                 | 0 | -3                    | HALF_UP rounds a negative half away from zero",
        "2.675                | 2 | 2.68                  | rounds the decimal text, not the binary value just below",
        "0.00005              | 4 | 0.0001                | a half at the last place rounds up",
        "-0.00005             | 4 | -0.0001               | a negative half at the last place rounds away from zero",
        "-0.00001             | 4 | 0                     | a negative value rounding to zero is not -0",
        "-0.0                 | 4 | 0                     | negative zero is written 0",
        "0.99995              | 4 | 1                     | rounding carries into the integer part and drops the dot",
        "9.99995              | 4 | 10                    | rounding carries across a digit boundary",
        "0.30000000000000004  | 4 | 0.3                   | binary noise is rounded away",
        "123456789.123456     | 4 | 123456789.1235        | large values keep their decimals",
        "4.9e-324             | 4 | 0                     | the smallest subnormal rounds to zero",
        "-7.25                | 1 | -7.3                  | HALF_UP on a negative value",
    })
    void formatWritesPlainRoundedDecimals(double value, int decimals, String expected, String why) {
        assertEquals(expected, PlainNumber.format(value, decimals));
    }

    @Test
    void formatWritesTheLargestDoubleInFullWithoutExponent() {
        String text = PlainNumber.format(Double.MAX_VALUE, 4);
        assertEquals(309, text.length());
        assertTrue(text.startsWith("17976931348623157"));
        assertTrue(text.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    @ParameterizedTest(name = "format({0}) is refused")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void formatRefusesNonFiniteValues(double value) {
        assertThrows(IllegalArgumentException.class, () -> PlainNumber.format(value, 4));
    }

    @Test
    void formatRefusesNegativeDecimals() {
        assertThrows(IllegalArgumentException.class, () -> PlainNumber.format(1.0, -1));
    }

    @ParameterizedTest(name = "exact({0}) is {1}")
    @CsvSource({
        "0.1, 0.1",
        "1e-7, 0.0000001",
        "1e20, 100000000000000000000",
        "-0.0, 0",
        "0.3333333333333333, 0.3333333333333333",
        "-5, -5",
        "2.5e-3, 0.0025",
    })
    void exactWritesTheShortestPlainText(double value, String expected) {
        assertEquals(expected, PlainNumber.exact(value));
    }

    @Test
    void exactParsesBackToTheSameDoubleForRandomValues() {
        Random random = new Random(20240601L);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String text = PlainNumber.exact(value);
            assertFalse(text.indexOf('E') >= 0 || text.indexOf('e') >= 0, text);
            assertEquals(value + 0.0, Double.parseDouble(text), text);
        }
    }

    @ParameterizedTest(name = "exact({0}) is refused")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void exactRefusesNonFiniteValues(double value) {
        assertThrows(IllegalArgumentException.class, () -> PlainNumber.exact(value));
    }

    @Test
    void outputIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1234.5", PlainNumber.format(1234.5, 2));
            assertEquals("-0.25", PlainNumber.exact(-0.25));
            assertEquals("1000000", PlainNumber.format(1e6, 4));
        } finally {
            Locale.setDefault(saved);
        }
    }
}
