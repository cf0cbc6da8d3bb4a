package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What /proc/net/unix tells about listeners. Each line is
 * {@code Num: RefCount Protocol Flags Type St Inode Path}, numbers in hex but the inode.
 *
 * <ul>
 * <li>A listener has __SO_ACCEPTCON (0x10000) in Flags. Its RefCount is 2 when idle, plus one per
 *     client sleeping in a blocking connect() on its full queue: blocked = RefCount - 2.</li>
 * <li>An unaccepted connection ("embryo") is a line with St 02 (SS_CONNECTING), Inode 0 and the
 *     listener's path. sock_diag never lists embryos (it skips inode 0); this is where the old
 *     {@code ss -x state SYN-SENT} count came from.</li>
 * </ul>
 */
public final class ProcNetUnix {
    static final String HEADER = "Num       RefCount Protocol Flags    Type St Inode Path";
    private static final long SO_ACCEPTCON = 0x10000;
    private static final int SS_CONNECTING = 2;
    private static final int FIELDS_BEFORE_PATH = 7;

    /** A listener line. */
    public record Entry(String name, SocketKind kind, long inode, long refCount) {
        public long blocked() {
            return Math.max(0, refCount - 2);
        }
    }

    private final List<Entry> listeners;
    private final Map<Long, Entry> listenersByInode;
    private final Map<String, Long> embryosByNameAndKind;

    private ProcNetUnix(List<Entry> listeners, Map<String, Long> embryosByNameAndKind) {
        this.listeners = listeners;
        this.listenersByInode = new HashMap<>(listeners.size() * 2);
        for (Entry entry : listeners) {
            listenersByInode.put(entry.inode(), entry);
        }
        this.embryosByNameAndKind = embryosByNameAndKind;
    }

    public static ProcNetUnix parse(String text) throws KernelReadException {
        String header = ProcText.header(text);
        if (!header.trim().equals(HEADER)) {
            throw new KernelReadException("/proc/net/unix has an unexpected header: \"" + header.trim() + "\"");
        }
        List<Entry> listeners = new ArrayList<>();
        Map<String, Long> embryos = new HashMap<>();
        String[] fields = new String[FIELDS_BEFORE_PATH];
        Line previous = null;
        for (String line : ProcText.body(text)) {
            Line parsed = Line.parse(line, fields);
            if (parsed == null) {
                if (previous == null) {
                    throw new KernelReadException("/proc/net/unix has a line that cannot be read: \"" + line + "\"");
                }
                // The kernel prints the path raw, so a path with a newline continues on the next line.
                previous = previous.withPathContinued(line);
                continue;
            }
            record(previous, listeners, embryos);
            previous = parsed;
        }
        record(previous, listeners, embryos);
        return new ProcNetUnix(listeners, embryos);
    }

    private static void record(Line line, List<Entry> listeners, Map<String, Long> embryos) {
        if (line == null) {
            return;
        }
        SocketKind kind = SocketKind.ofUnixType(line.type);
        if (kind == null || line.path.isEmpty()) {
            return;
        }
        if ((line.flags & SO_ACCEPTCON) != 0) {
            listeners.add(new Entry(line.path, kind, line.inode, line.refCount));
        } else if (line.state == SS_CONNECTING && line.inode == 0) {
            String key = key(line.path, kind);
            embryos.put(key, embryos.getOrDefault(key, 0L) + 1);
        }
    }

    private static String key(String name, SocketKind kind) {
        return kind.ordinal() + name;
    }

    public List<Entry> listeners() {
        return listeners;
    }

    /** The listener line with this inode, or null. */
    public Entry listener(long inode) {
        return listenersByInode.get(inode);
    }

    /** Unaccepted connections queued on listeners of this name and kind. */
    public long embryos(String name, SocketKind kind) {
        return embryosByNameAndKind.getOrDefault(key(name, kind), 0L);
    }

    /** One parsed line; package-private fields, it never leaves this class. */
    private static final class Line {
        final long refCount;
        final long flags;
        final int type;
        final int state;
        final long inode;
        final String path;

        private Line(long refCount, long flags, int type, int state, long inode, String path) {
            this.refCount = refCount;
            this.flags = flags;
            this.type = type;
            this.state = state;
            this.inode = inode;
            this.path = path;
        }

        /** Null when the line does not have the shape of an entry. */
        static Line parse(String line, String[] fields) {
            int position = ProcText.split(line, fields);
            if (position < 0 || !fields[0].endsWith(":")) {
                return null;
            }
            // One space separates the inode from the path, which may itself begin with spaces.
            String path = position < line.length() ? line.substring(position + 1) : "";
            try {
                return new Line(Long.parseLong(fields[1], 16), Long.parseLong(fields[3], 16),
                        Integer.parseInt(fields[4], 16), Integer.parseInt(fields[5], 16),
                        Long.parseLong(fields[6]), path);
            } catch (NumberFormatException e) {
                return null;
            }
        }

        Line withPathContinued(String continuation) {
            return new Line(refCount, flags, type, state, inode, path + "\n" + continuation);
        }
    }
}
