package org.checksocketbacklog.evaluation;

import java.util.Map;

/**
 * The looks one check took at the queues (--samples), for the report: a queue that fills and
 * drains within a second is seen full in one look of ten and never in a single look a minute.
 *
 * @param taken      how many looks were taken (fewer than asked when -t came near)
 * @param asked      how many were asked for
 * @param intervalMillis the pause asked for between two looks
 * @param spanMillis from the first look to the last
 * @param queues     per listener inode, what its queue did over the looks
 */
public record Sampling(int taken, int asked, int intervalMillis, long spanMillis, Map<Long, Queue> queues) {
    /**
     * @param peak     the most pending connections in any look (what the listener is judged on)
     * @param last     the pending connections in the last look that saw the listener
     * @param seen     in how many looks the listener was there
     * @param full     in how many looks its queue was full
     */
    public record Queue(long peak, long last, int seen, int full) {
    }
}
