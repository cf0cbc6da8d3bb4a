package org.checksocketbacklog.procfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What /proc/net/unix tells about listeners. Each entry is
 * {@code Num: RefCount Protocol Flags Type St Inode Path}, numbers in hex but the inode, and the
 * kernel prints socket names as raw bytes: this class reads bytes, and gives names one char per
 * byte (ISO-8859-1). It reads the file in chunks, so its memory is one buffer whatever the size
 * of the file (8 MB at 100,000 sockets), and keeps only the lines it is asked about.
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
    /**
     * More than a line can hold (the fixed fields, about 60 bytes, and a name of at most 108), so
     * that a line and the name that may follow it on the next lines are always in the buffer whole.
     */
    static final int WINDOW = 1024;

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
     * @param blocked    RefCount - 2 of the worst line that claimed the listener
     * @param extraLines how many lines claimed it beyond one
     */
    public record Claims(long blocked, int extraLines) {
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
     * forger can raise a blocked count, never lower it). Other lines are looked at no further than
     * their inode.
     *
     * @param in        the file
     * @param listeners the listeners to look for, by inode
     * @return each found listener's blocked count and extra lines, by inode; absent when no line
     *         matched (the listener closed since the dump, so nobody waits on it)
     */
    public static Map<Long, Claims> claims(InputStream in, String file, Map<Long, Expected> listeners)
            throws ProcFileException {
        Map<Long, Claims> found = new HashMap<>();
        Scanner lines = new Scanner(in, file);
        Line line = new Line();
        while (lines.next()) {
            if (!line.parse(lines.buffer, lines.start, lines.end) || !listeners.containsKey(line.inode)) {
                continue;
            }
            Expected listener = listeners.get(line.inode);
            if (line.listening() && line.type == listener.type()
                    && lines.printsNameAt(line.pathStart, listener.printedName())) {
                Claims previous = found.get(line.inode);
                found.put(line.inode, previous == null ? new Claims(line.blocked(), 0)
                        : new Claims(Math.max(previous.blocked(), line.blocked()), previous.extraLines() + 1));
            }
        }
        return found;
    }

    /**
     * Every listener in the file, for when sock_diag cannot be used. Listeners of one name and type
     * come out as one, whose pending count is all the embryos of that name and type: the file does
     * not say which of them a connection waits on. Their blocked counts add up. Where an inode is
     * on more than one line, each of its lines is judged and the worst taken.
     */
    public static List<Group> listeners(InputStream in, String file) throws ProcFileException {
        Scanner lines = new Scanner(in, file);
        Map<Long, Integer> linesPerInode = new HashMap<>();
        Map<Long, Long> worstRefCount = new HashMap<>();
        Map<String, Long> embryos = new HashMap<>();
        Map<String, List<Long>> listenerInodes = new LinkedHashMap<>();
        Line line = new Line();
        // A name that holds a newline goes on over the next lines, which are not entries: the
        // entry is complete only when the next entry starts.
        Entry open = null;
        boolean first = true;
        while (lines.next()) {
            if (!line.parse(lines.buffer, lines.start, lines.end)) {
                if (first) {
                    throw new ProcFileException(file + " has a line that cannot be read: \""
                            + lines.text(lines.start, lines.end) + "\"");
                }
                if (open != null) {
                    open.name.append('\n').append(lines.text(lines.start, lines.end));
                }
                continue;
            }
            first = false;
            count(open, worstRefCount, embryos, listenerInodes);
            open = null;
            if (line.inode != 0) {
                Integer seen = linesPerInode.get(line.inode);
                linesPerInode.put(line.inode, seen == null ? 1 : seen + 1);
            }
            boolean stream = line.type == SOCK_STREAM || line.type == SOCK_SEQPACKET;
            // A listener always has an inode: a listening line with inode 0 can only be forged, and
            // is left out (it could not take the place of a real one, which has its own inode).
            boolean matters = line.listening() ? line.inode != 0 : line.state == SS_CONNECTING && line.inode == 0;
            if (stream && matters && line.pathStart >= 0) {
                open = new Entry(line, lines.text(line.pathStart, lines.end));
            }
        }
        count(open, worstRefCount, embryos, listenerInodes);

        List<Group> groups = new ArrayList<>(listenerInodes.size());
        for (Map.Entry<String, List<Long>> group : listenerInodes.entrySet()) {
            long[] inodes = new long[group.getValue().size()];
            long blocked = 0;
            int extraLines = 0;
            for (int i = 0; i < inodes.length; i++) {
                inodes[i] = group.getValue().get(i);
                blocked += Math.max(0, worstRefCount.get(inodes[i]) - 2);
                extraLines += linesPerInode.get(inodes[i]) - 1;
            }
            Arrays.sort(inodes);
            String key = group.getKey();
            groups.add(new Group(key.substring(1), key.charAt(0), inodes, embryos.getOrDefault(key, 0L), blocked,
                    extraLines));
        }
        return groups;
    }

    /** Adds a complete listener or embryo entry to the tallies; keys are the type as a char, then the name. */
    private static void count(Entry entry, Map<Long, Long> worstRefCount, Map<String, Long> embryos,
            Map<String, List<Long>> listenerInodes) {
        if (entry == null) {
            return;
        }
        String key = (char) entry.type + entry.name.toString();
        if (entry.listening) {
            Long known = worstRefCount.get(entry.inode);
            worstRefCount.put(entry.inode, known == null ? entry.refCount : Math.max(known, entry.refCount));
            List<Long> inodes = listenerInodes.get(key);
            if (inodes == null) {
                inodes = new ArrayList<>(1);
                listenerInodes.put(key, inodes);
            }
            if (!inodes.contains(entry.inode)) {
                inodes.add(entry.inode);
            }
        } else {
            Long queued = embryos.get(key);
            embryos.put(key, queued == null ? 1 : queued + 1);
        }
    }

    /** A listener or embryo line being read, its name possibly going on over the next lines. */
    private static final class Entry {
        final boolean listening;
        final int type;
        final long inode;
        final long refCount;
        final StringBuilder name;

        Entry(Line line, String name) {
            this.listening = line.listening();
            this.type = line.type;
            this.inode = line.inode;
            this.refCount = line.refCount;
            this.name = new StringBuilder(name);
        }
    }

    /**
     * The lines of the file after its header, read in chunks into one buffer. The current line is
     * buffer[start, end); at least {@link #WINDOW} bytes from its start are in the buffer unless
     * the file ends first, so a name that goes on past the line's end can be compared whole.
     */
    private static final class Scanner {
        final InputStream in;
        final String file;
        byte[] buffer = new byte[64 * 1024];
        int length;
        boolean ended;
        int start;
        int end = -1;
        boolean headerRead;

        Scanner(InputStream in, String file) {
            this.in = in;
            this.file = file;
        }

        /** Moves to the next line; false at the end of the file. */
        boolean next() throws ProcFileException {
            int from = end + 1;
            if (end >= 0 && end == length) {
                return false; // the last line had no newline
            }
            if (length - from < WINDOW && !ended) {
                fill(from);
                from = 0;
            }
            if (from >= length) {
                if (!headerRead) {
                    throw new ProcFileException(file + " has an unexpected header: \"\"");
                }
                return false;
            }
            int newline = from;
            while (newline < length && buffer[newline] != '\n') {
                newline++;
            }
            if (newline == length && !ended) {
                throw new ProcFileException(file + " has a line longer than " + WINDOW + " bytes");
            }
            start = from;
            end = newline;
            if (!headerRead) {
                headerRead = true;
                String header = text(start, end).trim();
                if (!header.equals(HEADER)) {
                    throw new ProcFileException(file + " has an unexpected header: \"" + header + "\"");
                }
                return next();
            }
            return true;
        }

        /** Keeps buffer[from, length) at the buffer's start and reads until it is full or the file ends. */
        private void fill(int from) throws ProcFileException {
            System.arraycopy(buffer, from, buffer, 0, length - from);
            length -= from;
            end -= from;
            try {
                while (length < buffer.length && !ended) {
                    int read = in.read(buffer, length, buffer.length - length);
                    if (read < 0) {
                        ended = true;
                    } else {
                        length += read;
                    }
                }
            } catch (IOException e) {
                throw new ProcFileException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Whether the bytes at {@code at} are the name as the kernel prints it, ended by a newline
         * or the file's end (a forged line inside a longer name is followed by the rest of that
         * name instead, unless the forger copied the name exactly).
         */
        boolean printsNameAt(int at, String printed) {
            int after = at + printed.length();
            if (at < 0 || after > length) {
                return false;
            }
            for (int i = 0; i < printed.length(); i++) {
                if ((buffer[at + i] & 0xff) != printed.charAt(i)) {
                    return false;
                }
            }
            return after == length && ended || after < length && buffer[after] == '\n';
        }

        String text(int from, int to) {
            char[] chars = new char[to - from];
            for (int i = from; i < to; i++) {
                chars[i - from] = (char) (buffer[i] & 0xff);
            }
            return new String(chars);
        }
    }

    /**
     * One entry's fixed fields, read in place from the buffer: the kernel prints
     * {@code %pK: %08X %08X %08X %04X %02X %5lu}, then a space and the name if the socket has one.
     */
    private static final class Line {
        long refCount;
        long flags;
        int type;
        int state;
        long inode;
        /** Where the name starts, or -1 for a socket without one. */
        int pathStart;
        private final long[] values = new long[6];

        /** Reads buffer[start, end); false when it does not have the shape of an entry. */
        boolean parse(byte[] buffer, int start, int end) {
            int position = start;
            // "Num:" is one field ending in ':'; then RefCount, Protocol, Flags, Type, St in hex, Inode in decimal.
            for (int field = 0; field < 7; field++) {
                while (position < end && buffer[position] == ' ') {
                    position++;
                }
                int from = position;
                while (position < end && buffer[position] != ' ') {
                    position++;
                }
                if (position == from) {
                    return false;
                }
                if (field == 0) {
                    if (buffer[position - 1] != ':') {
                        return false;
                    }
                    continue;
                }
                long value = field == 6 ? decimal(buffer, from, position)
                        : hex(buffer, from, position, field == 4 ? 4 : field == 5 ? 2 : 8);
                if (value < 0) {
                    return false;
                }
                values[field - 1] = value;
            }
            refCount = values[0];
            flags = values[2];
            type = (int) values[3];
            state = (int) values[4];
            inode = values[5];
            // One space separates the inode from the name, which may itself begin with spaces.
            if (position == end) {
                pathStart = -1;
                return true;
            }
            if (buffer[position] != ' ') {
                return false;
            }
            pathStart = position + 1;
            return true;
        }

        boolean listening() {
            return (flags & SO_ACCEPTCON) != 0;
        }

        long blocked() {
            return Math.max(0, refCount - 2);
        }

        private static long hex(byte[] buffer, int from, int to, int maxDigits) {
            if (to - from > maxDigits) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                int c = buffer[i];
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
                if (digit < 0) {
                    return -1;
                }
                value = value << 4 | digit;
            }
            return value;
        }

        private static long decimal(byte[] buffer, int from, int to) {
            if (to - from > 18) {
                return -1;
            }
            long value = 0;
            for (int i = from; i < to; i++) {
                int c = buffer[i];
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
