package org.checksocketbacklog.report;

/**
 * The one sanitizer, applied where text becomes output: every line the plugin prints passes
 * through it once, so nothing a socket name or an argument holds can end a line, start perfdata
 * or pass for something else.
 *
 * <p>Made visible as {@code \xNN}, one escape per UTF-8 byte: control characters (C0, DEL and C1,
 * NEL among them), the line and paragraph separators U+2028 and U+2029, the bidirectional
 * formatting characters (which reorder what a web view shows), {@code |} (the core cuts a line
 * there and reads perfdata after it) and {@code \} itself, so that the text stays unambiguous.
 * A byte that was not part of valid UTF-8 (held as U+DC00+byte, see UnixName) is shown as that
 * byte; so are other unpaired surrogates, as their three bytes.
 */
final class OutputText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OutputText() {
    }

    static String sanitize(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair || !mustEscape(c)) {
                if (safe != null) {
                    safe.append(c);
                    if (pair) {
                        safe.append(text.charAt(i + 1));
                    }
                }
                if (pair) {
                    i++;
                }
                continue;
            }
            if (safe == null) {
                safe = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (c >= 0xDC00 && c <= 0xDCFF) {
                escape(safe, c - 0xDC00);
            } else if (c < 0x80) {
                escape(safe, c);
            } else if (c < 0x800) {
                escape(safe, 0xC0 | c >> 6);
                escape(safe, 0x80 | c & 0x3F);
            } else {
                escape(safe, 0xE0 | c >> 12);
                escape(safe, 0x80 | c >> 6 & 0x3F);
                escape(safe, 0x80 | c & 0x3F);
            }
        }
        return safe == null ? text : safe.toString();
    }

    private static boolean mustEscape(char c) {
        if (c < 0x20 || c == 0x7F || c == '|' || c == '\\') {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        return c < 0xA0                              // C1 controls, NEL (U+0085) among them
                || c == '\u2028' || c == '\u2029'    // line and paragraph separators
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069' // bidi formatting
                || Character.isSurrogate(c);         // unpaired (a pair was let through above)
    }

    private static void escape(StringBuilder out, int b) {
        out.append('\\').append('x').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }
}
