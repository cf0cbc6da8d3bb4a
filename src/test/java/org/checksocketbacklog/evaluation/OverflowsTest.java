package org.checksocketbacklog.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.state.CounterState;
import org.checksocketbacklog.state.PreviousState;
import org.junit.jupiter.api.Test;

/** The overflows since the previous run: every case the state can be in has its outcome. */
class OverflowsTest {
    private static final String BOOT = "97f1a6cd-6459-4988-a7b5-cbb9265b197b";
    private static final String NS = "net:[4026531840]";
    private static final Thresholds ANY_DROP_CRITICAL = new Thresholds(null, Range.parse("0"));

    private static final long COOKIE = 4096;

    private static CounterState state(String boot, String netns, long time, long overflows, long drops,
            long qfull) {
        return state(boot, netns, COOKIE, time, overflows, drops, qfull);
    }

    private static CounterState state(String boot, String netns, long cookie, long time, long overflows, long drops,
            long qfull) {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("ListenOverflows", overflows);
        counters.put("ListenDrops", drops);
        counters.put("TCPReqQFullDrop", qfull);
        return new CounterState("k", boot, netns, cookie, time, counters);
    }

    private static PreviousState previous(CounterState state) {
        return new PreviousState(state, null);
    }

    @Test
    void theGrowthSinceThePreviousRunIsMeasuredAndJudged() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 1_000_000, 10, 12, 3)),
                state(BOOT, NS, 1_060_000, 15, 20, 4), ANY_DROP_CRITICAL, List.of("127.0.0.1:80 (full)"));
        assertNull(overflows.baseline());
        assertEquals(60_000, overflows.elapsedMillis());
        assertEquals(Map.of("ListenOverflows", 5L, "ListenDrops", 8L, "TCPReqQFullDrop", 1L), overflows.deltas());
        assertEquals(6, overflows.overflows().value(), "ListenOverflows + TCPReqQFullDrop");
        assertEquals(Status.CRITICAL, overflows.state());
        assertEquals(6.0, overflows.metrics().get(1).value(), 1e-9, "per minute, over exactly a minute");
        assertEquals(List.of("overflows", "overflows_per_min", "ListenOverflows_delta", "ListenDrops_delta",
                "TCPReqQFullDrop_delta"), overflows.metrics().stream().map(Metric::label).toList());
        assertEquals(List.of("127.0.0.1:80 (full)"), overflows.likely());
    }

    @Test
    void noDropsAreOkAndNameNoListener() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 0, 10, 10, 3)), state(BOOT, NS, 5000, 10, 11, 3),
                ANY_DROP_CRITICAL, List.of("127.0.0.1:80 (full)"));
        assertEquals(Status.OK, overflows.state());
        assertEquals(List.of(), overflows.likely());
    }

    @Test
    void countersPastLongMaxAreReadUnsigned() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 0, Long.MAX_VALUE, 0, 0)),
                state(BOOT, NS, 5000, Long.MIN_VALUE + 2, 0, 0), ANY_DROP_CRITICAL, List.of());
        assertNull(overflows.baseline());
        assertEquals(3, overflows.overflows().value());
    }

    @Test
    void runsLessThanASecondApartHaveNoRate() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 1000, 1, 1, 0)), state(BOOT, NS, 1400, 2, 2, 0),
                ANY_DROP_CRITICAL, List.of());
        assertEquals(1, overflows.overflows().value());
        assertTrue(overflows.metrics().stream().noneMatch(m -> m.label().equals("overflows_per_min")));
    }

    @Test
    void everyReasonToStartAgainIsABaselineThatSaysWhy() {
        CounterState now = state(BOOT, NS, 10_000, 10, 10, 10);
        Map<String, PreviousState> cases = new LinkedHashMap<>();
        cases.put("first run with this state", PreviousState.NONE);
        cases.put("the host rebooted since the previous run",
                previous(state("0f1a6cd0-6459-4988-a7b5-cbb9265b197b", NS, 0, 1, 1, 1)));
        cases.put("the network namespace is not the previous run's (net:[4026532177])",
                previous(state(BOOT, "net:[4026532177]", 0, 1, 1, 1)));
        cases.put("the network namespace was made again since the previous run (the same inode, another namespace)",
                previous(state(BOOT, NS, COOKIE + 1, 0, 1, 1, 1)));
        cases.put("ListenOverflows went back from 11 to 10 (the namespace's counters were reset)",
                previous(state(BOOT, NS, 0, 11, 1, 1)));
        cases.put("the state file was damaged (it is cut short) and is replaced", new PreviousState(null, "it is cut short"));
        for (Map.Entry<String, PreviousState> c : cases.entrySet()) {
            Overflows overflows = Overflows.between(c.getValue(), now, ANY_DROP_CRITICAL, List.of("x"));
            assertEquals(c.getKey(), overflows.baseline());
            assertEquals(Status.OK, overflows.state(), c.getKey());
            assertEquals(List.of(), overflows.metrics(), "no figures from a baseline: " + c.getKey());
        }
    }

    @Test
    void aCounterTheKernelDoesNotHaveIsLeftOut() {
        Map<String, Long> older = new LinkedHashMap<>(Map.of("ListenOverflows", 1L));
        CounterState before = new CounterState("k", BOOT, NS, COOKIE, 0, older);
        Overflows overflows = Overflows.between(previous(before), state(BOOT, NS, 2000, 4, 9, 9), ANY_DROP_CRITICAL,
                List.of());
        assertEquals(Map.of("ListenOverflows", 3L), overflows.deltas());
        assertEquals(3, overflows.overflows().value());
    }

    @Test
    void aClockThatWentBackKeepsTheDeltasAndLeavesOutTheRate() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 3_600_000, 10, 10, 0)),
                state(BOOT, NS, 10_000, 22, 22, 0), ANY_DROP_CRITICAL, List.of());
        assertNull(overflows.baseline());
        assertEquals(-1, overflows.elapsedMillis());
        assertEquals(12, overflows.overflows().value(), "same boot, same namespace, counters grew: exact");
        assertEquals(Status.CRITICAL, overflows.state());
        assertTrue(overflows.metrics().stream().noneMatch(m -> m.label().equals("overflows_per_min")));
    }

    @Test
    void anUnknownCookieOnEitherSideFallsBackToTheInode() {
        Overflows overflows = Overflows.between(previous(state(BOOT, NS, 0, 0, 10, 10, 0)),
                state(BOOT, NS, COOKIE, 5000, 11, 11, 0), ANY_DROP_CRITICAL, List.of());
        assertNull(overflows.baseline(), "a kernel without SO_NETNS_COOKIE, or the /proc source, on one side");
        assertEquals(1, overflows.overflows().value());
    }

    @Test
    void aStateThatCannotBeUsedIsUnknownWithItsReason() {
        Overflows overflows = Overflows.unavailable("cannot write the state file /x: No space left on device");
        assertEquals(Status.UNKNOWN, overflows.state());
        assertEquals("cannot write the state file /x: No space left on device", overflows.unavailable());
        assertEquals(List.of(), overflows.metrics(), "no figures that were not measured");
    }
}
