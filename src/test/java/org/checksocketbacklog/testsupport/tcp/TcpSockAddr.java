package org.checksocketbacklog.testsupport.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.checksocketbacklog.testsupport.libc.TcpLibc;

/**
 * {@code struct sockaddr_in} and {@code struct sockaddr_in6} as bytes, for bind/connect through
 * JNA and for reading getsockname's answer.
 *
 * <p>Layouts (netinet/in.h, checked with gcc): sockaddr_in is 16 bytes {u16 family (host order);
 * be16 port; 4 address bytes; 8 zero bytes}. sockaddr_in6 is 28 bytes {u16 family; be16 port;
 * u32 flowinfo; 16 address bytes at offset 8; u32 scope_id at 24}. Only the family is in host
 * order; port and address are in network order, which is how Java already holds them.
 */
public final class TcpSockAddr {
    public static final int SOCKADDR_IN_LEN = 16;
    public static final int SOCKADDR_IN6_LEN = 28;

    private TcpSockAddr() {
    }

    /** The kernel's address family for {@code address}: AF_INET or AF_INET6. */
    public static int family(InetAddress address) {
        return address instanceof Inet4Address ? TcpLibc.AF_INET : TcpLibc.AF_INET6;
    }

    /** Encodes an IPv4 or IPv6 socket address; a scoped IPv6 address keeps its scope id. */
    public static byte[] encode(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved address: " + address);
        }
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            return header(SOCKADDR_IN_LEN, TcpLibc.AF_INET, port).put(ip.getAddress()).array();
        }
        Inet6Address ip6 = (Inet6Address) ip;
        return header(SOCKADDR_IN6_LEN, TcpLibc.AF_INET6, port).putInt(0).put(ip6.getAddress())
                .putInt(ip6.getScopeId()).array();
    }

    private static ByteBuffer header(int len, int family, int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port);
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putShort((short) family);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) port);
        return b;
    }

    /**
     * Decodes what getsockname/getpeername wrote. A v4-mapped IPv6 address ({@code ::ffff:a.b.c.d})
     * comes back as an {@link Inet4Address}, because {@link InetAddress#getByAddress} maps it so.
     */
    public static InetSocketAddress decode(byte[] sockaddr) {
        if (sockaddr.length < 2) {
            throw new IllegalArgumentException("sockaddr of " + sockaddr.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(sockaddr).order(ByteOrder.nativeOrder());
        int family = Short.toUnsignedInt(b.getShort(0));
        int port = Short.toUnsignedInt(b.order(ByteOrder.BIG_ENDIAN).getShort(2));
        try {
            if (family == TcpLibc.AF_INET && sockaddr.length >= 8) {
                return new InetSocketAddress(InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8)), port);
            }
            if (family == TcpLibc.AF_INET6 && sockaddr.length >= SOCKADDR_IN6_LEN) {
                byte[] ip = Arrays.copyOfRange(sockaddr, 8, 24);
                int scope = b.order(ByteOrder.nativeOrder()).getInt(24);
                InetAddress a = scope != 0 ? Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
                return new InetSocketAddress(a, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address bytes", e); // only for a wrong length
        }
        throw new IllegalArgumentException("not an inet sockaddr: family " + family + ", " + sockaddr.length
                + " bytes");
    }
}
