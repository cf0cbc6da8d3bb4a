package org.checksocketbacklog.testsupport.oracles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reader of {@code /proc/net/unix}, the one view that shows what sock_diag hides: embryo
 * sockets (St 02, inode 0) and, through the listener's RefCount, the connectors blocked in
 * connect() on a full queue (each holds a reference; an idle listener has RefCount 2).
 *
 * <p>Line format (net/unix/af_unix.c, unix_seq_show):
 * {@code "%pK: %08X %08X %08X %04X %02X %5lu"} then, if the socket has a name, a space and the
 * name with NULs printed as '@'. The kernel does not escape the name, so a name containing a
 * newline continues on the next line; such lines are joined back to the previous entry.
 */
public final class ProcNetUnix {
    /** __SO_ACCEPTCON in the Flags column: the socket is listening. */
    public static final int FLAG_ACCEPTCON = 1 << 16;
    /** St column: SS_UNCONNECTED=1, SS_CONNECTING=2 (embryos), SS_CONNECTED=3. */
    public static final int ST_CONNECTING = 2;

    private static final Path PROC_NET_UNIX = Path.of("/proc/net/unix");
    private static final Pattern LINE = Pattern.compile(
            "^[0-9a-fA-F]+: ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{8}) ([0-9A-F]{4}) ([0-9A-F]{2}) +(\\d+)(?: (.*))?$");

    /** One socket. {@code name} is "" for unnamed sockets. */
    public record Entry(int refCount, int flags, int type, int state, long inode, String name) {
        public boolean listening() {
            return (flags & FLAG_ACCEPTCON) != 0;
        }
    }

    private ProcNetUnix() {
    }

    public static List<Entry> read() {
        try {
            return parse(new String(Files.readAllBytes(PROC_NET_UNIX), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        // Line 0 is the header; the final element is "" after the trailing newline.
        for (int i = 1; i < lines.length; i++) {
            Matcher m = LINE.matcher(lines[i]);
            if (m.matches()) {
                entries.add(new Entry(
                        (int) Long.parseLong(m.group(1), 16),
                        (int) Long.parseLong(m.group(3), 16),
                        Integer.parseInt(m.group(4), 16),
                        Integer.parseInt(m.group(5), 16),
                        Long.parseLong(m.group(6)),
                        m.group(7) == null ? "" : m.group(7)));
            } else if (!entries.isEmpty() && i < lines.length - 1) {
                Entry last = entries.remove(entries.size() - 1);
                entries.add(new Entry(last.refCount(), last.flags(), last.type(), last.state(),
                        last.inode(), last.name() + "\n" + lines[i]));
            }
        }
        return entries;
    }

    /** The socket with this inode, if it exists in this network namespace. */
    public static Optional<Entry> byInode(long inode) {
        if (inode == 0) {
            throw new IllegalArgumentException("inode 0 is shared by all embryo sockets");
        }
        return read().stream().filter(e -> e.inode() == inode).findFirst();
    }

    /** The listener's RefCount; an idle listener shows 2, each blocked connector adds 1. */
    public static int refCount(long inode) {
        return byInode(inode).orElseThrow(() -> new IllegalStateException("no socket with inode " + inode))
                .refCount();
    }

    /** Embryos queued on a listener with this kernel-visible name: St 02, inode 0, same name. */
    public static long embryoCount(String kernelName) {
        return read().stream()
                .filter(e -> e.inode() == 0 && e.state() == ST_CONNECTING && e.name().equals(kernelName))
                .count();
    }
}
