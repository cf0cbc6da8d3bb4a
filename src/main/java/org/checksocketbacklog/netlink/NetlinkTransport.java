package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;

/**
 * A datagram conversation with the kernel's NETLINK_SOCK_DIAG. The real one is a socket behind JNA;
 * tests replay datagrams recorded from a real kernel.
 */
public interface NetlinkTransport extends AutoCloseable {
    /** Opens a conversation: the JNA socket in production, recorded replies in tests. */
    interface Opener {
        NetlinkTransport open() throws NetlinkException;
    }

    void send(ByteBuffer request) throws NetlinkException;

    /** The next datagram; throws on a receive error or on the receive timeout. */
    Datagram receive() throws NetlinkException;

    /**
     * The cookie of the network namespace the socket lives in (SO_NETNS_COOKIE): unlike the
     * namespace's inode, never given to another namespace in the same boot; 0 when unknown.
     */
    default long namespaceCookie() {
        return 0;
    }

    @Override
    void close();
}
