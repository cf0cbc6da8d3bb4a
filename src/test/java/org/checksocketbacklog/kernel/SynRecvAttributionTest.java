package org.checksocketbacklog.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SynRecvAttributionTest {
    private static TcpEndpoint at(String address, int port, int device) {
        return TcpEndpoint.of(IpAddresses.parse(address), port, false, device);
    }

    private static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, TcpEndpoint... requests) {
        return SynRecvAttribution.attribute(listeners, List.of(requests));
    }

    private static TcpListener.SynRecv own(long count) {
        return new TcpListener.SynRecv(count, 1);
    }

    @Test
    void anExactAddressTakesItsRequestsBeforeTheWildcard() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("127.0.0.1", 80, 0));
        assertEquals(List.of(own(1), own(2)), attribute(listeners, at("127.0.0.1", 80, 1), at("127.0.0.1", 80, 1),
                at("10.0.0.1", 80, 2)));
    }

    @Test
    void requestsStayInTheirFamilyAndPort() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("::", 80, 0), at("0.0.0.0", 81, 0));
        assertEquals(List.of(own(1), own(2), own(0)),
                attribute(listeners, at("127.0.0.1", 80, 0), at("::1", 80, 0), at("::ffff:127.0.0.1", 80, 0)),
                "a v4-mapped request is in the AF_INET6 dump: a dual-stack listener's");
    }

    @Test
    void aListenerBoundToTheRequestsDeviceTakesItFirst() {
        List<TcpEndpoint> listeners = List.of(at("0.0.0.0", 80, 0), at("0.0.0.0", 80, 2));
        assertEquals(List.of(own(1), own(2)),
                attribute(listeners, at("10.0.0.1", 80, 2), at("10.0.0.1", 80, 2), at("10.0.0.1", 80, 3)));
    }

    @Test
    void aReusePortGroupSharesItsTotal() {
        List<TcpEndpoint> listeners = List.of(at("127.0.0.1", 80, 0), at("127.0.0.1", 80, 0), at("127.0.0.1", 81, 0));
        List<TcpListener.SynRecv> counts = attribute(listeners, at("127.0.0.1", 80, 1), at("127.0.0.1", 80, 1),
                at("127.0.0.1", 80, 1), at("127.0.0.1", 81, 1));
        assertEquals(List.of(new TcpListener.SynRecv(3, 2), new TcpListener.SynRecv(3, 2), own(1)), counts);
    }

    @Test
    void aRequestNoListenerCanHaveTakenIsNobodys() {
        assertEquals(List.of(own(0)), attribute(List.of(at("127.0.0.1", 80, 0)), at("127.0.0.2", 80, 0),
                at("127.0.0.1", 81, 0)));
    }
}
