package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SynRecvAttributionTest {
    private static TcpEndpoint at(String address, int port, int device) {
        return TcpEndpoint.of(IpAddresses.parse(address), port, false, device);
    }

    private static TcpEndpoint v6only(String address, int port, int device) {
        return TcpEndpoint.of(IpAddresses.parse(address), port, true, device);
    }

    /** The listeners get inodes 101, 102, ... in order. */
    private static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, TcpEndpoint... requests) {
        long[] inodes = new long[listeners.size()];
        for (int i = 0; i < inodes.length; i++) {
            inodes[i] = 101 + i;
        }
        return SynRecvAttribution.attribute(listeners, inodes, List.of(requests));
    }

    /** Count and sharing, as "count" for a listener's own requests and "count/sharedBy" for a pool's. */
    private static List<String> counts(List<TcpListener.SynRecv> synRecv) {
        return synRecv.stream().map(s -> s.shared() ? s.count() + "/" + s.sharedBy() : Long.toString(s.count()))
                .toList();
    }

    @Test
    void anExactAddressTakesItsRequestsBeforeTheWildcard() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("127.0.0.1", 80, 0));
        assertEquals(List.of("1", "2"), counts(attribute(listeners, at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0),
                at("10.0.0.1", 80, 0))));
    }

    @Test
    void requestsStayInTheirFamilyAndPort() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("::", 80, 0), at("0.0.0.0", 81, 0));
        assertEquals(List.of("1", "2", "0"),
                counts(attribute(listeners, at("127.0.0.1", 80, 0), at("::1", 80, 0), at("::ffff:127.0.0.1", 80, 0))),
                "a v4-mapped request is in the AF_INET6 dump: a dual-stack listener's");
    }

    @Test
    void anIpv4RequestBelongsToTheListenerBoundToItsDevice() {
        // inet_request_bound_dev_if: the request carries its owner's bound device, 0 for an unbound
        // owner; a device no listener is bound to is a VRF's, whose requests an unbound listener takes.
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("0.0.0.0", 80, 2));
        assertEquals(List.of("2", "2"), counts(attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.1", 80, 2),
                at("10.0.0.1", 80, 0), at("10.0.0.1", 80, 7))), "no pool: the device tells them apart");
    }

    @Test
    void aListenerBoundToAnotherDeviceCannotHaveTakenTheRequest() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 2), at("0.0.0.0", 80, 3));
        assertEquals(List.of("2", "1"), counts(attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.2", 80, 2),
                at("10.0.0.1", 80, 3))));
    }

    @Test
    void anIpv6LinkLocalRequestCarriesItsIncomingInterfaceAndIsShared() {
        // For a link-local client of an unbound listener the kernel records the interface the SYN
        // came in on: the same number a listener bound to that interface would carry.
        List<TcpEndpoint> listeners = List.of(at("::", 443, 0), at("::", 443, 4));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("fe80::1", 443, 4), at("fe80::1", 443, 4));
        assertEquals(List.of("2/2", "2/2"), counts(synRecv), "neither listener can be given them alone");
        assertEquals(List.of("0/2", "0/2"), counts(attribute(listeners)),
                "a pool of the listeners alone: it does not come and go with the traffic");
    }

    @Test
    void anIpv6AddressThatTakesNoLinkLocalClientsIsToldApartByDevice() {
        List<TcpEndpoint> listeners = List.of(at("2001:db8::1", 443, 0), at("2001:db8::1", 443, 4));
        assertEquals(List.of("1", "2"), counts(attribute(listeners, at("2001:db8::1", 443, 0),
                at("2001:db8::1", 443, 4), at("2001:db8::1", 443, 4))));
    }

    @Test
    void anIpv4ClientNeverBelongsToAV6onlyListener() {
        List<TcpEndpoint> listeners = List.of(v6only("::", 8096, 0), at("::", 8096, 0));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("::ffff:127.0.0.1", 8096, 0),
                at("::ffff:127.0.0.1", 8096, 0), at("::1", 8096, 0));
        // A native IPv6 client fits both, so they are one pool; but the IPv4 ones are the dual-stack
        // listener's, and the pool's total is all three.
        assertEquals(List.of("3/2", "3/2"), counts(synRecv));
        assertEquals(List.of("0"), counts(attribute(List.of(v6only("::", 8096, 0)), at("::ffff:127.0.0.1", 8096, 0))),
                "nobody's");
    }

    @Test
    void aReusePortGroupSharesItsTotal() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0), at("127.0.0.1", 81, 0));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0),
                at("127.0.0.1", 80, 0), at("127.0.0.1", 81, 0));
        assertEquals(List.of("3/2", "3/2", "1"), counts(synRecv));
        assertEquals(synRecv.get(0).pool(), synRecv.get(1).pool());
        assertNotEquals(synRecv.get(0).pool(), synRecv.get(2).pool());
    }

    @Test
    void aPoolIsNamedByItsSmallestInodeWhateverTheOrder() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0));
        List<TcpListener.SynRecv> synRecv = SynRecvAttribution.attribute(listeners, new long[] {907, 455}, List.of());
        assertEquals(455, synRecv.get(0).pool());
        assertEquals(455, synRecv.get(1).pool());
        assertEquals(List.of(9L), SynRecvAttribution.attribute(List.of(at("127.0.0.1", 80, 0)), new long[] {9},
                List.of()).stream().map(TcpListener.SynRecv::pool).toList(), "a listener alone names its own");
    }

    @Test
    void aReusePortGroupWithoutRequestsIsStillOnePool() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0));
        assertEquals(List.of("0/2", "0/2"), counts(attribute(listeners)));
    }

    @Test
    void linkLocalPoolsJoinThroughTheUnboundListener() {
        // The unbound listener may share link-local requests with the one bound to 2 and with the one
        // bound to 3: all three are one pool, judged on their total.
        List<TcpEndpoint> listeners = List.of(at("::", 80, 2), at("::", 80, 0), at("::", 80, 3));
        List<TcpListener.SynRecv> synRecv = attribute(listeners, at("fe80::1", 80, 2), at("fe80::1", 80, 3));
        assertEquals(List.of("2/3", "2/3", "2/3"), counts(synRecv));
        assertEquals(1, synRecv.stream().map(TcpListener.SynRecv::pool).distinct().count());
    }

    @Test
    void aRequestNoListenerCanHaveTakenIsNobodys() {
        assertEquals(List.of("0"), counts(attribute(List.of(at("127.0.0.1", 80, 0)), at("127.0.0.2", 80, 0),
                at("127.0.0.1", 81, 0))));
    }
}
