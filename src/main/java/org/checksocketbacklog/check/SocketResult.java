package org.checksocketbacklog.check;

import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.plugin.Status;

/**
 * One selected listener measured and judged.
 *
 * @param capacity     the queue length usage is measured against, or 0 when it cannot be known
 *                     (the socket basis with a source that cannot see the backlog)
 * @param usagePercent 100 x pending / capacity; NaN when capacity is unknown
 * @param status       the worst of the usage, pending and blocked thresholds
 * @param reasons      why the status is not OK, in words ("usage 85% above 80"); empty when OK
 * @param labelName    the name its perfdata labels carry: the socket name, qualified by inode when
 *                     two listeners share a name
 */
public record SocketResult(Listener listener, long capacity, double usagePercent, Status status,
        String reasons, String labelName) {
    public boolean capacityKnown() {
        return capacity > 0;
    }
}
