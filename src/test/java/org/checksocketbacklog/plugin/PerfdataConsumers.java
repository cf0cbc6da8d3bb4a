package org.checksocketbacklog.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only models of how the real consumers cut plugin output into labels, written from the
 * behaviour documented in docs/perfdata-labels.md (not copied from their sources). Tests feed
 * generated perfdata through them to check that every label comes back whole and distinct.
 */
public final class PerfdataConsumers {

    /** One item as a consumer sees it: the label with its quotes removed, and the value text. */
    public record Item(String label, String value) {
    }

    private PerfdataConsumers() {
    }

    /**
     * Nagios core (base/utils.c parse_check_output): the first line is cut at its first '|';
     * what follows is perfdata. Returns {text, perfdata}, or null when the output has more than
     * one line (a newline would move the rest into long output).
     */
    public static String[] nagiosFirstLine(String output) {
        if (output.indexOf('\n') >= 0 || output.indexOf('\r') >= 0) {
            return null;
        }
        int bar = output.indexOf('|');
        if (bar < 0) {
            return new String[] {output, ""};
        }
        return new String[] {output.substring(0, bar), output.substring(bar + 1).strip()};
    }

    /**
     * Nagios core with illegal_macro_output_chars at its sample default: these characters are
     * removed from $SERVICEPERFDATA$ before a perfdata command sees it.
     */
    public static String nagiosMacroCleaned(String perfdata) {
        StringBuilder out = new StringBuilder(perfdata.length());
        for (int i = 0; i < perfdata.length(); i++) {
            char c = perfdata.charAt(i);
            if ("`~$&|'\"<>^".indexOf(c) < 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Icinga 2 (lib/icinga/pluginutility.cpp SplitPerfdata, then lib/base/perfdatavalue.cpp
     * Parse): the label runs from the item start to the first '='; surrounding quotes are
     * stripped when the label is longer than two characters and starts and ends with one; the
     * value runs to the next space. A label containing "::" would make later labels inherit
     * a check_multi prefix, so it is reported as an error here.
     */
    public static List<Item> icinga2(String perfdata) {
        List<Item> items = new ArrayList<>();
        int begin = 0;
        while (true) {
            int eq = perfdata.indexOf('=', begin);
            if (eq < 0) {
                break;
            }
            String label = perfdata.substring(begin, eq).strip();
            if (label.length() > 2 && label.charAt(0) == '\'' && label.charAt(label.length() - 1) == '\'') {
                label = label.substring(1, label.length() - 1);
            }
            if (label.contains("::")) {
                throw new IllegalStateException("check_multi prefix marker in label " + label);
            }
            int space = perfdata.indexOf(' ', eq);
            if (space < 0) {
                space = perfdata.length();
            }
            items.add(new Item(label, perfdata.substring(eq + 1, space)));
            begin = space + 1;
        }
        return items;
    }

    private static final Pattern PNP_CHECK_MULTI = Pattern.compile("^([a-zA-Z0-9\\.\\-_\\s]+)::([a-zA-Z0-9\\.\\-_\\s]+)::([^=]+)=");
    private static final Pattern PNP_ITEM = Pattern.compile(
            "^([^=]+)=([\\d\\.\\-]+)([\\w\\/%]*);?([\\d\\.\\-:~@]+)?;?([\\d\\.\\-:~@]+)?;?([\\d\\.\\-]+)?;?([\\d\\.\\-]+)?;?\\s*");

    /**
     * PNP4Nagios (scripts/process_perfdata.pl, process_perfdata and _parse): commas become
     * dots and blanks around '=' go, then items are cut with a regex whose label is
     * {@code [^=]+}; all single quotes are removed from the label. Returns null where PNP
     * logs "Invalid Perfdata detected" and drops the whole line.
     */
    public static List<Item> pnp4nagios(String perfdata) {
        String rest = perfdata.replace(',', '.').replaceAll("\\s+=", "=").replaceAll("=\\s+", "=") + " ";
        if (PNP_CHECK_MULTI.matcher(rest).find()) {
            throw new IllegalStateException("PNP would read this as check_multi data: " + perfdata);
        }
        List<Item> items = new ArrayList<>();
        while (!rest.isEmpty()) {
            Matcher m = PNP_ITEM.matcher(rest);
            if (!m.find()) {
                return null;
            }
            items.add(new Item(m.group(1).replace("'", ""), m.group(2) + m.group(3)));
            rest = rest.substring(m.end());
        }
        return items;
    }
}
