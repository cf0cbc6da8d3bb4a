package org.checksocketbacklog.procfs;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading the kernel's /proc text tables: a header line, then one entry a line, fields
 * space-separated. Numbers are read strictly: the kernel prints plain hex or decimal digits, so a
 * sign, a non-ASCII digit or more digits than the field has is a malformed (or forged) file, not a
 * number to be read leniently as Long.parseLong would.
 */
public final class ProcText {
    private ProcText() {
    }

    /** The header line, without its newline. */
    static String header(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The lines after the header, as printed (a trailing newline ends the last one). */
    static List<String> body(String text) {
        List<String> lines = new ArrayList<>();
        int start = text.indexOf('\n') + 1;
        if (start == 0) {
            return lines;
        }
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    /** {@link #split(String, int, int, String[])} over a whole line. */
    static int split(String line, String[] fields) {
        return split(line, 0, line.length(), fields);
    }

    /**
     * Splits the first {@code fields.length} space-separated fields of {@code text[start, end)} into
     * {@code fields}; returns the position just after the last one, or -1 when there are fewer.
     */
    static int split(String text, int start, int end, String[] fields) {
        int position = start;
        for (int i = 0; i < fields.length; i++) {
            while (position < end && text.charAt(position) == ' ') {
                position++;
            }
            int fieldEnd = position;
            while (fieldEnd < end && text.charAt(fieldEnd) != ' ') {
                fieldEnd++;
            }
            if (fieldEnd == position) {
                return -1;
            }
            fields[i] = text.substring(position, fieldEnd);
            position = fieldEnd;
        }
        return position;
    }

    /** 1 to {@code maxDigits} ASCII hex digits as a number, or -1 for anything else. */
    static long hex(String text, int maxDigits) {
        if (text.isEmpty() || text.length() > maxDigits || maxDigits > 15) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** 1 to 18 ASCII decimal digits as a number, or -1 for anything else (a pid, an inode, a /proc field). */
    public static long decimal(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
