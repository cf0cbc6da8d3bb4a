package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;

/**
 * One datagram read from a netlink socket.
 *
 * @param bytes      what was received, positioned at its start, limit at its end
 * @param fullLength the datagram's length as the kernel reported it with MSG_TRUNC; larger than
 *                   {@code bytes.remaining()} when the receive buffer was too small and the rest is lost
 */
public record Datagram(ByteBuffer bytes, int fullLength) {
    public boolean truncated() {
        return fullLength > bytes.remaining();
    }
}
