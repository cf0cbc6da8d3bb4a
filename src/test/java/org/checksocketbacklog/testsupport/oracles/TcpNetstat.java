package org.checksocketbacklog.testsupport.oracles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code TcpExt} counters of {@code /proc/net/netstat}, to assert how much a test moved them.
 *
 * <p>The file is pairs of lines, {@code "TcpExt: Name1 Name2 ..."} then {@code "TcpExt: v1 v2 ..."}
 * (also IpExt and MPTcpExt). The set and order of names grows between kernel versions, so values
 * are looked up by name, never by position.
 *
 * <p>Two cautions from docs/kernel-facts.md 2.2 and 2.6: the counters belong to the whole network namespace
 * (any other process's drops count too), so assert a delta of <em>at least</em> what the test
 * caused; and ListenOverflows/ListenDrops count dropped SYN <em>packets</em>, so a client whose SYN
 * is retransmitted (about once a second) adds one per retry.
 */
public final class TcpNetstat {
    /** A SYN (or the handshake's final ACK) found the accept queue full. */
    public static final String LISTEN_OVERFLOWS = "ListenOverflows";
    /** Any SYN dropped by a listener, overflow included. */
    public static final String LISTEN_DROPS = "ListenDrops";
    /** The SYN queue was full and syncookies were off: SYN dropped. */
    public static final String REQ_Q_FULL_DROP = "TCPReqQFullDrop";
    /** The SYN queue was full and a syncookie was sent instead. */
    public static final String REQ_Q_FULL_DO_COOKIES = "TCPReqQFullDoCookies";
    public static final String SYNCOOKIES_SENT = "SyncookiesSent";
    /** A bare ACK that TCP_DEFER_ACCEPT swallowed, leaving the request socket in place. */
    public static final String DEFER_ACCEPT_DROP = "TCPDeferAcceptDrop";

    private static final Path NETSTAT = Path.of("/proc/net/netstat");
    private static final String TCP_EXT = "TcpExt:";

    /** The TcpExt counters at one moment, by name. */
    public record Snapshot(Map<String, Long> counters) {
        public Snapshot {
            counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        }

        /** The counter's value; throws if this kernel has no such counter (a typo should not read as 0). */
        public long get(String name) {
            Long v = counters.get(name);
            if (v == null) {
                throw new IllegalArgumentException("no TcpExt counter " + name + " in " + NETSTAT);
            }
            return v;
        }

        /** How much {@code name} grew since {@code before}. */
        public long since(Snapshot before, String name) {
            return get(name) - before.get(name);
        }
    }

    private TcpNetstat() {
    }

    public static Snapshot read() {
        try {
            return parse(new String(Files.readAllBytes(NETSTAT), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of one counter right now. */
    public static long current(String name) {
        return read().get(name);
    }

    /** Parses the whole file and keeps the TcpExt pair. */
    public static Snapshot parse(String text) {
        String names = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith(TCP_EXT)) {
                continue;
            }
            if (names == null) {
                names = line;
                continue;
            }
            String[] n = names.substring(TCP_EXT.length()).trim().split(" +");
            String[] v = line.substring(TCP_EXT.length()).trim().split(" +");
            if (n.length != v.length) {
                throw new IllegalArgumentException("TcpExt has " + n.length + " names but " + v.length + " values");
            }
            Map<String, Long> counters = new LinkedHashMap<>();
            for (int i = 0; i < n.length; i++) {
                counters.put(n[i], Long.parseUnsignedLong(v[i]));
            }
            return new Snapshot(counters);
        }
        throw new IllegalArgumentException("no TcpExt name and value lines");
    }
}
