package org.checksocketbacklog.plugin;

/**
 * One performance data item, {@code label=value[UOM];[warn];[crit];[min];[max]}.
 *
 * @param label text from {@link PerfLabel}, quotes included; nothing else is accepted
 * @param value the measurement; must be finite (no "U": PNP4Nagios rejects the whole perfdata
 *     string when a value is not numeric)
 * @param unit one of "", s, ms, us, %, B, KB, MB, TB, c
 * @param warning warning range, or null
 * @param critical critical range, or null
 * @param min lower bound of possible values, or null
 * @param max upper bound of possible values, or null
 */
public record PerfDatum(String label, double value, String unit, Range warning, Range critical, Double min, Double max) {

    // Values, min and max are printed with at most this many decimals: enough for
    // percentages and seconds, short enough for the 8 KiB output limit of older cores.
    private static final int DECIMALS = 4;

    public PerfDatum {
        if (!PerfLabel.isValid(label)) {
            throw new IllegalArgumentException("invalid perfdata label "
                    + (label == null ? "null" : Texts.quoted(label)) + ": build labels with PerfLabel");
        }
        requireFinite("value", value);
        if (unit == null || !isUnit(unit)) {
            throw new IllegalArgumentException("invalid perfdata unit "
                    + (unit == null ? "null" : Texts.quoted(unit)) + ": expected one of \"\", s, ms, us, %, B, KB, MB, TB, c");
        }
        if (min != null) {
            requireFinite("min", min);
        }
        if (max != null) {
            requireFinite("max", max);
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("perfdata min " + PlainNumber.exact(min)
                    + " is above max " + PlainNumber.exact(max));
        }
    }

    /**
     * An item without thresholds or bounds whose value is an exact whole number given as decimal
     * text, such as an unsigned 64-bit counter, which a double would round.
     *
     * @throws IllegalArgumentException for a label PerfLabel did not make, a unit outside the list,
     *     or a value that is not ASCII digits
     */
    public static String exactItem(String label, String digits, String unit) {
        if (!PerfLabel.isValid(label)) {
            throw new IllegalArgumentException("invalid perfdata label " + Texts.quoted(label)
                    + ": build labels with PerfLabel");
        }
        if (!isUnit(unit)) {
            throw new IllegalArgumentException("invalid perfdata unit " + Texts.quoted(unit));
        }
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("an empty perfdata value");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new IllegalArgumentException("perfdata value " + Texts.quoted(digits) + " is not a whole number");
            }
        }
        return label + '=' + digits + unit;
    }

    private static boolean isUnit(String unit) {
        switch (unit) {
            case "": case "s": case "ms": case "us": case "%":
            case "B": case "KB": case "MB": case "TB": case "c":
                return true;
            default:
                return false;
        }
    }

    private static void requireFinite(String what, double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            throw new IllegalArgumentException("perfdata " + what + " must be a finite number, not " + number);
        }
    }

    /** A value as an item writes it: plain decimal, at most 4 decimals. */
    public static String valueText(double value) {
        return PlainNumber.format(value, DECIMALS);
    }

    /** The item in perfdata syntax, with trailing empty fields dropped as the guidelines allow. */
    @Override
    public String toString() {
        String[] fields = {
            warning == null ? "" : warning.toString(),
            critical == null ? "" : critical.toString(),
            min == null ? "" : PlainNumber.format(min, DECIMALS),
            max == null ? "" : PlainNumber.format(max, DECIMALS),
        };
        int used = fields.length;
        while (used > 0 && fields[used - 1].isEmpty()) {
            used--;
        }
        StringBuilder text = new StringBuilder(label.length() + 32);
        text.append(label).append('=').append(PlainNumber.format(value, DECIMALS)).append(unit);
        for (int i = 0; i < used; i++) {
            text.append(';').append(fields[i]);
        }
        return text.toString();
    }
}
