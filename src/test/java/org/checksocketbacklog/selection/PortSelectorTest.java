package org.checksocketbacklog.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.evaluation.EvaluationTest;
import org.checksocketbacklog.kernel.IpAddresses;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpEndpoint;
import org.checksocketbacklog.kernel.TcpListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PortSelectorTest {
    private static TcpListener tcp(String address, int port, boolean v6only, long inode) {
        return new TcpListener(TcpEndpoint.of(IpAddresses.parse(address), port, v6only, 0), inode, 0,
                OptionalLong.of(128), new TcpListener.SynRecv(0, 1, 0), 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "8080, , false, 8080",
        "127.0.0.1:8080, 127.0.0.1, false, 8080",
        "[::1]:443, ::1, true, 443",
        "[0:0::1]:443, ::1, true, 443",
        "0.0.0.0:1, 0.0.0.0, false, 1",
        "65535, , false, 65535",
    })
    void parses(String text, String address, boolean ipv6, int port) {
        PortSelector selector = PortSelector.parse(text);
        assertEquals(address, selector.address());
        assertEquals(ipv6, selector.ipv6());
        assertEquals(port, selector.port());
        assertEquals(text, selector.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65536", "-1", "80x", "http", "::1:8080", "[::1]8080", "[::1]", "[::1]:",
        "localhost:80", "1.2.3.4:", ":80", "1.2.3:80", "[1.2.3.4]:80x", "+80", "99999999999"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSelector.parse(text));
        assertTrue(e.getMessage().contains("\""), e.getMessage());
    }

    @Test
    void portAlonePicksEveryListenerOnThePort() {
        List<TcpListener> listeners = List.of(tcp("127.0.0.1", 80, false, 1), tcp("::1", 80, true, 2),
                tcp("0.0.0.0", 81, false, 3));
        assertEquals(List.of(listeners.get(0), listeners.get(1)), PortSelector.parse("80").select(listeners));
    }

    @Test
    void exactAddressWinsOverWildcard() {
        TcpListener exact = tcp("127.0.0.1", 80, false, 1);
        TcpListener wildcard = tcp("::", 80, false, 2);
        assertEquals(List.of(exact), PortSelector.parse("127.0.0.1:80").select(List.of(exact, wildcard)));
    }

    @Test
    void wildcardServesAnAddressNoListenerIsBoundTo() {
        TcpListener any4 = tcp("0.0.0.0", 80, false, 1);
        TcpListener any6 = tcp("::", 443, true, 2);
        TcpListener dualStack = tcp("::", 8080, false, 3);
        List<TcpListener> listeners = List.of(any4, any6, dualStack);
        assertEquals(List.of(any4), PortSelector.parse("127.0.0.1:80").select(listeners));
        assertEquals(List.of(), PortSelector.parse("[::1]:80").select(listeners), "0.0.0.0 takes no IPv6");
        assertEquals(List.of(any6), PortSelector.parse("[::1]:443").select(listeners));
        assertEquals(List.of(), PortSelector.parse("127.0.0.1:443").select(listeners), "v6only takes no IPv4");
        assertEquals(List.of(dualStack), PortSelector.parse("127.0.0.1:8080").select(listeners));
    }

    @Test
    void unixListenersAreNeverPicked() {
        Listener unix = EvaluationTest.listener("/run/80", 0, 1, 0);
        assertEquals(List.of(), PortSelector.parse("80").select(List.of(unix)));
    }

    /** The kernel routes a connection to ::ffff:a.b.c.d as IPv4: one destination, either spelling. */
    @Test
    void anIpv4AddressAndItsV4MappedFormAreOneDestination() {
        TcpListener mapped = tcp("::ffff:127.0.0.1", 7001, false, 1);
        TcpListener plain = tcp("127.0.0.1", 7002, false, 2);
        List<TcpListener> listeners = List.of(mapped, plain);
        assertEquals(List.of(mapped), PortSelector.parse("127.0.0.1:7001").select(listeners));
        assertEquals(List.of(mapped), PortSelector.parse("[::ffff:127.0.0.1]:7001").select(listeners));
        assertEquals(List.of(plain), PortSelector.parse("[::ffff:127.0.0.1]:7002").select(listeners));
        assertEquals(List.of(), PortSelector.parse("[::ffff:127.0.0.2]:7002").select(listeners));
        assertEquals(List.of(), PortSelector.parse("[::1]:7001").select(listeners), "::1 is not 127.0.0.1");
    }

    @Test
    void aV4MappedSelectorIsServedByTheIpv4AndDualStackWildcards() {
        TcpListener any4 = tcp("0.0.0.0", 80, false, 1);
        TcpListener dualStack = tcp("::", 81, false, 2);
        TcpListener v6only = tcp("::", 82, true, 3);
        List<TcpListener> listeners = List.of(any4, dualStack, v6only);
        assertEquals(List.of(any4), PortSelector.parse("[::ffff:10.0.0.1]:80").select(listeners));
        assertEquals(List.of(dualStack), PortSelector.parse("[::ffff:10.0.0.1]:81").select(listeners));
        assertEquals(List.of(), PortSelector.parse("[::ffff:10.0.0.1]:82").select(listeners));
    }
}
