package org.checksocketbacklog.procfs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What /proc/net/unix tells about listeners, read from its text one char per byte (ISO-8859-1),
 * since the kernel prints socket names as raw bytes. Each entry is
 * {@code Num: RefCount Protocol Flags Type St Inode Path}, numbers in hex but the inode.
 *
 * <ul>
 * <li>A listener has __SO_ACCEPTCON (0x10000) in Flags. Its RefCount is 2 when idle, plus one per
 *     client sleeping in a blocking connect() on its full queue: blocked = RefCount - 2.</li>
 * <li>An unaccepted connection ("embryo") is a line with St 02 (SS_CONNECTING), Inode 0 and the
 *     listener's path. sock_diag never lists embryos (it skips inode 0); this is where the old
 *     {@code ss -x state SYN-SENT} count came from.</li>
 * </ul>
 *
 * <p>Names are not delimited: the kernel prints a name raw up to its end, newlines included, so
 * any local user can bind a socket whose name holds a newline and a complete fake entry. Nothing
 * in the file tells such a line from a real one. What can be told: the kernel prints one line per
 * socket, so an inode on two lines means one of them is forged. Both readers here take the worse
 * of such lines, and say how many there were.
 */
public final class ProcNetUnix {
    static final String HEADER = "Num       RefCount Protocol Flags    Type St Inode Path";
    /** The socket types that can listen: SOCK_STREAM and SOCK_SEQPACKET. */
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    private static final long SO_ACCEPTCON = 0x10000;
    private static final int SS_CONNECTING = 2;
    private static final int FIELDS_BEFORE_PATH = 7;

    private ProcNetUnix() {
    }

    /**
     * A listener sock_diag reported, as this file would print it.
     *
     * @param type        SOCK_STREAM or SOCK_SEQPACKET
     * @param printedName the name as unix_seq_show prints it, one char per byte: a path as is, an
     *                    abstract name as '@' and its bytes with every NUL as '@'
     */
    public record Expected(int type, String printedName) {
    }

    /**
     * Listeners of one name and type as this file shows them.
     *
     * @param printedName the name as printed, one char per byte
     * @param type        SOCK_STREAM or SOCK_SEQPACKET
     * @param inodes      their inodes, ascending: more than one when the name is bound more than once
     *                    (or a line was forged with it), and this file cannot tell on which of them a
     *                    connection waits
     * @param pending     the embryos of this name and type: all of theirs together
     * @param blocked     the RefCount - 2 of each inode's worst line, added up
     * @param extraLines  lines beyond one per inode: forged
     */
    public record Group(String printedName, int type, long[] inodes, long pending, long blocked, int extraLines) {
    }

    /**
     * What the file says of listeners the caller already knows from sock_diag, which vouches for
     * each one's inode, name and type: their RefCount. Every line start is tried, those inside a
     * name too, and a line counts for a listener only if it has the listener's inode, type and
     * __SO_ACCEPTCON and then exactly the listener's name up to the end of the line; so only the
     * real line and exact forgeries of it count, and of those the highest RefCount is taken (a
     * forger can raise a blocked count, never lower it).
     *
     * @param latin1    the file, one char per byte
     * @param listeners the listeners to look for, by inode
     * @return each found listener's blocked count and extra lines, by inode; absent when no line
     *         matched (the listener closed since the dump, so nobody waits on it)
     */
    public static Map<Long, Claims> claims(String latin1, Map<Long, Expected> listeners)
            throws ProcFileException {
        requireHeader(latin1);
        Map<Long, Claims> found = new HashMap<>();
        String[] fields = new String[FIELDS_BEFORE_PATH];
        int start = latin1.indexOf('\n') + 1;
        while (start > 0 && start < latin1.length()) {
            int end = latin1.indexOf('\n', start);
            int lineEnd = end < 0 ? latin1.length() : end;
            Line line = Line.parse(latin1, start, lineEnd, fields);
            Expected listener = line == null ? null : listeners.get(line.inode);
            if (listener != null && line.listening() && line.type == listener.type()
                    && printsName(latin1, line.pathStart, listener.printedName())) {
                Claims previous = found.get(line.inode);
                found.put(line.inode, previous == null ? new Claims(line.blocked(), 0)
                        : new Claims(Math.max(previous.blocked(), line.blocked()), previous.extraLines() + 1));
            }
            start = end + 1;
        }
        return found;
    }

    /**
     * Whether the text at {@code pathStart} is the name as the kernel prints it, ended by the
     * line's newline or the file's end (a forged line inside a longer name is followed by the rest
     * of that name instead, unless the forger copied the name exactly).
     */
    private static boolean printsName(String latin1, int pathStart, String printed) {
        int end = pathStart + printed.length();
        return pathStart >= 0 && latin1.startsWith(printed, pathStart)
                && (end == latin1.length() || latin1.charAt(end) == '\n');
    }

    /**
     * @param blocked    RefCount - 2 of the worst line that claimed the listener
     * @param extraLines how many lines claimed it beyond one
     */
    public record Claims(long blocked, int extraLines) {
    }

    /**
     * Every listener in the file, for when sock_diag cannot be used. Listeners of one name and type
     * come out as one, whose pending count is all the embryos of that name and type: the file does
     * not say which of them a connection waits on. Their blocked counts add up. Where an inode is
     * on more than one line, each of its lines is judged and the worst taken.
     */
    public static List<Group> listeners(String latin1) throws ProcFileException {
        requireHeader(latin1);
        List<Line> lines = new ArrayList<>();
        String[] fields = new String[FIELDS_BEFORE_PATH];
        Line previous = null;
        int start = latin1.indexOf('\n') + 1;
        while (start > 0 && start < latin1.length()) {
            int end = latin1.indexOf('\n', start);
            int lineEnd = end < 0 ? latin1.length() : end;
            Line parsed = Line.parse(latin1, start, lineEnd, fields);
            if (parsed == null) {
                if (previous == null) {
                    throw new ProcFileException("/proc/net/unix has a line that cannot be read: \""
                            + latin1.substring(start, lineEnd) + "\"");
                }
                // A name with a newline in it continues on the next line.
                previous.pathEnd = lineEnd;
            } else {
                lines.add(parsed);
                previous = parsed;
            }
            start = end + 1;
        }

        Map<Long, Integer> linesPerInode = new HashMap<>();
        Map<Long, Long> worstRefCount = new HashMap<>();
        Map<String, Long> embryos = new HashMap<>();
        Map<String, List<Long>> listenerInodes = new LinkedHashMap<>();
        Map<String, Line> listenerLine = new HashMap<>();
        for (Line line : lines) {
            if (line.inode != 0) {
                Integer seen = linesPerInode.get(line.inode);
                linesPerInode.put(line.inode, seen == null ? 1 : seen + 1);
            }
            if (line.type != SOCK_STREAM && line.type != SOCK_SEQPACKET || line.pathStart < 0) {
                continue;
            }
            String key = line.type + latin1.substring(line.pathStart, line.pathEnd);
            if (line.listening()) {
                Long known = worstRefCount.get(line.inode);
                worstRefCount.put(line.inode, known == null ? line.refCount : Math.max(known, line.refCount));
                List<Long> inodes = listenerInodes.get(key);
                if (inodes == null) {
                    inodes = new ArrayList<>(1);
                    listenerInodes.put(key, inodes);
                }
                if (!inodes.contains(line.inode)) {
                    inodes.add(line.inode);
                }
                listenerLine.putIfAbsent(key, line);
            } else if (line.state == SS_CONNECTING && line.inode == 0) {
                Long queued = embryos.get(key);
                embryos.put(key, queued == null ? 1 : queued + 1);
            }
        }

        List<Group> listeners = new ArrayList<>(listenerInodes.size());
        for (Map.Entry<String, List<Long>> group : listenerInodes.entrySet()) {
            Line line = listenerLine.get(group.getKey());
            long[] inodes = new long[group.getValue().size()];
            long blocked = 0;
            int extraLines = 0;
            for (int i = 0; i < inodes.length; i++) {
                inodes[i] = group.getValue().get(i);
                blocked += Math.max(0, worstRefCount.get(inodes[i]) - 2);
                extraLines += linesPerInode.get(inodes[i]) - 1;
            }
            Arrays.sort(inodes);
            listeners.add(new Group(latin1.substring(line.pathStart, line.pathEnd), line.type, inodes,
                    embryos.getOrDefault(group.getKey(), 0L), blocked, extraLines));
        }
        return listeners;
    }

    private static void requireHeader(String latin1) throws ProcFileException {
        String header = ProcText.header(latin1);
        if (!header.trim().equals(HEADER)) {
            throw new ProcFileException("/proc/net/unix has an unexpected header: \"" + header.trim() + "\"");
        }
    }

    /** One entry's fixed fields; pathStart is -1 for a socket without a name. */
    private static final class Line {
        final long refCount;
        final long flags;
        final int type;
        final int state;
        final long inode;
        final int pathStart;
        int pathEnd;

        private Line(long refCount, long flags, int type, int state, long inode, int pathStart, int pathEnd) {
            this.refCount = refCount;
            this.flags = flags;
            this.type = type;
            this.state = state;
            this.inode = inode;
            this.pathStart = pathStart;
            this.pathEnd = pathEnd;
        }

        /** Null when text[start, end) does not have the shape of an entry: "Num:" and six numbers. */
        static Line parse(String text, int start, int end, String[] fields) {
            int position = ProcText.split(text, start, end, fields);
            if (position < 0 || !fields[0].endsWith(":")) {
                return null;
            }
            long refCount = ProcText.hex(fields[1], 8);
            long flags = ProcText.hex(fields[3], 8);
            long type = ProcText.hex(fields[4], 4);
            long state = ProcText.hex(fields[5], 2);
            long inode = ProcText.decimal(fields[6]);
            if (refCount < 0 || ProcText.hex(fields[2], 8) < 0 || flags < 0 || type < 0 || state < 0 || inode < 0) {
                return null;
            }
            // One space separates the inode from the name, which may itself begin with spaces.
            int pathStart = position < end && text.charAt(position) == ' ' ? position + 1 : -1;
            if (pathStart < 0 && position != end) {
                return null;
            }
            return new Line(refCount, flags, (int) type, (int) state, inode, pathStart, end);
        }

        boolean listening() {
            return (flags & SO_ACCEPTCON) != 0;
        }

        long blocked() {
            return Math.max(0, refCount - 2);
        }
    }
}
