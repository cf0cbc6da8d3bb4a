package org.checksocketbacklog.report;

/**
 * The one sanitizer, applied where text becomes output: every line the plugin prints passes
 * through it once, so nothing a socket name or an argument holds can end a line, start perfdata,
 * hide, or pass for other text.
 *
 * <p>Made visible as {@code \xNN}, one escape per UTF-8 byte: {@code |} (the core cuts a line
 * there and reads perfdata after it), {@code \} itself (so that the text stays unambiguous), and
 * every character that is not plainly visible: controls (C0, DEL and C1, NEL among them), format
 * characters (bidirectional overrides, zero-width spaces and joiners, the byte order mark, the soft
 * hyphen, tag characters), separators other than the ASCII space (U+2028, U+2029, the no-break
 * and other spaces), private-use and unassigned code points. A byte that was not part of valid
 * UTF-8 (held as U+DC00+byte, see UnixName) is shown as that byte; other unpaired surrogates as
 * their three bytes. Letters, marks, digits, punctuation and symbols of every script are kept.
 */
final class OutputText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private OutputText() {
    }

    static String sanitize(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (!mustEscape(c)) {
                if (safe != null) {
                    safe.appendCodePoint(c);
                }
                i = next;
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
            } else if (c < 0x10000) {
                escape(safe, 0xE0 | c >> 12);
                escape(safe, 0x80 | c >> 6 & 0x3F);
                escape(safe, 0x80 | c & 0x3F);
            } else {
                escape(safe, 0xF0 | c >> 18);
                escape(safe, 0x80 | c >> 12 & 0x3F);
                escape(safe, 0x80 | c >> 6 & 0x3F);
                escape(safe, 0x80 | c & 0x3F);
            }
            i = next;
        }
        return safe == null ? text : safe.toString();
    }

    private static boolean mustEscape(int c) {
        if (c < 0x80) {
            return c < 0x20 || c == 0x7F || c == '|' || c == '\\';
        }
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
            case Character.SURROGATE: // unpaired: codePointAt returns a pair as one code point
                return true;
            default:
                return false;
        }
    }

    private static void escape(StringBuilder out, int b) {
        out.append('\\').append('x').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }
}
