package org.checksocketbacklog.plugin;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Numbers as plain ASCII decimal text: digits, an optional leading '-', an optional '.', and
 * never an exponent, a grouping separator or a locale's decimal comma.
 *
 * <p>Perfdata consumers accept only that shape: the guidelines limit values to the class
 * {@code [-0-9.]}, and PNP4Nagios' {@code _parse} in process_perfdata.pl matches values with
 * {@code [\d\.\-]+}, so "1.0E-7" or "1,5" would make it drop the whole perfdata line.
 */
public final class PlainNumber {

    // Below 2^53 every integral double is exactly a long, so the common case (counts, queue
    // lengths) needs no BigDecimal at all; that keeps the per-check start-up path small.
    private static final double LONG_EXACT_LIMIT = 9.007199254740992E15;

    private PlainNumber() {
    }

    /**
     * The value rounded HALF_UP to at most {@code maxDecimals} places, with trailing zeros and
     * a trailing dot removed, and no "-0".
     *
     * <p>Rounding applies to the shortest decimal text of the double (as {@link Double#toString}
     * gives it), so 2.675 becomes "2.68" as a reader expects, although the binary value lies
     * just below 2.675.
     *
     * @throws IllegalArgumentException if the value is NaN or infinite, or maxDecimals is negative
     */
    public static String format(double value, int maxDecimals) {
        if (maxDecimals < 0) {
            throw new IllegalArgumentException("maxDecimals must not be negative: " + maxDecimals);
        }
        requireFinite(value);
        if (isSmallIntegral(value)) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(maxDecimals, RoundingMode.HALF_UP);
        return plain(rounded);
    }

    /**
     * The shortest plain decimal text that parses back (with {@link Double#parseDouble}) to
     * exactly this value; used where a number must survive a round trip, as in range text.
     *
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public static String exact(double value) {
        requireFinite(value);
        if (isSmallIntegral(value)) {
            return Long.toString((long) value);
        }
        return plain(BigDecimal.valueOf(value));
    }

    private static boolean isSmallIntegral(double value) {
        // (long) -0.0 is 0, so negative zero comes out as "0" here too.
        return Math.abs(value) < LONG_EXACT_LIMIT && value == Math.rint(value);
    }

    private static String plain(BigDecimal number) {
        if (number.signum() == 0) {
            // Covers values that round to zero from below: BigDecimal has no negative zero,
            // but a scale above 0 would still print "0.0000".
            return "0";
        }
        return number.stripTrailingZeros().toPlainString();
    }

    private static void requireFinite(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("not a finite number: " + value);
        }
    }
}
