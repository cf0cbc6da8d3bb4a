package org.checksocketbacklog.evaluation;

import static org.checksocketbacklog.evaluation.EvaluationTest.config;
import static org.checksocketbacklog.evaluation.EvaluationTest.evaluate;
import static org.checksocketbacklog.evaluation.EvaluationTest.evaluateTcp;
import static org.checksocketbacklog.evaluation.EvaluationTest.listener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.kernel.TcpEndpoint;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.report.Report;
import org.junit.jupiter.api.Test;

/** Misconfigurations the figures show (somaxconn 128 in EvaluationTest.HOST), and when they count. */
class FindingsTest {
    private static TcpListener member(long inode, long pending, long backlog) {
        return new TcpListener(TcpEndpoint.of(new byte[] {127, 0, 0, 1}, 8080, false, 0), inode, pending,
                OptionalLong.of(backlog), new TcpListener.SynRecv(0, 2, 100), 0);
    }

    @Test
    void aBacklogEqualToSomaxconnAndASmallOneWithQueuedConnectionsAreFoundWithV() throws Exception {
        CheckResult result = evaluate(config("-v"), listener("/run/capped.sock", 0, 128, 0),
                listener("/run/small.sock", 2, 4, 0), listener("/run/fine.sock", 3, 511, 0),
                listener("/run/idle-small.sock", 0, 4, 0));
        assertEquals(List.of(new Finding(Finding.Kind.BACKLOG_AT_SOMAXCONN, "/run/capped.sock", 128, 128, Status.OK),
                new Finding(Finding.Kind.SMALL_BACKLOG, "/run/small.sock", 4, 2, Status.OK)), result.findings());
        assertEquals(Status.OK, result.state(), "a line, not a state, unless asked for");
        assertTrue(Report.detail(result.findings().get(0)).startsWith("finding: /run/capped.sock: backlog 128 is "
                + "net.core.somaxconn: the service probably asked for more and was capped; raise somaxconn"),
                Report.detail(result.findings().get(0)));
    }

    @Test
    void withoutVOrAStateNothingIsLookedFor() throws Exception {
        assertEquals(List.of(), evaluate(config(), listener("/run/capped.sock", 0, 128, 0)).findings());
    }

    @Test
    void findingsStateMakesThemCountAtAnyVerbosity() throws Exception {
        CheckResult result = evaluate(config("--findings-state", "warning"), listener("/run/capped.sock", 0, 128, 0));
        assertEquals(Status.WARNING, result.state());
        assertEquals(List.of(result.findings().get(0)), result.significant());
        assertTrue(Report.render(result, new Report.Options(0, false, 0)).text()
                .startsWith("BACKLOG WARNING - /run/capped.sock backlog capped at somaxconn 128 | "));
    }

    @Test
    void aReuseportGroupWithAFullMemberAndAnEmptyOneIsUneven() throws Exception {
        CheckResult uneven = evaluateTcp(config("-v"), member(11, 65, 64), member(12, 0, 64));
        assertEquals(List.of(new Finding(Finding.Kind.UNEVEN_REUSEPORT_GROUP, "127.0.0.1:8080", 65, 2, Status.OK)),
                uneven.findings());
        CheckResult even = evaluateTcp(config("-v"), member(11, 50, 64), member(12, 40, 64));
        assertEquals(List.of(), even.findings(), "busy alike is not uneven");
    }
}
