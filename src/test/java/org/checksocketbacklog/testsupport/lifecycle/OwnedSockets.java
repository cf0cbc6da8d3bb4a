package org.checksocketbacklog.testsupport.lifecycle;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.testsupport.oracles.FdInodes;

/**
 * One listener helper and the sockets it made for a test (clients, accepted connections, blocked
 * connectors). {@link #release} decides the order in which they are closed, which matters to the
 * kernel (see each subclass). While open, {@link #ownedSocketInodes()} names every socket it
 * holds, for leak checks after close.
 */
public abstract class OwnedSockets extends Releasable {
    /** Every fd this helper holds open now, the listener's included. */
    protected abstract List<Integer> openFds();

    /** Inodes of every socket this helper holds open; empty once closed. */
    public final Set<Long> ownedSocketInodes() {
        Set<Long> inodes = new LinkedHashSet<>();
        if (isClosed()) {
            return inodes; // our fd numbers may already belong to someone else
        }
        for (int fd : openFds()) {
            FdInodes.socketInode(fd).ifPresent(inodes::add);
        }
        return inodes;
    }
}
