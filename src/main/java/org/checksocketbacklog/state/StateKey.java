package org.checksocketbacklog.state;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which check a state belongs to: its whole command line, as the Monitoring Plugins C library keys
 * state, and its network namespace. Two services that differ in any option (thresholds, -v, the
 * selectors' order) are two checks with two states, so that one never takes the other's delta, and
 * a run by hand with other options does not take the service's. The file name is a 64-bit FNV-1a
 * hash of the key; the key itself is inside the file, and a file whose key differs is taken for a
 * damaged one.
 */
public final class StateKey {
    private StateKey() {
    }

    /**
     * @param arguments the check's arguments, as given
     * @param netns     the network namespace ("net:[4026531840]")
     */
    public static String of(List<String> arguments, String netns) {
        return "netns=" + netns + " arguments=" + quotedList(arguments);
    }

    /** One line, whatever the arguments hold: each quoted, with backslash escapes for \, " and controls. */
    private static String quotedList(List<String> values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "\"" : ",\"");
            String value = values.get(i);
            for (int j = 0; j < value.length(); j++) {
                char c = value.charAt(j);
                if (c == '\\' || c == '"') {
                    text.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                    text.append(String.format("\\u%04x", (int) c));
                } else {
                    text.append(c);
                }
            }
            text.append('"');
        }
        return text.append(']').toString();
    }

    /** The state file's name for a key: "state-" and 16 hex digits. */
    static String fileName(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "state-" + "0".repeat(16 - hex.length()) + hex;
    }
}
