package org.checksocketbacklog.plugin;

/**
 * A threshold range in the syntax of the Monitoring Plugins Development Guidelines:
 * {@code [@]start:end}, where a missing {@code start:} means 0, a missing end means +infinity,
 * {@code ~} as start means -infinity, and {@code @} turns "alert outside" into "alert inside".
 * Both endpoints are inclusive.
 *
 * <p>Parsing is strict where the reference parsers (monitoring-plugins' C
 * {@code parse_range_string}, which uses {@code strtod}) silently accept junk: {@code "1:12%"}
 * there means 1..12, here it is an error, because a threshold that means something other
 * than what the operator typed is worse than a refused one. Accepted numbers are
 * {@code -?digits[.digits]} with an optional leading or trailing dot ({@code .5}, {@code 5.}),
 * as strtod and every perfdata consumer read them; refused are {@code +} signs (the
 * guidelines' number class is {@code [-0-9.]}), exponents, hex, NaN, Infinity and whitespace.
 *
 * <p>{@code :N} (empty start) is 0..N, as in both reference parsers (monitoring-plugins'
 * {@code parse_range_string} and Monitoring::Plugin::Range); a lone {@code :} has no number
 * and is refused, as Monitoring::Plugin refuses it. {@code ~:} (no bound at all, never alerts;
 * {@code @~:} always alerts)
 * is accepted, as by the C library and nagiosplugin.
 */
public final class Range {

    private final double start;
    private final double end;
    private final boolean alertInside;

    private Range(double start, double end, boolean alertInside) {
        // Adding 0.0 turns -0.0 into 0.0, so "-0" and "0" are one range for equals and toString.
        this.start = start + 0.0;
        this.end = end + 0.0;
        this.alertInside = alertInside;
    }

    /**
     * Reads range text such as {@code 10}, {@code 10:}, {@code ~:10}, {@code 10:20} or
     * {@code @10:20}.
     *
     * @throws IllegalArgumentException with a message that quotes the text and says what is
     *     wrong with it, e.g. {@code invalid range "1:12%": trailing "%"}
     */
    public static Range parse(String text) {
        if (text == null) {
            throw new InvalidValueException("missing range");
        }
        if (text.isEmpty()) {
            throw invalid(text, "empty range");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw invalid(text, "whitespace is not allowed");
            }
        }
        int pos = 0;
        boolean alertInside = false;
        if (text.charAt(0) == '@') {
            alertInside = true;
            pos = 1;
            if (pos == text.length()) {
                throw invalid(text, "nothing after \"@\"");
            }
        }
        int colon = text.indexOf(':', pos);
        double start;
        double end;
        if (colon < 0) {
            if (text.charAt(pos) == '~') {
                throw invalid(text, "\"~\" must be followed by \":\"");
            }
            start = 0.0;
            end = number(text, pos, text.length(), false);
            if (end < 0) {
                throw invalid(text, "end " + PlainNumber.exact(end) + " is below the implied start 0");
            }
        } else {
            if (colon == pos) {
                // ":N" is 0..N in both reference parsers (the C library's strtod of an empty start,
                // and Monitoring::Plugin::Range, whose tests assert start 0, end N). A lone ":" has
                // no number at all, which Monitoring::Plugin refuses too.
                if (colon + 1 == text.length()) {
                    throw invalid(text, "no number (write \"N:\" for at least N, \"~:N\" for at most N)");
                }
                start = 0.0;
            } else if (text.charAt(pos) == '~') {
                if (colon - pos != 1) {
                    throw invalid(text, "\"~\" must be followed by \":\"");
                }
                start = Double.NEGATIVE_INFINITY;
            } else {
                start = number(text, pos, colon, true);
            }
            if (colon + 1 == text.length()) {
                end = Double.POSITIVE_INFINITY;
            } else {
                end = number(text, colon + 1, text.length(), false);
            }
            if (start > end) {
                throw invalid(text, "start " + PlainNumber.exact(start) + " is above end " + PlainNumber.exact(end));
            }
        }
        return new Range(start, end, alertInside);
    }

    // Reads the number occupying text[from, to); every deviation gets its own message because
    // the text usually comes straight from a command line and the operator needs to know what
    // to fix.
    private static double number(String text, int from, int to, boolean isStart) {
        int i = from;
        if (i < to && text.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < to && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < to && text.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            char first = i < to ? text.charAt(i) : text.charAt(from);
            throw invalid(text, whyNotANumber(text.substring(from, to), first));
        }
        if (i < to) {
            char stop = text.charAt(i);
            if (stop == 'e' || stop == 'E') {
                throw invalid(text, "exponent notation is not allowed");
            }
            if (stop == '~') {
                throw invalid(text, "\"~\" is only valid as the start");
            }
            if ((stop == 'x' || stop == 'X') && i - from == 1 && text.charAt(from) == '0') {
                throw invalid(text, "hexadecimal numbers are not allowed");
            }
            if (isStart) {
                throw invalid(text, "start " + Texts.quoted(text.substring(from, to)) + " is not a number");
            }
            throw invalid(text, "trailing " + Texts.quoted(text.substring(i)));
        }
        double value = Double.parseDouble(text.substring(from, to));
        if (Double.isInfinite(value)) {
            throw invalid(text, "number " + Texts.quoted(text.substring(from, to)) + " is too large");
        }
        return value;
    }

    private static String whyNotANumber(String token, char first) {
        switch (first) {
            case '+':
                return "\"+\" signs are not allowed";
            case '~':
                return "\"~\" is only valid as the start";
            case '@':
                return "\"@\" is only allowed as the first character";
            case ':':
                return "too many \":\"";
            case 'N': case 'n': case 'I': case 'i':
                return "NaN and Infinity are not allowed (use \"~\" as start for no lower bound,"
                        + " or leave the end empty for no upper bound)";
            default:
                return "expected a number at " + Texts.quoted(token);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static InvalidValueException invalid(String text, String reason) {
        return new InvalidValueException("invalid range " + Texts.quoted(text) + ": " + reason);
    }

    /** The lower endpoint; -infinity for {@code ~}. */
    public double start() {
        return start;
    }

    /** The upper endpoint; +infinity when the range text has no end. */
    public double end() {
        return end;
    }

    /** Whether the range alerts for values inside it ({@code @} form) rather than outside. */
    public boolean alertsInside() {
        return alertInside;
    }

    /**
     * Whether {@code value} raises an alert under this range.
     *
     * @throws IllegalArgumentException for NaN: every comparison with NaN is false, so it would
     *     silently pass every threshold; the caller has to report it as unknown instead
     */
    public boolean alerts(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("cannot compare NaN against range " + this);
        }
        boolean inside = start <= value && value <= end;
        return inside == alertInside;
    }

    /**
     * A short phrase for status lines saying when this range alerts: "above 80", "below 10",
     * "outside 10..20", "inside 10..20", "at most 5", "at least 5", "never" or "always".
     */
    public String describe() {
        boolean noStart = start == Double.NEGATIVE_INFINITY;
        boolean noEnd = end == Double.POSITIVE_INFINITY;
        if (alertInside) {
            if (noStart && noEnd) {
                return "always";
            }
            if (noStart) {
                return "at most " + PlainNumber.exact(end);
            }
            if (noEnd) {
                return "at least " + PlainNumber.exact(start);
            }
            return "inside " + PlainNumber.exact(start) + ".." + PlainNumber.exact(end);
        }
        if (noStart && noEnd) {
            return "never";
        }
        if (noStart) {
            return "above " + PlainNumber.exact(end);
        }
        if (noEnd) {
            return "below " + PlainNumber.exact(start);
        }
        return "outside " + PlainNumber.exact(start) + ".." + PlainNumber.exact(end);
    }

    /**
     * Canonical range text that {@link #parse} reads back to an equal range. A start of 0 with
     * a finite end uses the bare {@code N} form, which is also the only threshold form Icinga 2
     * keeps from perfdata (its {@code ParseWarnCritMinMaxToken} drops anything with ':', '~'
     * or '@').
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (alertInside) {
            text.append('@');
        }
        boolean noEnd = end == Double.POSITIVE_INFINITY;
        if (start == 0.0 && !noEnd) {
            return text.append(PlainNumber.exact(end)).toString();
        }
        if (start == Double.NEGATIVE_INFINITY) {
            text.append('~');
        } else {
            text.append(PlainNumber.exact(start));
        }
        text.append(':');
        if (!noEnd) {
            text.append(PlainNumber.exact(end));
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Range)) {
            return false;
        }
        Range that = (Range) other;
        return Double.compare(start, that.start) == 0
                && Double.compare(end, that.end) == 0
                && alertInside == that.alertInside;
    }

    @Override
    public int hashCode() {
        int hash = Double.hashCode(start);
        hash = 31 * hash + Double.hashCode(end);
        return 31 * hash + (alertInside ? 1 : 0);
    }
}
