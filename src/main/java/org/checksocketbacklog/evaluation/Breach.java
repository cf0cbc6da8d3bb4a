package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;

/**
 * How a value broke a threshold, as data: the state it gave, the range it broke, and the side.
 *
 * @param level WARNING or CRITICAL
 * @param range the range that alerted
 * @param side  ABOVE its end, BELOW its start, or INSIDE an {@code @} range
 */
public record Breach(Status level, Range range, Side side) {
    public enum Side { ABOVE, BELOW, INSIDE }

    /** The breach of {@code value} against the thresholds, critical first; null when neither alerts. */
    static Breach of(Thresholds thresholds, double value) {
        Status level = thresholds.evaluate(value);
        if (level == Status.OK) {
            return null;
        }
        Range range = level == Status.CRITICAL ? thresholds.critical() : thresholds.warning();
        Side side = range.alertsInside() ? Side.INSIDE : value > range.end() ? Side.ABOVE : Side.BELOW;
        return new Breach(level, range, side);
    }
}
