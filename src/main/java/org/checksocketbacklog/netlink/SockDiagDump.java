package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs one sock_diag dump and returns every SOCK_DIAG_BY_FAMILY message in it ({@link DumpRecords}).
 *
 * <p>The checks are the ones a dump loop needs (iproute2's rtnl_dump_filter does the same): a
 * truncated datagram is an error, never a silent loss of sockets; messages of another sequence are
 * skipped; NLMSG_ERROR and a negative NLMSG_DONE status carry the kernel's errno; a message that runs
 * past its datagram is malformed; NLM_F_DUMP_INTR means the table changed and the session dumps again.
 */
final class SockDiagDump {
    /**
     * A bound on datagrams per dump, so that a kernel (or fake) that never sends NLMSG_DONE cannot
     * keep us reading forever even within the receive timeout. 100k datagrams of ~32 KiB is far more
     * listeners than any host has.
     */
    static final int MAX_DATAGRAMS = 100_000;

    private SockDiagDump() {
    }

    static DumpRecords run(NetlinkTransport transport, int sequence, byte[] familyRequest)
            throws NetlinkException {
        transport.send(Netlink.dumpRequest(sequence, familyRequest));
        DumpRecords payloads = new DumpRecords();
        for (int datagrams = 0; datagrams < MAX_DATAGRAMS; datagrams++) {
            Datagram datagram = transport.receive();
            if (datagram.truncated()) {
                throw new NetlinkException("the kernel's sock_diag reply was truncated ("
                        + datagram.fullLength() + " bytes did not fit a " + datagram.bytes().remaining()
                        + "-byte buffer)");
            }
            if (readDatagram(datagram.bytes(), sequence, payloads)) {
                return payloads;
            }
        }
        throw new NetlinkException("the kernel's sock_diag reply did not end after " + MAX_DATAGRAMS + " datagrams");
    }

    /** Appends the datagram's socket records to {@code payloads}; true once NLMSG_DONE is seen. */
    static boolean readDatagram(ByteBuffer datagram, int sequence, DumpRecords payloads)
            throws NetlinkException {
        ByteBuffer bytes = datagram.slice().order(ByteOrder.nativeOrder());
        while (bytes.remaining() > 0) {
            int start = bytes.position();
            if (bytes.remaining() < Netlink.HEADER_LENGTH) {
                throw malformed("a message header is cut short (" + bytes.remaining() + " bytes left)");
            }
            int length = bytes.getInt(start);
            int type = Short.toUnsignedInt(bytes.getShort(start + 4));
            int flags = Short.toUnsignedInt(bytes.getShort(start + 6));
            int messageSequence = bytes.getInt(start + 8);
            if (length < Netlink.HEADER_LENGTH || length > bytes.remaining()) {
                throw malformed("a message claims " + length + " bytes but " + bytes.remaining() + " remain");
            }
            int payloadStart = start + Netlink.HEADER_LENGTH;
            int payloadEnd = start + length;
            // The last message of a datagram need not be padded, hence the min.
            bytes.position(Math.min(bytes.limit(), start + Netlink.align(length)));

            if (messageSequence != sequence) {
                continue; // a reply to someone else's request on a reused port id
            }
            if ((flags & Netlink.NLM_F_DUMP_INTR) != 0) {
                throw new DumpInterruptedException();
            }
            switch (type) {
                case Netlink.NLMSG_DONE:
                    // Since Linux 4.x the payload is an int status; older kernels may send none.
                    if (payloadEnd - payloadStart >= 4 && bytes.getInt(payloadStart) < 0) {
                        throw new NetlinkException("the kernel ended the sock_diag dump with an error",
                                -bytes.getInt(payloadStart));
                    }
                    return true;
                case Netlink.NLMSG_ERROR:
                    if (payloadEnd - payloadStart < 4) {
                        throw malformed("an NLMSG_ERROR message has no error code");
                    }
                    int error = bytes.getInt(payloadStart);
                    if (error == 0) {
                        continue; // an acknowledgement, not an error
                    }
                    throw new NetlinkException("the kernel refused the sock_diag request", -error);
                case Netlink.NLMSG_OVERRUN:
                    throw new NetlinkException("the kernel reported an overrun of the sock_diag reply");
                case Netlink.SOCK_DIAG_BY_FAMILY:
                    payloads.add(bytes, payloadStart, payloadEnd);
                    break;
                default:
                    break; // NLMSG_NOOP and anything newer carry no socket
            }
        }
        return false;
    }

    static NetlinkException malformed(String what) {
        return new NetlinkException("malformed sock_diag reply from the kernel: " + what);
    }
}
