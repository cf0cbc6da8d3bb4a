package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Plays recorded datagrams back as the kernel's answer. The recorded sequence number is rewritten to
 * the one of the request actually sent, as the kernel would have echoed it; nothing else changes.
 */
public final class ReplayTransport implements NetlinkTransport {
    private final List<Datagram> recorded;
    private final int recordedSequence;
    private final Deque<Datagram> pending = new ArrayDeque<>();
    private final List<ByteBuffer> sent = new ArrayList<>();
    private boolean closed;

    public ReplayTransport(List<Datagram> recorded, int recordedSequence) {
        this.recorded = recorded;
        this.recordedSequence = recordedSequence;
    }

    @Override
    public void send(ByteBuffer request) {
        ByteBuffer copy = ByteBuffer.allocate(request.remaining()).order(ByteOrder.nativeOrder());
        copy.put(request.duplicate()).flip();
        sent.add(copy);
        int sequence = copy.getInt(8);
        for (Datagram datagram : recorded) {
            pending.add(renumber(datagram, sequence));
        }
    }

    @Override
    public Datagram receive() throws NetlinkException {
        if (pending.isEmpty()) {
            throw new NetlinkException("the kernel did not answer the sock_diag request in time (SO_RCVTIMEO)");
        }
        return pending.removeFirst();
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<ByteBuffer> sent() {
        return sent;
    }

    public boolean closed() {
        return closed;
    }

    private Datagram renumber(Datagram datagram, int sequence) {
        ByteBuffer bytes = ByteBuffer.allocate(datagram.bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(datagram.bytes().duplicate()).flip();
        int position = 0;
        while (position + Netlink.HEADER_LENGTH <= bytes.limit()) {
            int length = bytes.getInt(position);
            if (bytes.getInt(position + 8) == recordedSequence) {
                bytes.putInt(position + 8, sequence);
            }
            if (length < Netlink.HEADER_LENGTH) {
                break;
            }
            position += Netlink.align(length);
        }
        return new Datagram(bytes, datagram.fullLength());
    }
}
