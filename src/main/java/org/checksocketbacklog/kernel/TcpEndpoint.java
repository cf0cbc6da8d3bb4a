package org.checksocketbacklog.kernel;

/**
 * The local address, port and device a TCP listener is bound to, or a request socket was sent to.
 *
 * @param ipv6     an AF_INET6 socket
 * @param address  the address as {@link IpAddresses#format} writes it ("127.0.0.1", "::1", "::",
 *                 "::ffff:127.0.0.1")
 * @param port     the local port
 * @param v6only   an AF_INET6 listener that takes no IPv4 clients (IPV6_V6ONLY; set by binding ::1)
 * @param device   the interface index it is bound to (SO_BINDTODEVICE), 0 for none; for a request
 *                 socket, the interface the kernel filed it under. /proc does not show it: 0 there.
 */
public record TcpEndpoint(boolean ipv6, String address, int port, boolean v6only, int device) {
    public static TcpEndpoint of(byte[] address, int port, boolean v6only, int device) {
        return new TcpEndpoint(address.length == 16, IpAddresses.format(address), port, v6only, device);
    }

    /** Bound to 0.0.0.0 or ::, so it takes connections to every local address of its family. */
    public boolean wildcard() {
        return address.equals("0.0.0.0") || address.equals("::");
    }

    /**
     * The IPv4 address connections to this endpoint arrive at, or null: an AF_INET address as is,
     * and an AF_INET6 one that is IPv4-mapped (::ffff:a.b.c.d), since the kernel routes connections
     * to those as IPv4.
     */
    public String ipv4Address() {
        return IpAddresses.ipv4Destination(address, ipv6);
    }

    /** As ss prints it: "127.0.0.1:8080", "[::1]:8080". */
    public String displayName() {
        return ipv6 ? "[" + address + "]:" + port : address + ":" + port;
    }

    /**
     * The name perfdata labels carry: "tcp4/127.0.0.1/8080", "tcp6/__1/8080". Colons become
     * underscores because Icinga 2 reads "::" in a label as a check_multi prefix; addresses never
     * contain "_" or "/", so the name stays unambiguous.
     */
    public String perfName() {
        return (ipv6 ? "tcp6/" : "tcp4/") + address.replace(':', '_') + "/" + port;
    }

    /** Whether the two are one SO_REUSEPORT group's address: same family, address, port and device. */
    public boolean sameBinding(TcpEndpoint other) {
        return ipv6 == other.ipv6 && port == other.port && device == other.device && address.equals(other.address);
    }
}
