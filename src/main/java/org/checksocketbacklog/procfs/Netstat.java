package org.checksocketbacklog.procfs;

import java.util.LinkedHashMap;
import java.util.Map;

/** /proc/net/netstat: per protocol, a line of counter names, then a line of their values. */
final class Netstat {
    private Netstat() {
    }

    /**
     * The TcpExt counters among {@code wanted}, in that order; counters this kernel lacks are left
     * out. Values are unsigned 64-bit numbers.
     */
    static Map<String, Long> tcpExt(String text, String file, String[] wanted) throws ProcFileException {
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("TcpExt:") || !lines[i + 1].startsWith("TcpExt:")) {
                continue;
            }
            String[] names = lines[i].substring(7).trim().split(" ");
            String[] values = lines[i + 1].substring(7).trim().split(" ");
            if (names.length != values.length) {
                throw new ProcFileException(file + ": the TcpExt lines have " + names.length + " names but "
                        + values.length + " values");
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            for (String name : wanted) {
                for (int j = 0; j < names.length; j++) {
                    if (names[j].equals(name)) {
                        counters.put(name, unsigned(values[j], file, name));
                    }
                }
            }
            return counters;
        }
        throw new ProcFileException(file + " has no TcpExt lines");
    }

    private static long unsigned(String digits, String file, String name) throws ProcFileException {
        boolean ascii = !digits.isEmpty() && digits.length() <= 20;
        for (int i = 0; ascii && i < digits.length(); i++) {
            ascii = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        try {
            if (ascii) {
                return Long.parseUnsignedLong(digits);
            }
        } catch (NumberFormatException e) {
            // above 2^64 - 1: the message below
        }
        throw new ProcFileException(file + ": TcpExt " + name + " is \"" + digits + "\", not a number");
    }
}
