package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The AF_UNIX half of sock_diag (linux/unix_diag.h): the listener request and the decoding of its
 * records. Field names in comments are the kernel's, so a reader can grep from here to the header.
 */
public final class UnixDiag {
    static final int AF_UNIX = 1;
    /** TCP_LISTEN, the state unix sockets reuse for listeners. */
    static final int STATE_LISTEN = 10;

    static final int UDIAG_SHOW_NAME = 0x01;
    static final int UDIAG_SHOW_VFS = 0x02;
    static final int UDIAG_SHOW_ICONS = 0x08;
    static final int UDIAG_SHOW_RQLEN = 0x10;

    static final int UNIX_DIAG_NAME = 0;
    /** struct unix_diag_vfs {u32 udiag_vfs_ino; u32 udiag_vfs_dev}: the socket file's inode and device. */
    static final int UNIX_DIAG_VFS = 1;
    /** u32[]: for a listener, the inode of the client (peer) of each connection in its queue. */
    static final int UNIX_DIAG_ICONS = 3;
    static final int UNIX_DIAG_RQLEN = 4;
    static final int UNIX_DIAG_MAX_USED = UNIX_DIAG_RQLEN;

    /** sizeof(struct unix_diag_req). */
    static final int REQUEST_LENGTH = 24;
    /** sizeof(struct unix_diag_msg): u8 family, type, state, pad; u32 ino; u32 cookie[2]. */
    static final int MESSAGE_LENGTH = 16;

    private static final long[] NO_CLIENTS = new long[0];

    private UnixDiag() {
    }

    /**
     * struct unix_diag_req asking for listeners only (the kernel filters by udiag_states, so a host
     * with thousands of connected sockets costs us nothing for them), with name and queue lengths.
     */
    public static byte[] listenerRequest() {
        return listenerRequest(false);
    }

    /**
     * The same, with {@code files} each path listener's socket file (UNIX_DIAG_VFS): which file on
     * disk it is bound to, whatever path its binder's mount namespace gave it.
     */
    public static byte[] listenerRequest(boolean files) {
        return listenerRequest(files, false);
    }

    /** The same, with {@code clients} each listener's queued connections' clients (UNIX_DIAG_ICONS). */
    public static byte[] listenerRequest(boolean files, boolean clients) {
        ByteBuffer request = ByteBuffer.allocate(REQUEST_LENGTH).order(ByteOrder.nativeOrder());
        request.put((byte) AF_UNIX);            // sdiag_family
        request.put((byte) 0);                  // sdiag_protocol
        request.putShort((short) 0);            // pad
        request.putInt(1 << STATE_LISTEN);      // udiag_states
        request.putInt(0);                      // udiag_ino: all
        request.putInt(UDIAG_SHOW_NAME | UDIAG_SHOW_RQLEN | (files ? UDIAG_SHOW_VFS : 0)
                | (clients ? UDIAG_SHOW_ICONS : 0)); // udiag_show
        request.putInt(0).putInt(0);            // udiag_cookie
        return request.array();
    }

    /** Decodes the records of a listener dump; records of other states are skipped. */
    public static List<UnixListenerRecord> decodeListeners(DumpRecords records) throws NetlinkException {
        List<UnixListenerRecord> listeners = new ArrayList<>(records.size());
        Attributes attributes = new Attributes(UNIX_DIAG_MAX_USED);
        for (int i = 0; i < records.size(); i++) {
            UnixListenerRecord listener = decodeListener(records.buffer(i), records.start(i), records.end(i), attributes);
            if (listener != null) {
                listeners.add(listener);
            }
        }
        return listeners;
    }

    /** One unix_diag_msg and its attributes, the payload of a message: all of {@code payload}. */
    static UnixListenerRecord decodeListener(ByteBuffer payload) throws NetlinkException {
        return decodeListener(payload, 0, payload.limit(), new Attributes(UNIX_DIAG_MAX_USED));
    }

    private static UnixListenerRecord decodeListener(ByteBuffer buffer, int start, int end, Attributes attributes)
            throws NetlinkException {
        if (end - start < MESSAGE_LENGTH) {
            throw SockDiagDump.malformed("a unix_diag_msg has " + (end - start) + " bytes, expected "
                    + MESSAGE_LENGTH);
        }
        int family = Byte.toUnsignedInt(buffer.get(start));     // udiag_family
        int type = Byte.toUnsignedInt(buffer.get(start + 1));   // udiag_type
        int state = Byte.toUnsignedInt(buffer.get(start + 2));  // udiag_state
        long inode = Integer.toUnsignedLong(buffer.getInt(start + 4)); // udiag_ino
        if (family != AF_UNIX) {
            throw SockDiagDump.malformed("a unix_diag_msg has family " + family);
        }
        if (state != STATE_LISTEN) {
            return null;
        }
        attributes.parse(buffer, start + MESSAGE_LENGTH, end, "unix socket", inode);

        if (!attributes.has(UNIX_DIAG_RQLEN) || attributes.length(UNIX_DIAG_RQLEN) != 8) {
            throw SockDiagDump.malformed("unix socket " + inode + " has "
                    + (!attributes.has(UNIX_DIAG_RQLEN) ? "no" : "a " + attributes.length(UNIX_DIAG_RQLEN) + "-byte")
                    + " UNIX_DIAG_RQLEN, expected 8 bytes");
        }
        // For a listener: udiag_rqueue = sk_receive_queue.qlen (one skb per unaccepted connection),
        // udiag_wqueue = sk_max_ack_backlog (listen()'s backlog after the somaxconn cap).
        int rqlen = attributes.offset(UNIX_DIAG_RQLEN);
        long pending = Integer.toUnsignedLong(buffer.getInt(rqlen));
        long backlog = Integer.toUnsignedLong(buffer.getInt(rqlen + 4));

        byte[] nameBytes = new byte[attributes.has(UNIX_DIAG_NAME) ? attributes.length(UNIX_DIAG_NAME) : 0];
        if (nameBytes.length > 0) {
            buffer.get(attributes.offset(UNIX_DIAG_NAME), nameBytes);
        }
        long fileInode = 0;
        long fileDevice = 0;
        if (attributes.has(UNIX_DIAG_VFS)) {
            if (attributes.length(UNIX_DIAG_VFS) != 8) {
                throw SockDiagDump.malformed("unix socket " + inode + " has a " + attributes.length(UNIX_DIAG_VFS)
                        + "-byte UNIX_DIAG_VFS, expected 8 bytes");
            }
            fileInode = Integer.toUnsignedLong(buffer.getInt(attributes.offset(UNIX_DIAG_VFS)));
            fileDevice = Integer.toUnsignedLong(buffer.getInt(attributes.offset(UNIX_DIAG_VFS) + 4));
        }
        long[] clients = NO_CLIENTS;
        if (attributes.has(UNIX_DIAG_ICONS)) {
            int length = attributes.length(UNIX_DIAG_ICONS);
            if (length % 4 != 0) {
                throw SockDiagDump.malformed("unix socket " + inode + " has a " + length + "-byte UNIX_DIAG_ICONS, "
                        + "not a whole number of u32");
            }
            clients = new long[length / 4];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = Integer.toUnsignedLong(buffer.getInt(attributes.offset(UNIX_DIAG_ICONS) + 4 * i));
            }
        }
        return new UnixListenerRecord(nameBytes, inode, type, pending, backlog, fileInode, fileDevice, clients);
    }
}
