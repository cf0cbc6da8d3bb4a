package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.checksocketbacklog.netlink.Errno;
import org.checksocketbacklog.netlink.InetDiag;
import org.checksocketbacklog.netlink.InetListenerRecord;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.netlink.SockDiagSession;
import org.checksocketbacklog.procfs.ProcFileException;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.procfs.ProcNetTcp;

/**
 * Reads the TCP listeners of both families: accept queues and backlogs from inet_diag, plus the
 * SYN-RECV request sockets counted per listener, or the same counts from /proc/net/tcp{,6} when
 * sock_diag is refused.
 *
 * <p>The listener dump walks only the kernel's listening hash. The SYN-RECV dump must walk the
 * established hash, where request sockets live; with ports selected, an in-kernel bytecode filter
 * keeps other sockets out of the reply, so a host with many connections costs little.
 */
public final class TcpListenerReader {
    private final ProcFiles proc;
    private final NetlinkTransport.Opener opener;

    public TcpListenerReader(ProcFiles proc, NetlinkTransport.Opener opener) {
        this.proc = proc;
        this.opener = opener;
    }

    /** @param ports local ports to read, or empty for every listener */
    public ListenerSnapshot<TcpListener> read(SourcePreference preference, List<Integer> ports)
            throws KernelReadException {
        try (SockDiagSession session = new SockDiagSession(opener)) {
            return read(preference, ports, session);
        }
    }

    /** The same, on a session the caller keeps open for more dumps (the samples of one check). */
    public ListenerSnapshot<TcpListener> read(SourcePreference preference, List<Integer> ports,
            SockDiagSession session) throws KernelReadException {
        return read(preference, ports, session, true);
    }

    /**
     * The accept queues alone, for a later sample of one check: no SYN-RECV dump, which walks every
     * connected TCP socket of the host; the listeners' SYN-RECV counts are then 0 and not to be used.
     */
    public ListenerSnapshot<TcpListener> readQueues(SourcePreference preference, List<Integer> ports,
            SockDiagSession session) throws KernelReadException {
        return read(preference, ports, session, false);
    }

    private ListenerSnapshot<TcpListener> read(SourcePreference preference, List<Integer> ports,
            SockDiagSession session, boolean withRequests) throws KernelReadException {
        if (preference == SourcePreference.PROC) {
            return fromProc(null, ports);
        }
        try {
            return fromSockDiag(ports, session, withRequests);
        } catch (NetlinkException e) {
            if (preference == SourcePreference.AUTO && e.refused()) {
                return fromProc(e.getMessage(), ports);
            }
            throw new KernelReadException(e.getMessage(), e);
        }
    }

    private ListenerSnapshot<TcpListener> fromSockDiag(List<Integer> ports, SockDiagSession session,
            boolean withRequests) throws NetlinkException {
        List<InetListenerRecord> v4 = dump(session, InetDiag.listenerRequest(InetDiag.AF_INET, ports), false);
        List<InetListenerRecord> v6 = dump(session, InetDiag.listenerRequest(InetDiag.AF_INET6, ports), true);
        // A request socket is in the dump of its listener's family (an IPv4 client of a [::]
        // listener in AF_INET6's), and a request dump walks every connected TCP socket of the
        // host (200,000 cost 25 ms): no walk for a family without a listener on these ports.
        List<InetListenerRecord> requests = new ArrayList<>();
        if (withRequests && hasListener(v4)) {
            requests.addAll(dump(session, InetDiag.synRecvRequest(InetDiag.AF_INET, ports), false));
        }
        if (withRequests && hasListener(v6)) {
            requests.addAll(dump(session, InetDiag.synRecvRequest(InetDiag.AF_INET6, ports), true));
        }
        List<InetListenerRecord> listeners = new ArrayList<>(v4.size() + v6.size());
        listeners.addAll(v4);
        listeners.addAll(v6);
        return new ListenerSnapshot<>(merge(listeners, requests), Source.SOCK_DIAG, null);
    }

    private static boolean hasListener(List<InetListenerRecord> records) {
        for (InetListenerRecord record : records) {
            if (record.state() == InetDiag.STATE_LISTEN) {
                return true;
            }
        }
        return false;
    }

    /** One dump; an AF_INET6 dump the kernel has no handler for (booted without IPv6) is empty. */
    private static List<InetListenerRecord> dump(SockDiagSession session, byte[] request, boolean ipv6)
            throws NetlinkException {
        try {
            return InetDiag.decode(session.dump(request));
        } catch (NetlinkException e) {
            if (ipv6 && e.errno() == Errno.ENOENT) {
                return List.of();
            }
            throw e;
        }
    }

    private static List<TcpListener> merge(List<InetListenerRecord> listenerRecords,
            List<InetListenerRecord> requestRecords) {
        // A dump is not a snapshot: the inode keeps a repeated listener out.
        Map<Long, InetListenerRecord> byInode = new LinkedHashMap<>();
        for (InetListenerRecord record : listenerRecords) {
            if (record.state() == InetDiag.STATE_LISTEN) {
                byInode.putIfAbsent(record.inode(), record);
            }
        }
        List<TcpEndpoint> endpoints = new ArrayList<>(byInode.size());
        long[] inodes = new long[byInode.size()];
        for (InetListenerRecord record : byInode.values()) {
            inodes[endpoints.size()] = record.inode();
            endpoints.add(TcpEndpoint.of(record.localAddress(), record.localPort(), record.v6only(), record.device()));
        }
        List<TcpEndpoint> requests = new ArrayList<>();
        for (InetListenerRecord request : requestRecords) {
            if (request.state() == InetDiag.STATE_SYN_RECV) {
                requests.add(TcpEndpoint.of(request.localAddress(), request.localPort(), false, request.device()));
            }
        }
        List<TcpListener.SynRecv> synRecv = SynRecvAttribution.attribute(endpoints, inodes, requests);
        List<TcpListener> listeners = new ArrayList<>(endpoints.size());
        int i = 0;
        for (InetListenerRecord record : byInode.values()) {
            listeners.add(new TcpListener(endpoints.get(i), record.inode(), record.pending(),
                    OptionalLong.of(record.backlog()), synRecv.get(i), record.cgroupId()));
            i++;
        }
        return listeners;
    }

    private ListenerSnapshot<TcpListener> fromProc(String fallbackReason, List<Integer> ports)
            throws KernelReadException {
        List<TcpEndpoint> endpoints = new ArrayList<>();
        List<ProcNetTcp.Row> listenerRows = new ArrayList<>();
        List<TcpEndpoint> requests = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            List<ProcNetTcp.Row> rows;
            try {
                rows = proc.netTcp(ipv6);
            } catch (ProcFileException e) {
                throw new KernelReadException(e.getMessage(), e);
            }
            for (ProcNetTcp.Row row : rows) {
                if (!ports.isEmpty() && !ports.contains(row.localPort())) {
                    continue;
                }
                if (row.state() == ProcNetTcp.STATE_LISTEN) {
                    listenerRows.add(row);
                    // /proc shows neither IPV6_V6ONLY nor the bound device: a [::] listener is taken to
                    // serve IPv4 too, and every listener to be unbound.
                    endpoints.add(TcpEndpoint.of(row.localAddress(), row.localPort(), false, 0));
                } else {
                    requests.add(TcpEndpoint.of(row.localAddress(), row.localPort(), false, 0));
                }
            }
        }
        long[] inodes = new long[listenerRows.size()];
        for (int i = 0; i < inodes.length; i++) {
            inodes[i] = listenerRows.get(i).inode();
        }
        List<TcpListener.SynRecv> synRecv = SynRecvAttribution.attribute(endpoints, inodes, requests);
        List<TcpListener> listeners = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            ProcNetTcp.Row row = listenerRows.get(i);
            listeners.add(new TcpListener(endpoints.get(i), row.inode(), row.pending(), OptionalLong.empty(),
                    synRecv.get(i), 0));
        }
        return new ListenerSnapshot<>(listeners, Source.PROC, fallbackReason);
    }
}
