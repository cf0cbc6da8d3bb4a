package org.checksocketbacklog.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.SocketKind;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluationTest {
    /** somaxconn 128 x 2 CPUs x 2 = 512: usage on the somaxconn basis is pending / 5.12. */
    static final HostLimits LIMITS = new HostLimits(128, "test", 2, "test");

    static CheckConfig config(String... args) throws UsageException {
        return assertInstanceOf(Request.Check.class, Arguments.parse(args)).config();
    }

    static Listener listener(String name, long pending, long backlog, long blocked) {
        return Listener.unix(name, SocketKind.UNIX_STREAM, name.hashCode() & 0xffff, pending, backlog, blocked);
    }

    static CheckResult evaluate(CheckConfig config, Listener... listeners) {
        ListenerSnapshot snapshot = new ListenerSnapshot(List.of(listeners), Source.SOCK_DIAG, null);
        return Evaluation.evaluate(config, LIMITS, snapshot, null, null, Selection.of(config, snapshot.listeners()));
    }

    @Test
    void somaxconnBasisIsTheDocumentsFormula() throws UsageException {
        SocketResult result = evaluate(config(), listener("/a", 256, 9, 0)).sockets().get(0);
        assertEquals(512, result.capacity());
        assertEquals(50.0, result.usagePercent(), 1e-9);
    }

    @Test
    void socketBasisIsBacklogPlusOne() throws UsageException {
        SocketResult result = evaluate(config("-b", "socket"), listener("/a", 3, 9, 0)).sockets().get(0);
        assertEquals(10, result.capacity());
        assertEquals(30.0, result.usagePercent(), 1e-9);
    }

    @ParameterizedTest(name = "{0} of 512 pending -> {1}")
    @CsvSource({
        "0, OK, empty queue",
        "256, OK, 50% is the warning range's inclusive end",
        "257, WARNING, just above 50%",
        "409, WARNING, 79.88% is below 80",
        "410, CRITICAL, 80.08% is above 80",
    })
    void defaultThresholdsAtTheirBoundaries(long pending, Status expected, String why) throws UsageException {
        assertEquals(expected, evaluate(config(), listener("/a", pending, 4096, 0)).status(), why);
    }

    @Test
    void fullQueueTakesTheFullStateWhateverTheUsage() throws UsageException {
        assertEquals(Status.OK, evaluate(config(), listener("/a", 9, 9, 0)).status(), "9 of 10: not full");
        CheckResult full = evaluate(config(), listener("/a", 10, 9, 0));
        assertEquals(Status.CRITICAL, full.status(), "10 of 10 is 1.95% of 512, yet clients are refused");
        assertEquals("queue full (10 of 10)", full.sockets().get(0).reasons());
        assertEquals(Status.WARNING, evaluate(config("--full-state", "warning"), listener("/a", 10, 9, 0)).status());
        assertEquals(Status.OK, evaluate(config("--full-state", "ok"), listener("/a", 10, 9, 0)).status());
        assertEquals("", evaluate(config("--full-state", "ok"), listener("/a", 10, 9, 0)).sockets().get(0).reasons());
        assertEquals(Status.OK, evaluate(config(), listener("/a", 10, Listener.UNKNOWN, 0)).status(),
                "no backlog (from /proc), no fullness to judge");
    }

    @Test
    void pendingThresholdsCountConnections() throws UsageException {
        CheckConfig config = config("--pending-warning", "10", "--pending-critical", "20");
        assertEquals(Status.OK, evaluate(config, listener("/a", 10, 100, 0)).status());
        assertEquals(Status.WARNING, evaluate(config, listener("/a", 11, 100, 0)).status());
        assertEquals(Status.CRITICAL, evaluate(config, listener("/a", 21, 100, 0)).status());
    }

    @Test
    void blockedThresholdsCountBlockedClients() throws UsageException {
        CheckConfig config = config("--blocked-critical", "0");
        assertEquals(Status.OK, evaluate(config, listener("/a", 1, 1, 0)).status());
        CheckResult result = evaluate(config, listener("/a", 1, 1, 3));
        assertEquals(Status.CRITICAL, result.status());
        assertEquals("blocked 3 (critical above 0)", result.sockets().get(0).reasons());
    }

    @Test
    void worstSocketSetsTheState() throws UsageException {
        CheckResult result = evaluate(config("-b", "socket"),
                listener("/ok", 0, 9, 0), listener("/warn", 6, 9, 0), listener("/crit", 9, 9, 0));
        assertEquals(Status.CRITICAL, result.status());
        assertEquals(List.of(Status.CRITICAL, Status.OK, Status.WARNING),
                result.sockets().stream().map(SocketResult::status).toList(), "sorted by name");
    }

    @Test
    void criticalOutranksUnknown() throws UsageException {
        // /proc cannot see backlogs, so the socket basis leaves one socket UNKNOWN; the missing one is CRITICAL.
        CheckResult result = evaluate(config("-b", "socket", "-s", "/a", "-s", "/gone"), listener("/a", 1, -1, 0));
        assertEquals(Status.UNKNOWN, result.sockets().get(0).status());
        assertEquals(Status.CRITICAL, result.status());
    }

    @Test
    void unknownBacklogIsUnknownNotOk() throws UsageException {
        CheckResult result = evaluate(config("-b", "socket"), listener("/a", 0, Listener.UNKNOWN, 0));
        assertEquals(Status.UNKNOWN, result.status());
        assertTrue(result.sockets().get(0).reasons().contains("backlog unknown"));
    }

    @Test
    void missingSelectorTakesTheChosenState() throws UsageException {
        assertEquals(Status.CRITICAL, evaluate(config("-s", "/gone")).status());
        assertEquals(Status.WARNING, evaluate(config("-s", "/gone", "--missing-state", "warning")).status());
        assertEquals(Status.OK, evaluate(config("-s", "/gone", "--missing-state", "ok")).status());
        assertEquals(List.of("/gone"), evaluate(config("-s", "/gone")).missing());
    }

    @Test
    void globSelectsEveryMatchAndOnlyThose() throws UsageException {
        CheckResult result = evaluate(config("-s", "/run/php/*.sock"),
                listener("/run/php/a.sock", 0, 1, 0), listener("/run/php/b.sock", 0, 1, 0),
                listener("/run/php/sub/c.sock", 0, 1, 0), listener("/run/other.sock", 0, 1, 0));
        assertEquals(List.of("/run/php/a.sock", "/run/php/b.sock"),
                result.sockets().stream().map(s -> s.listener().name()).toList());
        assertEquals(List.of(), result.missing());
    }

    @Test
    void sharedNamesGetDistinctLabels() throws UsageException {
        Listener first = Listener.unix("/a", SocketKind.UNIX_STREAM, 1, 0, 1, 0);
        Listener second = Listener.unix("/a", SocketKind.UNIX_STREAM, 2, 0, 1, 0);
        CheckResult result = evaluate(config(), first, second);
        assertEquals(List.of("/a inode 1", "/a inode 2"), result.sockets().stream().map(SocketResult::labelName).toList());
    }

    @Test
    void breachSaysWhichSideWasCrossed() {
        assertEquals("above 80", Evaluation.breach(Range.parse("80"), 85));
        assertEquals("below 0", Evaluation.breach(Range.parse("80"), -1));
        assertEquals("below 10", Evaluation.breach(Range.parse("10:"), 5));
        assertEquals("inside 10..20", Evaluation.breach(Range.parse("@10:20"), 15));
    }
}
