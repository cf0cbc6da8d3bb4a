package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.TcpHostFigures;
import org.checksocketbacklog.plugin.PlainNumber;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/** Measures the selected listeners and judges them against the thresholds. Pure: no I/O. */
public final class Evaluation {
    /**
     * Unix before TCP, then by name, kind and inode: the order output and perfdata keep from run to
     * run. A plain class rather than Comparator.comparing chains, whose lambdas are spun at run time.
     */
    static final Comparator<Listener> ORDER = new Comparator<>() {
        @Override
        public int compare(Listener a, Listener b) {
            int order = Boolean.compare(a.kind().isTcp(), b.kind().isTcp());
            if (order == 0) {
                order = a.name().compareTo(b.name());
            }
            if (order == 0) {
                order = a.kind().compareTo(b.kind());
            }
            return order != 0 ? order : Long.compare(a.inode(), b.inode());
        }
    };

    private Evaluation() {
    }

    static CheckResult evaluate(CheckConfig config, HostLimits limits, ListenerSnapshot unix, ListenerSnapshot tcp,
            TcpHostFigures tcpFigures, Selection selection) {
        List<Listener> listeners = new ArrayList<>(selection.listeners());
        listeners.sort(ORDER);
        Map<String, Integer> nameCounts = new HashMap<>();
        for (Listener listener : listeners) {
            nameCounts.put(listener.perfName(), nameCounts.getOrDefault(listener.perfName(), 0) + 1);
        }

        Status overall = Status.OK;
        List<SocketResult> results = new ArrayList<>(listeners.size());
        for (Listener listener : listeners) {
            // Two listeners can share a name (a path re-bound while the old socket lives on, or a
            // SO_REUSEPORT group); the inode then keeps their perfdata apart.
            String labelName = nameCounts.get(listener.perfName()) > 1
                    ? listener.perfName() + " inode " + listener.inode()
                    : listener.perfName();
            SocketResult result = judge(config, limits, listener, labelName);
            results.add(result);
            overall = overall.worse(result.status());
        }
        if (!selection.unmatched().isEmpty()) {
            overall = overall.worse(config.missingState());
        }
        return new CheckResult(overall, results, selection.unmatched(), limits, unix, tcp, tcpFigures, config);
    }

    static SocketResult judge(CheckConfig config, HostLimits limits, Listener listener, String labelName) {
        long capacity = capacity(config.basis(), limits, listener);
        double usage = capacity > 0 ? 100.0 * listener.pending() / capacity : Double.NaN;
        StringBuilder reasons = new StringBuilder();
        Status status = Status.OK;
        if (capacity > 0) {
            status = status.worse(judge(config.usage(), usage, "usage", "%", reasons));
        } else {
            status = Status.UNKNOWN;
            reasons.append("backlog unknown (/proc does not show it; use --basis somaxconn)");
        }
        // A full queue refuses (or makes wait) every new client now. On the somaxconn basis a full
        // queue is a few percent at most, below any usage threshold, so it is judged on its own.
        if (listener.backlogKnown() && listener.pending() > listener.backlog() && config.fullState() != Status.OK) {
            status = status.worse(config.fullState());
            append(reasons, "queue full (" + listener.pending() + " of " + (listener.backlog() + 1) + ")");
        }
        status = status.worse(judge(config.pending(), listener.pending(), "pending", "", reasons));
        if (listener.kind().isTcp()) {
            status = status.worse(judge(config.synRecv(), listener.synRecv(), "syn-recv", "", reasons));
        } else {
            status = status.worse(judge(config.blocked(), listener.blocked(), "blocked", "", reasons));
        }
        return new SocketResult(listener, capacity, usage, status, reasons.toString(), labelName);
    }

    private static void append(StringBuilder reasons, String reason) {
        if (reasons.length() > 0) {
            reasons.append(", ");
        }
        reasons.append(reason);
    }

    static long capacity(Basis basis, HostLimits limits, Listener listener) {
        if (basis == Basis.SOMAXCONN) {
            return limits.somaxconnCapacity();
        }
        // AF_UNIX and TCP both hold backlog + 1 before they refuse (unix_recvq_full uses ">").
        return listener.backlogKnown() ? listener.backlog() + 1 : 0;
    }

    /** Evaluates one figure, appending "usage 85% (critical above 80)" to reasons when it alerts. */
    private static Status judge(Thresholds thresholds, double value, String what, String unit,
            StringBuilder reasons) {
        Status status = thresholds.evaluate(value);
        if (status != Status.OK) {
            Range range = status == Status.CRITICAL ? thresholds.critical() : thresholds.warning();
            append(reasons, what + " " + PlainNumber.format(value, 2) + unit + " ("
                    + (status == Status.CRITICAL ? "critical " : "warning ") + breach(range, value) + ")");
        }
        return status;
    }

    /**
     * Which side of the range the value fell on: "above 80" reads better than "outside 0..80" when the
     * value is 85. Ranges that alert inside keep their own phrase ("inside 10..20").
     */
    static String breach(Range range, double value) {
        if (range.alertsInside()) {
            return range.describe();
        }
        return value > range.end() ? "above " + PlainNumber.exact(range.end())
                : "below " + PlainNumber.exact(range.start());
    }
}
