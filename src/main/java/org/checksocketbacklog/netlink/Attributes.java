package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;

/**
 * The netlink attributes (struct nlattr/rtattr) that follow a fixed struct, indexed by type.
 * Types above {@code maxType} are ignored, so a newer kernel that adds attributes stays readable.
 *
 * <p>One instance serves every record of a dump: it holds offsets into the record's buffer, not
 * copies or slices, because a dump of thousands of listeners runs this once per listener on every
 * check, mostly before the JIT has compiled it.
 */
final class Attributes {
    private final int[] offset;
    private final int[] length;

    Attributes(int maxType) {
        offset = new int[maxType + 1];
        length = new int[maxType + 1];
    }

    /**
     * Reads the attributes in {@code buffer} from {@code from} to {@code to} (absolute positions),
     * forgetting those of the previous record.
     *
     * @param owner what the record is, e.g. "unix socket", and {@code ownerId} which: for the
     *              message of a malformed record only
     */
    void parse(ByteBuffer buffer, int from, int to, String owner, long ownerId) throws NetlinkException {
        java.util.Arrays.fill(offset, -1);
        int position = from;
        while (to - position >= Netlink.ATTRIBUTE_HEADER_LENGTH) {
            int attributeLength = Short.toUnsignedInt(buffer.getShort(position));
            // The top two bits of nla_type are the NESTED and BYTEORDER flags, not part of the type.
            int type = buffer.getShort(position + 2) & 0x3fff;
            if (attributeLength < Netlink.ATTRIBUTE_HEADER_LENGTH || attributeLength > to - position) {
                throw SockDiagDump.malformed(owner + " " + ownerId + " attribute " + type + " claims "
                        + attributeLength + " bytes but " + (to - position) + " remain");
            }
            if (type < offset.length) {
                offset[type] = position + Netlink.ATTRIBUTE_HEADER_LENGTH;
                length[type] = attributeLength - Netlink.ATTRIBUTE_HEADER_LENGTH;
            }
            position = Math.min(to, position + Netlink.align(attributeLength));
        }
    }

    /** Whether the kernel sent the attribute. */
    boolean has(int type) {
        return offset[type] >= 0;
    }

    /** The payload length of a present attribute. */
    int length(int type) {
        return length[type];
    }

    /** The absolute position of a present attribute's payload in the buffer parsed. */
    int offset(int type) {
        return offset[type];
    }
}
