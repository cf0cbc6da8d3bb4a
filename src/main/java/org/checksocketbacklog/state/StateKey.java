package org.checksocketbacklog.state;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which check a state belongs to: its selectors and its network namespace, and nothing else, so
 * that the runs of one check share a state and two checks never do. The file name is a 64-bit
 * FNV-1a hash of the key, the key itself is inside the file, and a file whose key differs is
 * refused, so that a hash collision cannot mix two checks up.
 */
public final class StateKey {
    private StateKey() {
    }

    /**
     * @param sockets  the -s patterns, as given
     * @param ports    the -p selectors, as given
     * @param excluded the --exclude selectors, as given
     * @param netns    the network namespace ("net:[4026531840]")
     */
    public static String of(List<String> sockets, List<String> ports, List<String> excluded, String netns) {
        return "netns=" + netns + " sockets=" + sortedList(sockets) + " ports=" + sortedList(ports) + " exclude="
                + sortedList(excluded);
    }

    /** One line, whatever the selectors hold: each quoted, with backslash escapes for \, " and controls. */
    private static String sortedList(List<String> values) {
        List<String> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < sorted.size(); i++) {
            text.append(i == 0 ? "\"" : ",\"");
            String value = sorted.get(i);
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
