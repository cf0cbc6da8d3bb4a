package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Which listeners the request sockets in SYN-RECV belong to. Neither inet_diag nor /proc/net/tcp
 * says: a request socket is listed with the address, port and (inet_diag) interface it was sent to,
 * and in the dump of its listener's family (an IPv4 client of a dual-stack [::] listener is in the
 * AF_INET6 dump, with a v4-mapped address). So it is given to the listeners the kernel would have
 * picked for its SYN: those of its family and port bound to exactly its address if there are any,
 * else to the family's wildcard address; among those, bound to its interface before unbound
 * (compute_score in inet_hashtables.c ranks them in that order). When that is a SO_REUSEPORT group
 * (several listeners on one address, port and device), the group's total is all that is known, and
 * each member gets that total marked as shared.
 */
public final class SynRecvAttribution {
    private SynRecvAttribution() {
    }

    /** For each listener, in order, the request sockets of its address. */
    public static List<TcpListener.SynRecv> attribute(List<TcpEndpoint> listeners, List<TcpEndpoint> requests) {
        // Groups of listeners on one binding, each with its count.
        int[] groupOf = new int[listeners.size()];
        List<TcpEndpoint> groups = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            int group = -1;
            for (int g = 0; g < groups.size() && group < 0; g++) {
                if (groups.get(g).sameBinding(listeners.get(i))) {
                    group = g;
                }
            }
            if (group < 0) {
                group = groups.size();
                groups.add(listeners.get(i));
                members.add(0);
            }
            members.set(group, members.get(group) + 1);
            groupOf[i] = group;
        }
        long[] counts = new long[groups.size()];
        for (TcpEndpoint request : requests) {
            int best = -1;
            int bestScore = 0;
            for (int g = 0; g < groups.size(); g++) {
                int score = score(groups.get(g), request);
                if (score > bestScore) {
                    best = g;
                    bestScore = score;
                }
            }
            if (best >= 0) {
                counts[best]++;
            }
        }
        List<TcpListener.SynRecv> synRecv = new ArrayList<>(listeners.size());
        for (int i = 0; i < listeners.size(); i++) {
            synRecv.add(new TcpListener.SynRecv(counts[groupOf[i]], members.get(groupOf[i])));
        }
        return synRecv;
    }

    /** 0 if the listener cannot have taken the request, else higher for the kernel's preference. */
    private static int score(TcpEndpoint listener, TcpEndpoint request) {
        if (listener.ipv6() != request.ipv6() || listener.port() != request.port()) {
            return 0;
        }
        if (listener.device() != 0 && listener.device() != request.device()) {
            return 0;
        }
        int address;
        if (listener.address().equals(request.address())) {
            address = 4;
        } else if (listener.wildcard() || "0.0.0.0".equals(listener.ipv4Address()) && request.ipv4Address() != null) {
            address = 2;
        } else {
            return 0;
        }
        return address + (listener.device() != 0 ? 1 : 0);
    }
}
