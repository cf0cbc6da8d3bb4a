package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Netlink framing constants and helpers, as in linux/netlink.h and linux/sock_diag.h.
 * Netlink speaks host byte order, so every buffer here is in {@link ByteOrder#nativeOrder()}.
 */
public final class Netlink {
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_SOCK_DIAG = 4;

    /** sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid. */
    public static final int HEADER_LENGTH = 16;
    /** sizeof(struct nlattr) / struct rtattr: u16 len, u16 type. */
    public static final int ATTRIBUTE_HEADER_LENGTH = 4;

    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int SOCK_DIAG_BY_FAMILY = 20;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** NLM_F_ROOT | NLM_F_MATCH. */
    public static final int NLM_F_DUMP = 0x300;

    private Netlink() {
    }

    /** NLMSG_ALIGN / NLA_ALIGN: the next message or attribute starts on a 4-byte boundary. */
    public static int align(int length) {
        return (length + 3) & ~3;
    }

    /** A request: nlmsghdr for a SOCK_DIAG_BY_FAMILY dump followed by the family's request struct. */
    public static ByteBuffer dumpRequest(int sequence, byte[] familyRequest) {
        int length = HEADER_LENGTH + familyRequest.length;
        ByteBuffer request = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        request.putInt(length);
        request.putShort((short) SOCK_DIAG_BY_FAMILY);
        request.putShort((short) (NLM_F_REQUEST | NLM_F_DUMP));
        request.putInt(sequence);
        request.putInt(0); // nlmsg_pid: to the kernel
        request.put(familyRequest);
        return request.flip();
    }
}
