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
 *
 * <p>Two more, for Icinga Web (see {@link ItemLine} for where it says so): the {@code [} or
 * {@code (} that opens a state word it draws as a state ball ({@code [OK]}, {@code (CRITICAL)},
 * {@code [DOWN)}, ...), so that only the item lines' own tags show a state; and every {@code <},
 * because output with something like a tag in it is taken for HTML there, whose line breaks and
 * state balls a name could then write.
 */
final class OutputText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** What Icinga Web draws as a state ball between brackets or parentheses, in its case. */
    private static final String[] STATE_WORDS = {"OK", "WARNING", "CRITICAL", "UNKNOWN", "UP", "DOWN", "INFO"};

    private OutputText() {
    }

    static String sanitize(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (!mustEscape(c) && !((c == '[' || c == '(') && opensStateWord(text, next))) {
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

    /** Whether a state word and {@code ]} or {@code )} come at {@code at}. */
    private static boolean opensStateWord(String text, int at) {
        for (String word : STATE_WORDS) {
            int end = at + word.length();
            if (end < text.length() && text.startsWith(word, at)
                    && (text.charAt(end) == ']' || text.charAt(end) == ')')) {
                return true;
            }
        }
        return false;
    }

    private static boolean mustEscape(int c) {
        if (c < 0x80) {
            return c < 0x20 || c == 0x7F || c == '|' || c == '\\' || c == '<';
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
