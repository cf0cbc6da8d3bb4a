package org.checksocketbacklog.check;

import java.util.List;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.TcpHostFigures;
import org.checksocketbacklog.plugin.Status;

/**
 * The whole check, judged, before it is put into words.
 *
 * @param sockets    every selected listener, unix first, then TCP, each sorted by name, so that output and
 *                   perfdata keep their order from run to run
 * @param missing    selectors with no listener, as given
 * @param unix       the AF_UNIX listeners read, or null when none were wanted
 * @param tcp        the TCP listeners read, or null when none were wanted
 * @param tcpFigures host-wide TCP settings and counters, or null when TCP was not wanted
 */
public record CheckResult(Status status, List<SocketResult> sockets, List<String> missing, HostLimits limits,
        ListenerSnapshot unix, ListenerSnapshot tcp, TcpHostFigures tcpFigures,
        CheckConfig config) {
}
