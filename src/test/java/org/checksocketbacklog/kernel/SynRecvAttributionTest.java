package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SynRecvAttributionTest {
    private static TcpEndpoint at(String address, int port, int device) {
        return TcpEndpoint.of(IpAddresses.parse(address), port, false, device);
    }

    private static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, TcpEndpoint... requests) {
        return SynRecvAttribution.attribute(listeners, List.of(requests));
    }

    /** Count and sharing, as "count" for a listener's own requests and "count/sharedBy" for a pool's. */
    private static List<String> counts(List<TcpListener.SynRecv> synRecv) {
        return synRecv.stream().map(s -> s.shared() ? s.count() + "/" + s.sharedBy() : Long.toString(s.count()))
                .toList();
    }

    @Test
    void anExactAddressTakesItsRequestsBeforeTheWildcard() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("127.0.0.1", 80, 0));
        assertEquals(List.of("1", "2"), counts(attribute(listeners, at("127.0.0.1", 80, 1), at("127.0.0.1", 80, 1),
                at("10.0.0.1", 80, 2))));
    }

    @Test
    void requestsStayInTheirFamilyAndPort() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("::", 80, 0), at("0.0.0.0", 81, 0));
        assertEquals(List.of("1", "2", "0"),
                counts(attribute(listeners, at("127.0.0.1", 80, 0), at("::1", 80, 0), at("::ffff:127.0.0.1", 80, 0))),
                "a v4-mapped request is in the AF_INET6 dump: a dual-stack listener's");
    }

    @Test
    void listenersThatDifferOnlyInTheirDeviceShareWhatBothCouldHaveTaken() {
        // A request's interface is its owner's bound device for IPv4 (or a VRF master for an unbound
        // listener with tcp_l3mdev_accept), so the request on device 2 may be either listener's.
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("0.0.0.0", 80, 2));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.1", 80, 2),
                at("10.0.0.1", 80, 3));
        assertEquals(List.of("3/2", "3/2"), counts(synRecv));
        assertEquals(synRecv.get(0).pool(), synRecv.get(1).pool());
    }

    @Test
    void anIpv6LinkLocalRequestCarriesItsIncomingInterfaceAndIsShared() {
        // For a link-local client of an unbound listener the kernel records the interface the SYN
        // came in on: the same number a listener bound to that interface would carry.
        List<TcpEndpoint> listeners = List.of(at("::", 443, 0), at("::", 443, 4));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("fe80::1", 443, 4), at("fe80::1", 443, 4));
        assertEquals(List.of("2/2", "2/2"), counts(synRecv), "neither listener can be given them alone");
    }

    @Test
    void aListenerBoundToAnotherDeviceCannotHaveTakenTheRequest() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 2), at("0.0.0.0", 80, 3));
        assertEquals(List.of("2", "1"), counts(attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.2", 80, 2),
                at("10.0.0.1", 80, 3))));
    }

    @Test
    void aReusePortGroupSharesItsTotal() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0), at("127.0.0.1", 81, 0));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("127.0.0.1", 80, 1), at("127.0.0.1", 80, 1),
                at("127.0.0.1", 80, 1), at("127.0.0.1", 81, 1));
        assertEquals(List.of("3/2", "3/2", "1"), counts(synRecv));
        assertEquals(synRecv.get(0).pool(), synRecv.get(1).pool());
        assertNotEquals(synRecv.get(0).pool(), synRecv.get(2).pool());
    }

    @Test
    void aReusePortGroupWithoutRequestsIsStillOnePool() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0));
        assertEquals(List.of("0/2", "0/2"), counts(attribute(listeners)));
    }

    @Test
    void poolsJoinThroughAListenerTheyShare() {
        // Device 0 shares requests on device 2 with the listener bound to 2, and those on device 3
        // with the one bound to 3: all three are one pool, judged on their total.
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 2), at("0.0.0.0", 80, 0), at("0.0.0.0", 80, 3));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.1", 80, 3));
        assertEquals(List.of("2/3", "2/3", "2/3"), counts(synRecv));
        assertEquals(1, synRecv.stream().map(TcpListener.SynRecv::pool).distinct().count());
    }

    @Test
    void aRequestNoListenerCanHaveTakenIsNobodys() {
        assertEquals(List.of("0"), counts(attribute(List.of(at("127.0.0.1", 80, 0)), at("127.0.0.2", 80, 0),
                at("127.0.0.1", 81, 0))));
    }
}
