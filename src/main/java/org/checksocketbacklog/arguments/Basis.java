package org.checksocketbacklog.arguments;

import java.util.OptionalLong;
import org.checksocketbacklog.kernel.HostFigures;
import org.checksocketbacklog.kernel.Listener;

/** What a socket's usage percentage is a percentage of: the one place that knows each basis. */
public enum Basis {
    /**
     * somaxconn x CPUs x 2, the capacity the original documents divided by (and the check they
     * replaced). It is the same for every socket on the host.
     */
    SOMAXCONN,
    /**
     * backlog + 1 of the socket itself: the queue length at which the kernel starts refusing
     * (EAGAIN for a non-blocking AF_UNIX connect, dropped SYNs for TCP).
     */
    SOCKET;

    /**
     * What this listener's usage is measured against; empty when that needs a backlog the source
     * cannot see, or when somaxconn is 0 (then every queue holds one connection, and there is no
     * percentage to take of 0).
     */
    public OptionalLong capacity(HostFigures host, Listener listener) {
        if (this == SOMAXCONN) {
            return host.somaxconnCapacity() > 0 ? OptionalLong.of(host.somaxconnCapacity()) : OptionalLong.empty();
        }
        // AF_UNIX and TCP both hold backlog + 1 before they refuse (unix_recvq_full uses ">").
        return listener.backlog().isPresent() ? OptionalLong.of(listener.backlog().getAsLong() + 1)
                : OptionalLong.empty();
    }

    /** The basis in words, for the long output: "somaxconn 4096 x 2 CPUs x 2 = 16384". */
    public String describe(HostFigures host) {
        if (this == SOCKET) {
            return "each socket's backlog + 1 (--basis socket)";
        }
        return "somaxconn " + host.somaxconn() + " x " + host.cpus() + (host.cpus() == 1 ? " CPU" : " CPUs")
                + " x 2 = " + host.somaxconnCapacity();
    }
}
