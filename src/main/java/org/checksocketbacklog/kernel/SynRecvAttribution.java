package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which listeners the request sockets in SYN-RECV belong to. Neither inet_diag nor /proc/net/tcp
 * says: a request socket is listed with the local address and port it was sent to, an interface,
 * and in the dump of its listener's family (an IPv4 client of a dual-stack [::] listener is in the
 * AF_INET6 dump, with a v4-mapped address). What the kernel does tells the rest:
 *
 * <ul>
 *   <li>A connection goes to a listener bound to exactly its local address if there is one, else to
 *       one bound to the family's wildcard address; an IPv4 (or v4-mapped) one never to an
 *       IPV6_V6ONLY listener.</li>
 *   <li>The request's interface is its owner's bound device ({@code inet_request_bound_dev_if}),
 *       0 for an unbound owner: so a request on device D is the listener's bound to D (or, with
 *       VRFs, an unbound listener's that received it on D, when no listener is bound to D). The one
 *       exception is IPv6 with a link-local peer, where an unbound owner records the incoming
 *       interface: then a request on D may be the unbound listener's or the one bound to D.</li>
 * </ul>
 *
 * <p>Listeners that the kernel could hand the same handshake (the members of a SO_REUSEPORT group,
 * which share one binding; IPv6 listeners on one address and port that differ only in
 * IPV6_V6ONLY, or where one is unbound and the other bound to a device and the address can take
 * link-local clients) form a pool, decided from the listeners alone so that it does not come and
 * go with the traffic. A pool's requests are only known together: each member gets the pool's
 * total, marked as shared. A pool is named by its smallest inode, which is the same in every read.
 */
public final class SynRecvAttribution {
    private SynRecvAttribution() {
    }

    /**
     * For each listener, in order, the request sockets of its pool.
     *
     * @param inodes the listeners' inodes, in the same order
     */
    public static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, long[] inodes,
            List<TcpEndpoint> requests) {
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
                    + listener.device() + (listener.v6only() ? " v6only" : "");
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

        // Pools from the listeners alone.
        int[] pool = new int[groups.size()];
        for (int g = 0; g < pool.length; g++) {
            pool[g] = g;
        }
        for (List<Integer> onPort : groupsByPort.values()) {
            for (int a = 0; a < onPort.size(); a++) {
                for (int b = a + 1; b < onPort.size(); b++) {
                    if (canShare(groups.get(onPort.get(a)), groups.get(onPort.get(b)))) {
                        pool[root(pool, onPort.get(b))] = root(pool, onPort.get(a));
                    }
                }
            }
        }

        long[] counts = new long[groups.size()];
        for (TcpEndpoint request : requests) {
            List<Integer> onPort = groupsByPort.get(portKey(request));
            int owner = onPort == null ? -1 : owner(groups, onPort, request);
            if (owner >= 0) {
                counts[root(pool, owner)]++;
            }
            // Else no listener of ours could have taken it (it closed, or the ports were filtered).
        }

        int[] poolMembers = new int[groups.size()];
        long[] poolName = new long[groups.size()];
        for (int i = 0; i < listeners.size(); i++) {
            int root = root(pool, groupOf[i]);
            if (poolMembers[root]++ == 0 || Long.compareUnsigned(inodes[i], poolName[root]) < 0) {
                poolName[root] = inodes[i];
            }
        }
        List<TcpListener.SynRecv> synRecv = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            int root = root(pool, groupOf[i]);
            synRecv.add(new TcpListener.SynRecv(counts[root], poolMembers[root], poolName[root]));
        }
        return synRecv;
    }

    /** Whether two listener groups on one family and port could be handed the same handshake. */
    private static boolean canShare(TcpEndpoint a, TcpEndpoint b) {
        if (!a.address().equals(b.address()) || !a.ipv6()) {
            // IPv4 groups on one binding are one group; on another device, the device decides.
            return false;
        }
        if (a.device() == b.device()) {
            return true; // they differ in IPV6_V6ONLY, and a native IPv6 client fits both
        }
        return (a.device() == 0 || b.device() == 0) && takesLinkLocal(a.address());
    }

    /** An address that link-local clients can connect to: the wildcard, or a link-local one. */
    private static boolean takesLinkLocal(String ipv6Address) {
        return ipv6Address.equals("::") || IpAddresses.isLinkLocal(ipv6Address);
    }

    /**
     * The group that took the request, or one of the groups of the pool that did: exact address
     * first, else wildcard; the device as the class comment says; -1 for none.
     */
    private static int owner(List<TcpEndpoint> groups, List<Integer> onPort, TcpEndpoint request) {
        boolean mapped = request.ipv6() && request.ipv4Address() != null;
        for (int exact = 1; exact >= 0; exact--) {
            int sameDevice = -1;
            int unbound = -1;
            for (int g : onPort) {
                TcpEndpoint listener = groups.get(g);
                if (mapped && listener.v6only()) {
                    continue;
                }
                boolean takes = exact == 1 ? listener.address().equals(request.address())
                        : listener.wildcard() || "0.0.0.0".equals(listener.ipv4Address()) && request.ipv4Address() != null;
                if (!takes) {
                    continue;
                }
                if (listener.device() == request.device() && sameDevice < 0) {
                    sameDevice = g;
                } else if (listener.device() == 0 && unbound < 0) {
                    unbound = g;
                }
            }
            if (sameDevice >= 0) {
                return sameDevice;
            }
            if (unbound >= 0) {
                return unbound;
            }
        }
        return -1;
    }

    /** Family and port, the first thing a request and its listener share. */
    private static Long portKey(TcpEndpoint endpoint) {
        return (endpoint.ipv6() ? 1L << 16 : 0L) | endpoint.port();
    }

    private static int root(int[] pool, int g) {
        while (pool[g] != g) {
            pool[g] = pool[pool[g]];
            g = pool[g];
        }
        return g;
    }
}
