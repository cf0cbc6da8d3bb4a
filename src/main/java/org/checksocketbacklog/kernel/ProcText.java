package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.List;

/** Reading the kernel's /proc text tables: a header line, then one entry a line, fields space-separated. */
final class ProcText {
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

    /**
     * Splits the first {@code fields.length} space-separated fields of {@code line} into
     * {@code fields}; returns the position just after the last one, or -1 when there are fewer.
     */
    static int split(String line, String[] fields) {
        int position = 0;
        for (int i = 0; i < fields.length; i++) {
            while (position < line.length() && line.charAt(position) == ' ') {
                position++;
            }
            int end = line.indexOf(' ', position);
            if (end < 0) {
                end = line.length();
            }
            if (end == position) {
                return -1;
            }
            fields[i] = line.substring(position, end);
            position = end;
        }
        return position;
    }
}
