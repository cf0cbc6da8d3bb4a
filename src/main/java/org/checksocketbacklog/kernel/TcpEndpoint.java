package org.checksocketbacklog.kernel;

/**
 * The local address and port a TCP listener is bound to.
 *
 * @param ipv6     an AF_INET6 socket
 * @param address  the address as {@link IpAddresses#format} writes it ("127.0.0.1", "::1", "::")
 * @param port     the local port
 * @param v6only   an AF_INET6 listener that takes no IPv4 clients (IPV6_V6ONLY; set by binding ::1)
 * @param wildcard bound to 0.0.0.0 or ::, so it takes connections to every local address
 */
public record TcpEndpoint(boolean ipv6, String address, int port, boolean v6only, boolean wildcard) {
    public static TcpEndpoint of(byte[] address, int port, boolean v6only) {
        return new TcpEndpoint(address.length == 16, IpAddresses.format(address), port, v6only,
                IpAddresses.isWildcard(address));
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
}
