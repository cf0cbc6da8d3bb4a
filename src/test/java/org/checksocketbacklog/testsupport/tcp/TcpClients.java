package org.checksocketbacklog.testsupport.tcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.testsupport.libc.ErrnoException;
import org.checksocketbacklog.testsupport.libc.TcpLibc;
import org.checksocketbacklog.testsupport.libc.TestLibc;
import org.checksocketbacklog.testsupport.lifecycle.Cleanup;

/**
 * The client sockets of one {@link TcpListener}, each with the role it was made for. Clients
 * connect non-blocking, so none can sleep in connect() on a full queue, and get SO_LINGER {1, 0}:
 * closing one sends an RST, so no TIME_WAIT entry outlives the test (see
 * {@link TcpLibc#setLingerZero(int)}).
 */
final class TcpClients {
    private final TcpListener listener;
    private final List<TcpClient> clients = new ArrayList<>();
    /** Local ports of every client ever made, kept after close to look for leftovers. */
    private final Set<Integer> portsEverMade = new LinkedHashSet<>();

    TcpClients(TcpListener listener) {
        this.listener = listener;
    }

    /**
     * One non-blocking connect() to {@code peer}:{@code port}, registered before anything can fail
     * so that close finds it. On loopback the handshake usually completes inside connect(), which
     * then returns 0 instead of EINPROGRESS; both are fine.
     */
    TcpClient connect(InetAddress peer, int port, TcpClient.Role role) {
        if (clients.size() >= TcpListener.MAX_CLIENTS) {
            throw new IllegalStateException("more than " + TcpListener.MAX_CLIENTS + " clients on " + listener);
        }
        int c = TcpLibc.socket(TcpBind.isIpv4(peer) ? TcpLibc.AF_INET : TcpLibc.AF_INET6);
        TcpClient client;
        try {
            TestLibc.setNonBlocking(c);
            TcpLibc.setLingerZero(c);
            try {
                TestLibc.connect(c, TcpSockAddr.encode(new InetSocketAddress(peer, port)));
            } catch (ErrnoException e) {
                if (e.errno() != TcpLibc.EINPROGRESS) {
                    throw e;
                }
            }
            // tcp_v4_connect()/tcp_v6_connect() pick the local port before sending the SYN.
            client = new TcpClient(c, TcpSockAddr.decode(TcpLibc.getsockname(c)).getPort(), role);
        } catch (RuntimeException e) {
            TestLibc.close(c);
            throw e;
        }
        clients.add(client);
        portsEverMade.add(client.localPort());
        return client;
    }

    /** tcpi_state of a client; a refused or reset connect shows as CLOSE and fails at once. */
    int state(TcpClient c) {
        int state = TcpLibc.tcpInfo(c.fd()).state();
        if (state == TcpLibc.TCP_CLOSE) {
            throw new IllegalStateException("client :" + c.localPort() + " of " + listener + " is closed, SO_ERROR "
                    + TcpLibc.pendingError(c.fd()));
        }
        return state;
    }

    /** Throws unless {@code n} more clients fit under {@link TcpListener#MAX_CLIENTS}. */
    void requireRoomFor(int n) {
        if (n < 1 || clients.size() + n > TcpListener.MAX_CLIENTS) {
            throw new IllegalArgumentException("n must be 1.." + (TcpListener.MAX_CLIENTS - clients.size())
                    + ", was " + n);
        }
    }

    int count(TcpClient.Role role) {
        return (int) clients.stream().filter(c -> c.role() == role).count();
    }

    List<TcpClient> withRole(TcpClient.Role role) {
        return clients.stream().filter(c -> c.role() == role).toList();
    }

    Set<Integer> ports(TcpClient.Role role) {
        Set<Integer> ports = new LinkedHashSet<>();
        withRole(role).forEach(c -> ports.add(c.localPort()));
        return ports;
    }

    /** Every client socket still open (none once closed). */
    List<TcpClient> all() {
        return List.copyOf(clients);
    }

    /** Local ports of every client ever made, closed ones included. */
    Set<Integer> portsEverMade() {
        return Set.copyOf(portsEverMade);
    }

    /** Closes every client (an RST each, thanks to SO_LINGER 0). */
    void close(Cleanup cleanup) {
        clients.forEach(c -> cleanup.closeFd(c.fd()));
        clients.clear();
    }
}
