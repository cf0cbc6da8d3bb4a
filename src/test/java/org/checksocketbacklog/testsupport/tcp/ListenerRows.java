package org.checksocketbacklog.testsupport.tcp;

import java.util.List;
import java.util.Set;
import org.checksocketbacklog.testsupport.oracles.TcpProcNet;

/**
 * The rows of /proc/net/tcp{,6} that belong to one listener: its LISTEN row, found by inode, and
 * the sockets between its port and its clients' ports, in either direction. The client ports keep
 * foreign sockets out, even ones that reuse the listener's port after close.
 */
final class ListenerRows {
    private final long inode;
    private final int port;
    private final Set<Integer> clientPorts;

    ListenerRows(long inode, int port, Set<Integer> clientPorts) {
        this.inode = inode;
        this.port = port;
        this.clientPorts = Set.copyOf(clientPorts);
    }

    /** Its LISTEN row and every row between it and a client: children, request sockets, both ends of pairs, TIME_WAIT. */
    List<TcpProcNet.Entry> all() {
        return TcpProcNet.read().stream()
                .filter(e -> (e.inode() == inode && e.state() == TcpProcNet.ST_LISTEN) || betweenListenerAndClient(e))
                .toList();
    }

    /** Request sockets (st 03) of these clients: the listener's side, so the client port is the remote one. */
    long requestSockets() {
        return TcpProcNet.read().stream().filter(e -> e.state() == TcpProcNet.ST_SYN_RECV && e.localPort() == port
                && clientPorts.contains(e.remotePort())).count();
    }

    /** ESTABLISHED rows between the listener's port and these clients, either end. */
    long established() {
        return TcpProcNet.read().stream().filter(e -> e.state() == TcpProcNet.ST_ESTABLISHED)
                .filter(this::betweenListenerAndClient).count();
    }

    private boolean betweenListenerAndClient(TcpProcNet.Entry e) {
        return (e.localPort() == port && clientPorts.contains(e.remotePort()))
                || (e.remotePort() == port && clientPorts.contains(e.localPort()));
    }
}
