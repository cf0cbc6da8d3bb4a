package org.checksocketbacklog.evaluation;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * The whole check, judged: everything the report prints, and nothing it would have to look up
 * elsewhere.
 *
 * @param state       the worst state of all items (CRITICAL > WARNING > UNKNOWN > OK)
 * @param sockets     the selected sockets, unix first, then TCP, each by name, so that output and
 *                    perfdata keep their order from run to run
 * @param missing     the selectors that matched nothing
 * @param overflows   the overflow counters since the previous run of this check, or null without a
 *                    state directory
 * @param sampling    what --samples saw, or null for one look
 * @param significant the items that set the state, in output order; empty when it is OK
 * @param basis       what usage is a percentage of, in words ("somaxconn 4096 x 2 CPUs x 2 = 16384")
 * @param sources     where each family's listeners were read, unix first
 * @param host        the host-wide figures
 * @param thresholds  the thresholds every socket was judged against, for the verbose output
 * @param selectors   the selectors as given ("-s /run/php/*.sock", "-p 8080"), for the verbose output
 * @param seen        every listener read, selected or not, one list per family read, for the most verbose
 *                    output (-vvv); empty otherwise, as a whole-host list is thousands of entries
 * @param namespacesLeftOut network namespaces --all-netns did not read, as ones any user can make
 * @param owners      who holds the sockets the output describes, or null when nobody was looked for
 * @param findings    the misconfigurations the figures show, in output order
 */
public record CheckResult(Status state, List<SocketItem> sockets, List<MissingSelector> missing,
        Overflows overflows, Sampling sampling, List<Item> significant, String basis, List<SourceUsed> sources, Host host,
        ThresholdsUsed thresholds, List<String> selectors, List<List<Seen>> seen, int namespacesLeftOut,
        Owners owners, List<Finding> findings) {

    /** The same result, with who holds its sockets. */
    public CheckResult withOwners(Owners found) {
        return new CheckResult(state, sockets, missing, overflows, sampling, significant, basis, sources, host,
                thresholds, selectors, seen, namespacesLeftOut, found, findings);
    }

    /**
     * @param family         "unix" or "tcp"
     * @param sockDiag       read through sock_diag, else from /proc
     * @param fallbackReason why sock_diag was not used, or null when it was or --source proc chose /proc
     */
    public record SourceUsed(String family, boolean sockDiag, String fallbackReason) {
    }

    /**
     * @param somaxconn   net.core.somaxconn
     * @param cpus        the CPU count of the somaxconn basis
     * @param tcpRead     whether TCP listeners were read, and with them the figures below
     * @param tcpSettings tcp_max_syn_backlog and tcp_syncookies
     * @param tcpCounters the TcpExt overflow counters the kernel has
     */
    public record Host(HostFigure somaxconn, HostFigure cpus, boolean tcpRead, List<HostFigure> tcpSettings,
            List<HostFigure> tcpCounters) {
    }

    public record ThresholdsUsed(Thresholds usage, Thresholds pending, Thresholds blocked, Thresholds synRecv) {
    }

    /**
     * One listener as read, for -vvv.
     *
     * @param figure  "blocked" or "syn-recv"
     * @param count   its value; empty when not known (blocked clients of a full queue not selected)
     */
    public record Seen(String kind, String name, long[] inodes, long pending, OptionalLong backlog, String figure,
            OptionalLong count) {
    }
}
