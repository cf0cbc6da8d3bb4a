package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which listeners the request sockets in SYN-RECV belong to. Neither inet_diag nor /proc/net/tcp
 * says: a request socket is listed with the address and port it was sent to, an interface, and in
 * the dump of its listener's family (an IPv4 client of a dual-stack [::] listener is in the
 * AF_INET6 dump, with a v4-mapped address). So what can be told is which listeners could have
 * taken it: those of its family and port bound to exactly its address if there are any, else to
 * the family's wildcard address, and among them those unbound or bound to its interface (the
 * interface is the owner's bound device for IPv4, but the incoming one for an IPv6 link-local
 * client, so it cannot rank them). When that is one listener, the request is its own; when several
 * (a SO_REUSEPORT group, or listeners on one address that differ in their device), they share it.
 * Listeners that share any request form a pool, and a pool's requests are only known together:
 * each member gets the pool's total, marked as shared.
 */
public final class SynRecvAttribution {
    private SynRecvAttribution() {
    }

    /** For each listener, in order, the request sockets of its pool. */
    public static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, List<TcpEndpoint> requests) {
        // Listeners on one binding (family, address, port, device) are one SO_REUSEPORT group at least.
        // Maps keyed by strings and longs, not records: a record's hashCode is spun at run time, and
        // a whole-host check has thousands of listeners, so no list is searched once per listener.
        int[] groupOf = new int[listeners.size()];
        List<TcpEndpoint> groups = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        Map<String, Integer> groupByBinding = new HashMap<>();
        Map<Long, List<Integer>> groupsByPort = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            TcpEndpoint listener = listeners.get(i);
            String binding = (listener.ipv6() ? "6 " : "4 ") + listener.address() + " " + listener.port() + " "
                    + listener.device();
            Integer group = groupByBinding.get(binding);
            if (group == null) {
                group = groups.size();
                groupByBinding.put(binding, group);
                groups.add(listener);
                members.add(0);
                Long port = portKey(listener);
                List<Integer> onPort = groupsByPort.get(port);
                if (onPort == null) {
                    onPort = new ArrayList<>(1);
                    groupsByPort.put(port, onPort);
                }
                onPort.add(group);
            }
            members.set(group, members.get(group) + 1);
            groupOf[i] = group;
        }
        int[] pool = new int[groups.size()];
        for (int g = 0; g < pool.length; g++) {
            pool[g] = g;
        }
        long[] counts = new long[groups.size()];
        List<Integer> candidates = new ArrayList<>();
        for (TcpEndpoint request : requests) {
            List<Integer> onPort = groupsByPort.get(portKey(request));
            if (onPort == null) {
                continue; // no listener of ours could have taken it (it closed, or the ports were filtered)
            }
            candidates(groups, onPort, request, candidates);
            if (candidates.isEmpty()) {
                continue;
            }
            counts[candidates.get(0)]++;
            for (int c = 1; c < candidates.size(); c++) {
                pool[root(pool, candidates.get(c))] = root(pool, candidates.get(0));
            }
        }
        long[] poolCounts = new long[groups.size()];
        int[] poolMembers = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            poolCounts[root(pool, g)] += counts[g];
            poolMembers[root(pool, g)] += members.get(g);
        }
        List<TcpListener.SynRecv> synRecv = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            int root = root(pool, groupOf[i]);
            synRecv.add(new TcpListener.SynRecv(poolCounts[root], poolMembers[root], root));
        }
        return synRecv;
    }

    /** Family and port, the first thing a request and its listener share. */
    private static Long portKey(TcpEndpoint endpoint) {
        return (endpoint.ipv6() ? 1L << 16 : 0L) | endpoint.port();
    }

    /**
     * The groups, among those on the request's family and port, that could have taken it, into
     * {@code out}: those bound to its address if any, else those on the wildcard address; either
     * way unbound or bound to its interface.
     */
    private static void candidates(List<TcpEndpoint> groups, List<Integer> onPort, TcpEndpoint request,
            List<Integer> out) {
        out.clear();
        for (int exact = 1; exact >= 0 && out.isEmpty(); exact--) {
            for (int g : onPort) {
                TcpEndpoint listener = groups.get(g);
                if (listener.device() != 0 && listener.device() != request.device()) {
                    continue;
                }
                boolean takes = exact == 1 ? listener.address().equals(request.address())
                        : listener.wildcard() || "0.0.0.0".equals(listener.ipv4Address()) && request.ipv4Address() != null;
                if (takes) {
                    out.add(g);
                }
            }
        }
    }

    private static int root(int[] pool, int g) {
        while (pool[g] != g) {
            pool[g] = pool[pool[g]];
            g = pool[g];
        }
        return g;
    }
}
