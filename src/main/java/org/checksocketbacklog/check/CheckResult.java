package org.checksocketbacklog.check;

import java.util.List;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.plugin.Status;

/**
 * The whole check, judged, before it is put into words.
 *
 * @param sockets    every selected listener, sorted by name so that output and perfdata keep their order
 * @param missing    selector patterns with no listener
 */
public record CheckResult(Status status, List<SocketResult> sockets, List<String> missing, Status missingState,
        HostLimits limits, ListenerSnapshot snapshot, CheckConfig config) {
}
