package org.checksocketbacklog.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TcpExt counters one run read, kept for the next run of the same check: with what identifies
 * the boot and the network namespace they belong to, and when they were read.
 *
 * <p>Written as text, one field a line, so that an operator can read it and a damaged file is
 * told from a good one: a magic first line with the format's version, then {@code key},
 * {@code boot_id}, {@code netns}, {@code time_ms} and one {@code counter NAME VALUE} line per
 * counter (VALUE unsigned decimal), and {@code end} last, so that a file cut short is not taken
 * for a whole one.
 *
 * @param key        which check the state belongs to ({@link StateKey})
 * @param bootId     /proc/sys/kernel/random/boot_id when the counters were read
 * @param netns      the network namespace ("net:[4026531840]")
 * @param netnsCookie the namespace's SO_NETNS_COOKIE, 0 when unknown: an inode is given again to a
 *                    namespace made after the old one is gone, a cookie never is in one boot
 * @param timeMillis when they were read, milliseconds since the epoch
 * @param counters   name to value, unsigned 64-bit, in the order read
 */
public record CounterState(String key, String bootId, String netns, long netnsCookie, long timeMillis,
        Map<String, Long> counters) {
    static final String MAGIC = "check_socket_backlog counter state 1";
    /** A state file is a few hundred bytes; anything much bigger is not one of ours. */
    static final int MAX_BYTES = 16 * 1024;

    public String encode() {
        StringBuilder text = new StringBuilder(256);
        text.append(MAGIC).append('\n');
        text.append("key ").append(key).append('\n');
        text.append("boot_id ").append(bootId).append('\n');
        text.append("netns ").append(netns).append('\n');
        text.append("netns_cookie ").append(Long.toUnsignedString(netnsCookie)).append('\n');
        text.append("time_ms ").append(timeMillis).append('\n');
        for (Map.Entry<String, Long> counter : counters.entrySet()) {
            text.append("counter ").append(counter.getKey()).append(' ')
                    .append(Long.toUnsignedString(counter.getValue())).append('\n');
        }
        return text.append("end\n").toString();
    }

    /**
     * Reads what {@link #encode} wrote.
     *
     * @throws StateFormatException if the text is not a whole state file of this format; its
     *                              message says what is wrong, and whether the file is another
     *                              program's ({@link StateFormatException#foreign()})
     */
    public static CounterState decode(String text) throws StateFormatException {
        if (!text.startsWith(MAGIC + "\n")) {
            // Empty, or cut short inside the first line: ours, damaged (a crash of the file system
            // under the rename, a full disk); anything else is another program's file.
            boolean cutShort = (MAGIC + "\n").startsWith(text);
            throw new StateFormatException(cutShort ? "it is cut short (" + text.length() + " bytes)"
                    : "it does not begin with \"" + MAGIC + "\"", !cutShort);
        }
        String[] lines = text.substring(MAGIC.length() + 1).split("\n", -1);
        int line = 0;
        String key = field(lines, line++, "key");
        String bootId = field(lines, line++, "boot_id");
        String netns = field(lines, line++, "netns");
        long cookie = unsigned(field(lines, line++, "netns_cookie"), "netns_cookie", true);
        long time = unsigned(field(lines, line++, "time_ms"), "time_ms", false);
        Map<String, Long> counters = new LinkedHashMap<>();
        while (line < lines.length && lines[line].startsWith("counter ")) {
            String[] parts = lines[line].split(" ", -1);
            if (parts.length != 3 || !isName(parts[1]) || counters.containsKey(parts[1])) {
                throw new StateFormatException("line " + (line + 2) + " is not \"counter NAME VALUE\" for a new NAME",
                        false);
            }
            counters.put(parts[1], unsigned(parts[2], "counter " + parts[1], true));
            line++;
        }
        if (line >= lines.length || !lines[line].equals("end") || line + 2 != lines.length || !lines[line + 1].isEmpty()) {
            throw new StateFormatException("it is cut short or has extra lines (no \"end\" line last)", false);
        }
        return new CounterState(key, bootId, netns, cookie, time, counters);
    }

    private static String field(String[] lines, int line, String name) throws StateFormatException {
        if (line >= lines.length || !lines[line].startsWith(name + " ") || lines[line].length() == name.length() + 1) {
            throw new StateFormatException("line " + (line + 2) + " is not \"" + name + " VALUE\"", false);
        }
        return lines[line].substring(name.length() + 1);
    }

    /** Plain decimal digits; up to 2^64 - 1 when {@code full64}, else up to Long.MAX_VALUE. */
    private static long unsigned(String text, String what, boolean full64) throws StateFormatException {
        boolean digits = !text.isEmpty() && text.length() <= 20;
        for (int i = 0; digits && i < text.length(); i++) {
            digits = text.charAt(i) >= '0' && text.charAt(i) <= '9';
        }
        if (digits && (text.length() == 1 || text.charAt(0) != '0')) {
            try {
                long value = Long.parseUnsignedLong(text);
                if (full64 || value >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // More than 2^64 - 1: reported below.
            }
        }
        throw new StateFormatException(what + " is \"" + text + "\", not a whole number", false);
    }

    private static boolean isName(String text) {
        if (text.isEmpty() || text.length() > 64) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
