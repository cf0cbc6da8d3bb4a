package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.PerfLabel;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * One figure of a socket, judged: the perfdata item it is printed as, with the very thresholds
 * that judged it, and the state they gave.
 *
 * @param labelName  the socket's name for perfdata labels; null for a figure of no single socket
 * @param labelMetric the metric's name in its label: "pending", "usage", "blocked", "syn_recv"
 * @param name       what it is, in the long output's words: "pending", "usage", "blocked", "syn-recv"
 * @param value      the figure
 * @param unit       "" or "%"
 * @param thresholds the ranges it was judged against
 * @param min        the lowest value it can have, or null
 * @param max        the highest value it can have, or null when there is none or it is unknown
 * @param breach     how it broke a threshold, or null when it did not
 */
public record Metric(PerfLabel.Name labelName, String labelMetric, String name, double value, String unit,
        Thresholds thresholds, Double min, Double max, Breach breach) {
    static Metric judged(PerfLabel.Name labelName, String labelMetric, String name, double value, String unit,
            Thresholds thresholds, Double min, Double max) {
        return new Metric(labelName, labelMetric, name, value, unit, thresholds, min, max, Breach.of(thresholds, value));
    }

    /** The perfdata label (from PerfLabel), made when asked for: most sockets of a big host print none. */
    public String label() {
        return labelName == null ? PerfLabel.of(labelMetric) : labelName.label(labelMetric);
    }

    public Status state() {
        return breach == null ? Status.OK : breach.level();
    }
}
