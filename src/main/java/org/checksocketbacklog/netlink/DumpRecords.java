package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SOCK_DIAG_BY_FAMILY messages of one dump, each as a span of the datagram that carried it:
 * {@link #buffer(int)} from {@link #start(int)} to {@link #end(int)}, read with absolute positions.
 * Spans rather than a ByteBuffer per message because a dump of thousands of listeners is read on
 * every check, mostly before the JIT has compiled anything: an object per message was half the
 * cost of reading 5,000 listeners.
 */
public final class DumpRecords {
    private final List<ByteBuffer> datagrams = new ArrayList<>();
    private int[] datagramOf = new int[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int size;

    /** Adds the payload of a message of {@code datagram} (native order) from {@code start} to {@code end}. */
    void add(ByteBuffer datagram, int start, int end) {
        if (datagrams.isEmpty() || datagrams.get(datagrams.size() - 1) != datagram) {
            datagrams.add(datagram);
        }
        if (size == starts.length) {
            datagramOf = Arrays.copyOf(datagramOf, size * 2);
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        datagramOf[size] = datagrams.size() - 1;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    public int size() {
        return size;
    }

    /** The datagram that holds record {@code i}, in native byte order. */
    public ByteBuffer buffer(int i) {
        return datagrams.get(datagramOf[check(i)]);
    }

    /** The absolute position of record {@code i}'s first payload byte in its buffer. */
    public int start(int i) {
        return starts[check(i)];
    }

    /** The absolute position just past record {@code i}'s payload. */
    public int end(int i) {
        return ends[check(i)];
    }

    /** Record {@code i}'s payload as a buffer of its own, position 0; for tests and fixtures. */
    public ByteBuffer payload(int i) {
        return buffer(i).slice(start(i), end(i) - start(i)).order(buffer(i).order());
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("record " + i + " of " + size);
        }
        return i;
    }
}
