package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.kernel.IpAddresses;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpEndpoint;

/**
 * A -p selector: a TCP port, optionally with the local address the service is reached at.
 *
 * @param text    as given on the command line, for messages
 * @param address null for any address, else IpAddresses.format text ("127.0.0.1", "::1")
 * @param ipv6    the address is an IPv6 one (meaningless when address is null)
 * @param port    1 to 65535
 */
public record PortSelector(String text, String address, boolean ipv6, int port) {
    /** "8080", "127.0.0.1:8080", "[::1]:8080". */
    static PortSelector parse(String text) {
        String portText = text;
        String address = null;
        boolean ipv6 = false;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\": write an IPv6 address as [ADDRESS]:PORT");
            }
            address = IpAddresses.format(IpAddresses.parse(text.substring(1, close)));
            ipv6 = true;
            portText = text.substring(close + 2);
        } else if (text.indexOf(':') >= 0) {
            int colon = text.lastIndexOf(':');
            if (text.indexOf(':') != colon) {
                throw new IllegalArgumentException("\"" + text + "\": write an IPv6 address as [ADDRESS]:PORT");
            }
            byte[] bytes = IpAddresses.parse(text.substring(0, colon));
            address = IpAddresses.format(bytes);
            portText = text.substring(colon + 1);
        }
        int port = -1;
        if (!portText.isEmpty() && portText.length() <= 5) {
            port = 0;
            for (int i = 0; i < portText.length() && port >= 0; i++) {
                char c = portText.charAt(i);
                port = c >= '0' && c <= '9' ? port * 10 + (c - '0') : -1;
            }
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": the port must be a number from 1 to 65535");
        }
        return new PortSelector(text, address, ipv6, port);
    }

    /**
     * The listeners that take connections to this address and port: bound to exactly that address
     * if there are any, else bound to the wildcard address of the family (a dual-stack [::]
     * listener also takes IPv4). Without an address, every listener on the port.
     */
    List<Listener> select(List<Listener> listeners) {
        List<Listener> exact = new ArrayList<>();
        List<Listener> wildcard = new ArrayList<>();
        for (Listener listener : listeners) {
            TcpEndpoint endpoint = listener.endpoint();
            if (endpoint == null || endpoint.port() != port) {
                continue;
            }
            if (address == null || endpoint.ipv6() == ipv6 && endpoint.address().equals(address)) {
                exact.add(listener);
            } else if (endpoint.wildcard() && (endpoint.ipv6() == ipv6 || endpoint.ipv6() && !endpoint.v6only())) {
                wildcard.add(listener);
            }
        }
        return exact.isEmpty() ? wildcard : exact;
    }
}
