package org.checksocketbacklog.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The netlink attributes (struct nlattr/rtattr) that follow a fixed struct, indexed by type.
 * Types above {@code maxType} are ignored, so a newer kernel that adds attributes stays readable.
 */
final class Attributes {
    private final ByteBuffer[] byType;

    private Attributes(ByteBuffer[] byType) {
        this.byType = byType;
    }

    static Attributes parse(ByteBuffer region, int maxType, String owner) throws NetlinkException {
        ByteBuffer[] byType = new ByteBuffer[maxType + 1];
        ByteBuffer bytes = region.slice().order(ByteOrder.nativeOrder());
        while (bytes.remaining() >= Netlink.ATTRIBUTE_HEADER_LENGTH) {
            int start = bytes.position();
            int length = Short.toUnsignedInt(bytes.getShort(start));
            // The top two bits of nla_type are the NESTED and BYTEORDER flags, not part of the type.
            int type = bytes.getShort(start + 2) & 0x3fff;
            if (length < Netlink.ATTRIBUTE_HEADER_LENGTH || length > bytes.remaining()) {
                throw SockDiagDump.malformed(owner + " attribute " + type + " claims " + length
                        + " bytes but " + bytes.remaining() + " remain");
            }
            if (type <= maxType) {
                byType[type] = bytes.slice(start + Netlink.ATTRIBUTE_HEADER_LENGTH,
                        length - Netlink.ATTRIBUTE_HEADER_LENGTH).order(ByteOrder.nativeOrder());
            }
            bytes.position(Math.min(bytes.limit(), start + Netlink.align(length)));
        }
        return new Attributes(byType);
    }

    /** The attribute's payload, or null when the kernel did not send it. */
    ByteBuffer get(int type) {
        return byType[type];
    }
}
