package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP half of sock_diag (linux/inet_diag.h): requests for listeners and for SYN-RECV request
 * sockets, optionally filtered by local port in the kernel, and the decoding of the replies.
 */
public final class InetDiag {
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;

    public static final int STATE_SYN_RECV = 3;
    public static final int STATE_LISTEN = 10;
    /** TCP_NEW_SYN_RECV; asking for SYN_RECV makes the kernel add it, asking for both is harmless. */
    static final int STATE_NEW_SYN_RECV = 12;

    /** sizeof(struct inet_diag_req_v2): family, protocol, ext, pad, states, inet_diag_sockid (48). */
    static final int REQUEST_LENGTH = 56;
    /** sizeof(struct inet_diag_msg). */
    static final int MESSAGE_LENGTH = 72;
    static final int INET_DIAG_REQ_BYTECODE = 1;
    static final int INET_DIAG_SKV6ONLY = 11;
    /**
     * The cgroup v2 id of the cgroup the socket was created in (u64): sent for every socket, no
     * extension asked, since Linux 5.7; the inode of that cgroup's directory in the cgroup2 mount.
     */
    static final int INET_DIAG_CGROUP_ID = 21;

    // Bytecode operations (enum in linux/inet_diag.h); S_GE/S_LE rather than S_EQ (4.16+) so that
    // older kernels accept the filter too.
    static final int INET_DIAG_BC_JMP = 1;
    static final int INET_DIAG_BC_S_GE = 2;
    static final int INET_DIAG_BC_S_LE = 3;
    /** Kernel limit on the bytecode attribute (a u16 length); far above what a command line gives. */
    static final int MAX_FILTERED_PORTS = 1000;

    private InetDiag() {
    }

    /** A dump of TCP listeners of one family, restricted to {@code ports} when not empty. */
    public static byte[] listenerRequest(int family, List<Integer> ports) {
        return request(family, 1 << STATE_LISTEN, ports);
    }

    /** A dump of SYN-RECV request sockets of one family, restricted to {@code ports} when not empty. */
    public static byte[] synRecvRequest(int family, List<Integer> ports) {
        return request(family, 1 << STATE_SYN_RECV | 1 << STATE_NEW_SYN_RECV, ports);
    }

    static byte[] request(int family, int states, List<Integer> ports) {
        byte[] bytecode = ports.isEmpty() ? new byte[0] : portFilter(ports);
        int attributeLength = bytecode.length == 0 ? 0 : Netlink.ATTRIBUTE_HEADER_LENGTH + bytecode.length;
        ByteBuffer request = ByteBuffer.allocate(REQUEST_LENGTH + attributeLength).order(ByteOrder.nativeOrder());
        request.put((byte) family);          // sdiag_family
        request.put((byte) IPPROTO_TCP);     // sdiag_protocol
        request.put((byte) 0);               // idiag_ext: no extensions, we need only the queues
        request.put((byte) 0);               // pad
        request.putInt(states);              // idiag_states
        request.position(REQUEST_LENGTH);    // id: all zero for a dump
        if (attributeLength > 0) {
            request.putShort((short) attributeLength);
            request.putShort((short) INET_DIAG_REQ_BYTECODE);
            request.put(bytecode);
        }
        return request.array();
    }

    /**
     * An inet_diag bytecode program accepting sockets whose local port is any of {@code ports}.
     * Each op is {u8 code; u8 yes; u16 no}: the kernel advances by yes bytes when the test holds and
     * by no bytes when not; reaching the end accepts, landing 4 bytes past it rejects. Every no-jump
     * must land on an op that the chain of yes-jumps from the start also reaches (the kernel's
     * valid_cc), so each port is a segment the yes-chain runs through:
     * <pre>
     *   S_GE p (yes 8, no 20)  [port op]   fail: next segment (or reject after the last)
     *   S_LE p (yes 8, no 12)  [port op]   fail: likewise
     *   JMP    (yes 4, no = rest)          both held: jump to the end, accept
     * </pre>
     * The last segment has no JMP: passing its tests reaches the end.
     */
    static byte[] portFilter(List<Integer> ports) {
        if (ports.size() > MAX_FILTERED_PORTS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERED_PORTS + " ports can be filtered");
        }
        int length = ports.size() * 20 - 4;
        ByteBuffer program = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            op(program, INET_DIAG_BC_S_GE, 8, 20);
            op(program, 0, 0, port);
            op(program, INET_DIAG_BC_S_LE, 8, 12);
            op(program, 0, 0, port);
            if (i < ports.size() - 1) {
                op(program, INET_DIAG_BC_JMP, 4, length - program.position());
            }
        }
        return program.array();
    }

    private static void op(ByteBuffer program, int code, int yes, int no) {
        program.put((byte) code).put((byte) yes).putShort((short) no);
    }

    public static List<InetListenerRecord> decode(DumpRecords records) throws NetlinkException {
        List<InetListenerRecord> decoded = new ArrayList<>(records.size());
        Attributes attributes = new Attributes(INET_DIAG_CGROUP_ID);
        for (int i = 0; i < records.size(); i++) {
            decoded.add(decode(records.buffer(i), records.start(i), records.end(i), attributes));
        }
        return decoded;
    }

    /** One inet_diag_msg and its attributes, the payload of a message: all of {@code payload}. */
    static InetListenerRecord decode(ByteBuffer payload) throws NetlinkException {
        return decode(payload, 0, payload.limit(), new Attributes(INET_DIAG_CGROUP_ID));
    }

    private static InetListenerRecord decode(ByteBuffer buffer, int start, int end, Attributes attributes)
            throws NetlinkException {
        if (end - start < MESSAGE_LENGTH) {
            throw SockDiagDump.malformed("an inet_diag_msg has " + (end - start) + " bytes, expected "
                    + MESSAGE_LENGTH);
        }
        int family = Byte.toUnsignedInt(buffer.get(start));     // idiag_family
        int state = Byte.toUnsignedInt(buffer.get(start + 1));  // idiag_state
        if (family != AF_INET && family != AF_INET6) {
            throw SockDiagDump.malformed("an inet_diag_msg has family " + family);
        }
        // inet_diag_sockid at 4: idiag_sport and idiag_dport are big-endian whatever the host.
        int localPort = (buffer.get(start + 4) & 0xff) << 8 | buffer.get(start + 5) & 0xff;
        byte[] address = new byte[family == AF_INET ? 4 : 16];
        buffer.get(start + 8, address);                                    // idiag_src, network byte order
        int device = buffer.getInt(start + 40);                            // idiag_if
        long pending = Integer.toUnsignedLong(buffer.getInt(start + 56));  // idiag_rqueue
        long backlog = Integer.toUnsignedLong(buffer.getInt(start + 60));  // idiag_wqueue
        long inode = Integer.toUnsignedLong(buffer.getInt(start + 68));    // idiag_inode
        attributes.parse(buffer, start + MESSAGE_LENGTH, end, "tcp socket", inode);
        boolean v6only = attributes.has(INET_DIAG_SKV6ONLY) && attributes.length(INET_DIAG_SKV6ONLY) >= 1
                && buffer.get(attributes.offset(INET_DIAG_SKV6ONLY)) != 0;
        long cgroupId = attributes.has(INET_DIAG_CGROUP_ID) && attributes.length(INET_DIAG_CGROUP_ID) >= 8
                ? buffer.getLong(attributes.offset(INET_DIAG_CGROUP_ID)) : 0;
        return new InetListenerRecord(family, state, address, localPort, device, inode, pending, backlog, v6only,
                cgroupId);
    }
}
