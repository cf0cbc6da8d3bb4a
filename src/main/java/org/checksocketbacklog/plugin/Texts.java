package org.checksocketbacklog.plugin;

/**
 * Quoting of user-supplied text inside error messages.
 *
 * <p>Error messages end up on the plugin's status line, which the monitoring core cuts at the
 * first newline and the first {@code |}. Echoing a bad argument verbatim could therefore
 * truncate the message or inject fake performance data, so control characters are shown as
 * escapes and the {@code |} as {@code \|}.
 */
final class Texts {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Texts() {
    }

    /** The text in double quotes, with control characters, quotes, backslashes and pipes escaped. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\u2028' || c == '\u2029') {
                        out.append("\\u")
                                .append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
