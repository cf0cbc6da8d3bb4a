package org.checksocketbacklog.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Host-wide TCP figures of this network namespace: the SYN-queue settings and the overflow
 * counters of /proc/net/netstat. The counters count packets (each retransmitted SYN again), not
 * connections, and cover every listener: graph them as rates.
 *
 * @param maxSynBacklog net.ipv4.tcp_max_syn_backlog
 * @param syncookies    net.ipv4.tcp_syncookies (0 off, 1 when the SYN queue overflows, 2 always)
 * @param counters      the TcpExt counters below, in this order; absent ones are left out
 */
public record TcpHostFigures(int maxSynBacklog, int syncookies, Map<String, Long> counters) {
    /** TcpExt counters that tell a listen queue overflowed, in the order they are reported. */
    public static final String[] COUNTERS = {
        "ListenOverflows", "ListenDrops", "TCPReqQFullDrop", "TCPReqQFullDoCookies", "SyncookiesSent",
    };

    /** Picks the TcpExt counters out of /proc/net/netstat: a line of names, then a line of values. */
    static Map<String, Long> parseNetstat(String text, String file) throws KernelReadException {
        String[] lines = text.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("TcpExt:") || !lines[i + 1].startsWith("TcpExt:")) {
                continue;
            }
            String[] names = lines[i].substring(7).trim().split(" ");
            String[] values = lines[i + 1].substring(7).trim().split(" ");
            if (names.length != values.length) {
                throw new KernelReadException(file + ": the TcpExt lines have " + names.length + " names but "
                        + values.length + " values");
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            for (String wanted : COUNTERS) {
                for (int j = 0; j < names.length; j++) {
                    if (names[j].equals(wanted)) {
                        try {
                            counters.put(wanted, Long.parseUnsignedLong(values[j]));
                        } catch (NumberFormatException e) {
                            throw new KernelReadException(file + ": TcpExt " + wanted + " is \"" + values[j]
                                    + "\", not a number");
                        }
                    }
                }
            }
            return counters;
        }
        throw new KernelReadException(file + " has no TcpExt lines");
    }
}
