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
 * With several recorded conversations, each request gets the next one's replies.
 */
public final class ReplayTransport implements NetlinkTransport {
    private final Deque<List<Datagram>> conversations;
    private final int recordedSequence;
    private final Deque<Datagram> pending = new ArrayDeque<>();
    private final List<ByteBuffer> sent = new ArrayList<>();
    private boolean closed;

    public ReplayTransport(List<Datagram> recorded, int recordedSequence) {
        this(new ArrayDeque<>(List.of(recorded)), recordedSequence);
    }

    private ReplayTransport(Deque<List<Datagram>> conversations, int recordedSequence) {
        this.conversations = conversations;
        this.recordedSequence = recordedSequence;
    }

    /** Answers the first request with the first conversation, the second with the second, and so on. */
    public static ReplayTransport ofConversations(List<List<Datagram>> conversations, int recordedSequence) {
        return new ReplayTransport(new ArrayDeque<>(conversations), recordedSequence);
    }

    @Override
    public void send(ByteBuffer request) {
        ByteBuffer copy = ByteBuffer.allocate(request.remaining()).order(ByteOrder.nativeOrder());
        copy.put(request.duplicate()).flip();
        sent.add(copy);
        int sequence = copy.getInt(8);
        // The last conversation answers every further request (a single-conversation replay repeats).
        List<Datagram> recorded = conversations.size() > 1 ? conversations.removeFirst() : conversations.getFirst();
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
