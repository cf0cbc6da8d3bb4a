package org.checksocketbacklog.selection;

import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.kernel.IpAddresses;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpEndpoint;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.plugin.InvalidValueException;

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
    public static PortSelector parse(String text) {
        String portText = text;
        String address = null;
        boolean ipv6 = false;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new InvalidValueException("\"" + text + "\": write an IPv6 address as [ADDRESS]:PORT");
            }
            address = IpAddresses.format(IpAddresses.parse(text.substring(1, close)));
            ipv6 = true;
            portText = text.substring(close + 2);
        } else if (text.indexOf(':') >= 0) {
            int colon = text.lastIndexOf(':');
            if (text.indexOf(':') != colon) {
                throw new InvalidValueException("\"" + text + "\": write an IPv6 address as [ADDRESS]:PORT");
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
            throw new InvalidValueException("\"" + text + "\": the port must be a number from 1 to 65535");
        }
        return new PortSelector(text, address, ipv6, port);
    }

    /**
     * The listeners that take connections to this address and port, as the kernel would pick one
     * for a SYN: those bound to exactly that address if there are any, else those bound to the
     * wildcard address. An IPv4 address and its v4-mapped IPv6 form (::ffff:a.b.c.d) are one
     * destination, because the kernel routes connections to the mapped form as IPv4: so -p
     * 127.0.0.1:P finds a listener bound to [::ffff:127.0.0.1]:P, and the mirror, and a dual-stack
     * [::] listener serves IPv4 destinations. Without an address, every listener on the port.
     */
    List<TcpListener> select(List<? extends Listener> listeners) {
        String ipv4 = address == null ? null : IpAddresses.ipv4Destination(address, ipv6);
        List<TcpListener> exact = new ArrayList<>();
        List<TcpListener> wildcard = new ArrayList<>();
        for (Listener listener : listeners) {
            if (!(listener instanceof TcpListener)) {
                continue;
            }
            TcpListener tcp = (TcpListener) listener;
            TcpEndpoint endpoint = tcp.endpoint();
            if (endpoint.port() != port) {
                continue;
            }
            if (address == null) {
                exact.add(tcp);
            } else if (ipv4 != null) {
                if (ipv4.equals(endpoint.ipv4Address())) {
                    exact.add(tcp);
                } else if ("0.0.0.0".equals(endpoint.ipv4Address()) || endpoint.ipv6() && endpoint.wildcard()
                        && !endpoint.v6only()) {
                    wildcard.add(tcp);
                }
            } else if (endpoint.ipv6() && endpoint.address().equals(address)) {
                exact.add(tcp);
            } else if (endpoint.ipv6() && endpoint.wildcard()) {
                wildcard.add(tcp);
            }
        }
        return exact.isEmpty() ? wildcard : exact;
    }
}
