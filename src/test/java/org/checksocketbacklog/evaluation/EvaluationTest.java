package org.checksocketbacklog.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.OptionalLong;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.arguments.Configs;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.kernel.HostFigures;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.Names;
import org.checksocketbacklog.kernel.SocketKind;
import org.checksocketbacklog.kernel.Source;
import org.checksocketbacklog.kernel.TcpEndpoint;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixName;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.selection.Selection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class EvaluationTest {
    /** somaxconn 128 x 2 CPUs x 2 = 512: usage on the somaxconn basis is pending / 5.12. */
    public static final HostFigures HOST = new HostFigures(128, "test", 2, "test", java.util.Optional.empty());

    public static CheckConfig config(String... args) throws UsageException {
        return Configs.config(args);
    }

    /** A sock_diag listener; a negative backlog stands for one /proc could not show. */
    public static UnixListener listener(String name, long pending, long backlog, long blocked) {
        return listener(name, name.hashCode() & 0xffff, pending, backlog, blocked);
    }

    public static UnixListener listener(String name, long inode, long pending, long backlog, long blocked) {
        return new UnixListener(Names.written(name), SocketKind.UNIX_STREAM, new long[] {inode}, pending,
                backlog < 0 ? OptionalLong.empty() : OptionalLong.of(backlog), OptionalLong.of(blocked), 0);
    }

    public static CheckResult evaluate(CheckConfig config, UnixListener... listeners) {
        return evaluate(config, Source.SOCK_DIAG, listeners);
    }

    public static CheckResult evaluate(CheckConfig config, Source source, UnixListener... listeners) {
        ListenerSnapshot<UnixListener> snapshot = new ListenerSnapshot<>(List.of(listeners), source, null);
        return Evaluation.evaluate(config, HOST, snapshot, null,
                Selection.of(config.sockets(), config.ports(), config.excluded(), List.<Listener>of(listeners)), null);
    }

    public static CheckResult evaluateTcp(CheckConfig config, TcpListener... listeners) {
        ListenerSnapshot<TcpListener> snapshot = new ListenerSnapshot<>(List.of(listeners), Source.SOCK_DIAG, null);
        return Evaluation.evaluate(config, HOST, null, snapshot,
                Selection.of(config.sockets(), config.ports(), config.excluded(), List.<Listener>of(listeners)), null);
    }

    public static SocketItem only(CheckResult result) {
        assertEquals(1, result.sockets().size());
        return result.sockets().get(0);
    }

    @Test
    void somaxconnBasisIsTheDocumentsFormula() throws UsageException {
        SocketItem result = only(evaluate(config(), listener("/a", 256, 9, 0)));
        assertEquals(512, result.capacity().getAsLong());
        assertEquals(50.0, result.metric("usage").value(), 1e-9);
    }

    @Test
    void socketBasisIsBacklogPlusOne() throws UsageException {
        SocketItem result = only(evaluate(config("-b", "socket"), listener("/a", 3, 9, 0)));
        assertEquals(10, result.capacity().getAsLong());
        assertEquals(30.0, result.metric("usage").value(), 1e-9);
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
        assertEquals(expected, evaluate(config(), listener("/a", pending, 4096, 0)).state(), why);
    }

    @Test
    void fullQueueTakesTheFullStateWhateverTheUsage() throws UsageException {
        assertEquals(Status.OK, evaluate(config(), listener("/a", 9, 9, 0)).state(), "9 of 10: not full");
        CheckResult full = evaluate(config(), listener("/a", 10, 9, 0));
        assertEquals(Status.CRITICAL, full.state(), "10 of 10 is 1.95% of 512, yet clients are refused");
        assertEquals(List.of(new Reason.QueueFull(10, 10, Status.CRITICAL)), full.sockets().get(0).reasons());
        assertEquals(Status.WARNING, evaluate(config("--full-state", "warning"), listener("/a", 10, 9, 0)).state());
        assertEquals(Status.OK, evaluate(config("--full-state", "ok"), listener("/a", 10, 9, 0)).state());
        assertEquals(List.of(), evaluate(config("--full-state", "ok"), listener("/a", 10, 9, 0)).sockets().get(0).reasons());
        assertEquals(Status.OK, evaluate(config(), listener("/a", 10, -1, 0)).state(),
                "no backlog (from /proc), no fullness to judge");
    }

    @Test
    void pendingThresholdsCountConnections() throws UsageException {
        CheckConfig config = config("--pending-warning", "10", "--pending-critical", "20");
        assertEquals(Status.OK, evaluate(config, listener("/a", 10, 100, 0)).state());
        assertEquals(Status.WARNING, evaluate(config, listener("/a", 11, 100, 0)).state());
        assertEquals(Status.CRITICAL, evaluate(config, listener("/a", 21, 100, 0)).state());
    }

    @Test
    void blockedThresholdsCountBlockedClients() throws UsageException {
        CheckConfig config = config("--blocked-critical", "0");
        assertEquals(Status.OK, evaluate(config, listener("/a", 1, 1, 0)).state());
        CheckResult result = evaluate(config, listener("/a", 1, 1, 3));
        assertEquals(Status.CRITICAL, result.state());
        Metric blocked = result.sockets().get(0).metric("blocked");
        assertEquals(List.of(new Reason.Breached(blocked)), result.sockets().get(0).reasons());
        assertEquals(new Breach(Status.CRITICAL, Range.parse("0"), Breach.Side.ABOVE), blocked.breach());
    }

    @Test
    void worstSocketSetsTheState() throws UsageException {
        CheckResult result = evaluate(config("-b", "socket"),
                listener("/ok", 0, 9, 0), listener("/warn", 6, 9, 0), listener("/crit", 9, 9, 0));
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(List.of(Status.CRITICAL, Status.OK, Status.WARNING),
                result.sockets().stream().map(SocketItem::state).toList(), "sorted by name");
        assertEquals(List.of(result.sockets().get(0)), result.significant(), "the items that set the state");
    }

    @Test
    void criticalOutranksUnknown() throws UsageException {
        // /proc cannot see backlogs, so the socket basis leaves one socket UNKNOWN; the missing one is CRITICAL.
        CheckResult result = evaluate(config("-b", "socket", "-s", "/a", "-s", "/gone"), listener("/a", 1, -1, 0));
        assertEquals(Status.UNKNOWN, result.sockets().get(0).state());
        assertEquals(Status.CRITICAL, result.state());
    }

    @Test
    void unknownBacklogIsUnknownNotOk() throws UsageException {
        CheckResult result = evaluate(config("-b", "socket"), listener("/a", 0, -1, 0));
        assertEquals(Status.UNKNOWN, result.state());
        assertEquals(List.of(new Reason.CapacityUnknown(false)), result.sockets().get(0).reasons());
        assertNull(result.sockets().get(0).metric("usage"), "no usage without a capacity");
    }

    @Test
    void missingSelectorTakesTheChosenState() throws UsageException {
        assertEquals(Status.CRITICAL, evaluate(config("-s", "/gone")).state());
        assertEquals(Status.WARNING, evaluate(config("-s", "/gone", "--missing-state", "warning")).state());
        assertEquals(Status.OK, evaluate(config("-s", "/gone", "--missing-state", "ok")).state());
        assertEquals(List.of(new MissingSelector("/gone", Status.CRITICAL)), evaluate(config("-s", "/gone")).missing());
    }

    @Test
    void globSelectsEveryMatchAndOnlyThose() throws UsageException {
        CheckResult result = evaluate(config("-s", "/run/php/*.sock"),
                listener("/run/php/a.sock", 0, 1, 0), listener("/run/php/b.sock", 0, 1, 0),
                listener("/run/php/sub/c.sock", 0, 1, 0), listener("/run/other.sock", 0, 1, 0));
        assertEquals(List.of("/run/php/a.sock", "/run/php/b.sock"),
                result.sockets().stream().map(SocketItem::name).toList());
        assertEquals(List.of(), result.missing());
    }

    @Test
    void sharedNamesGetDistinctLabels() throws UsageException {
        CheckResult result = evaluate(config(), listener("/a", 1, 0, 1, 0), listener("/a", 2, 0, 1, 0));
        assertEquals(List.of("'/a inode 1:pending'", "'/a inode 2:pending'"),
                result.sockets().stream().map(s -> s.metric("pending").label()).toList());
    }

    @Test
    void breachSaysWhichSideWasCrossedAndWhichRange() {
        Thresholds thresholds = new Thresholds(Range.parse("10:"), Range.parse("80"));
        assertEquals(new Breach(Status.CRITICAL, Range.parse("80"), Breach.Side.ABOVE), Breach.of(thresholds, 85));
        assertEquals(new Breach(Status.CRITICAL, Range.parse("80"), Breach.Side.BELOW), Breach.of(thresholds, -1));
        assertEquals(new Breach(Status.WARNING, Range.parse("10:"), Breach.Side.BELOW), Breach.of(thresholds, 5));
        assertNull(Breach.of(thresholds, 50));
        assertEquals(new Breach(Status.WARNING, Range.parse("@10:20"), Breach.Side.INSIDE),
                Breach.of(new Thresholds(Range.parse("@10:20"), null), 15));
    }

    @Test
    void thePerfdataThresholdsAreTheOnesThatJudged() throws UsageException {
        SocketItem item = only(evaluate(config("-w", "5", "-c", "7", "--pending-warning", "3", "--blocked-critical", "0"),
                listener("/a", 4, 9, 0)));
        assertEquals(new Thresholds(Range.parse("5"), Range.parse("7")), item.metric("usage").thresholds());
        assertEquals(new Thresholds(Range.parse("3"), null), item.metric("pending").thresholds());
        assertEquals(Status.WARNING, item.metric("pending").state());
        assertEquals(new Thresholds(null, Range.parse("0")), item.metric("blocked").thresholds());
    }

    /** The attack on " inode N" suffixes: a socket named like the qualified label of two others. */
    @Test
    void aNameThatSpellsAQualifiedLabelCannotTakeIt() throws UsageException {
        CheckResult result = evaluate(config(), listener("/a", 1, 0, 1, 0), listener("/a", 2, 0, 1, 0),
                listener("/a inode 2", 3, 0, 1, 0));
        assertEquals(List.of("'/a inode 1:pending'", "'/a inode 2:pending'", "/a%20inode%202:pending"),
                result.sockets().stream().map(s -> s.metric("pending").label()).toList());
    }

    /** A relative unix path can spell a TCP label; it must not change the TCP listener's labels. */
    @Test
    void aUnixNameThatLooksLikeATcpLabelLeavesTheTcpLabelsAlone() throws UsageException {
        UnixListener lookalike = new UnixListener(
                UnixName.ofSunPath("tcp4/127.0.0.1/7777\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                SocketKind.UNIX_STREAM, new long[] {5}, 0, OptionalLong.of(1), OptionalLong.of(0), 0);
        TcpListener tcp = new TcpListener(TcpEndpoint.of(new byte[] {127, 0, 0, 1}, 7777, false, 0), 6, 0,
                OptionalLong.of(1), new TcpListener.SynRecv(0, 1, 0), 0);
        CheckConfig config = config();
        CheckResult result = Evaluation.evaluate(config, HOST,
                new ListenerSnapshot<>(List.of(lookalike), Source.SOCK_DIAG, null),
                new ListenerSnapshot<>(List.of(tcp), Source.SOCK_DIAG, null),
                Selection.of(config.sockets(), config.ports(), config.excluded(), List.<Listener>of(lookalike, tcp)), null);
        assertEquals(List.of("./tcp4/127.0.0.1/7777:pending", "tcp4/127.0.0.1/7777:pending"),
                result.sockets().stream().map(item -> item.metric("pending").label()).toList());
    }

    @Test
    void aForgedLineIsARemarkWithSockDiagAndUnknownWithProcAlone() throws UsageException {
        UnixListener listener = new UnixListener(Names.written("/a"), SocketKind.UNIX_STREAM, new long[] {1}, 2,
                OptionalLong.of(1), OptionalLong.of(4), 1);
        assertEquals(Status.CRITICAL, evaluate(config(), listener).state(), "the queue is full: CRITICAL still");
        assertEquals(Status.OK, evaluate(config("--full-state", "ok"), listener).state(),
                "sock_diag vouched for it; only the blocked count came from the file, and the worst of it");
        UnixListener fromProc = new UnixListener(Names.written("/a"), SocketKind.UNIX_STREAM, new long[] {1}, 0,
                OptionalLong.empty(), OptionalLong.of(0), 2);
        assertEquals(Status.UNKNOWN, evaluate(config(), Source.PROC, fromProc).state());
        assertEquals(List.of(new Reason.ForgedLines(2, false)), evaluate(config(), Source.PROC, fromProc).sockets().get(0)
                .reasons());
    }

    @Test
    void excludedListenersAreLeftOutOfWhatIsSelected() throws UsageException {
        UnixListener a = listener("/run/php/a.sock", 1, 0, 1, 0);
        UnixListener b = listener("/run/php/b.sock", 2, 0, 1, 0);
        UnixListener c = listener("/run/other.sock", 3, 0, 1, 0);
        assertEquals(List.of("/run/other.sock", "/run/php/a.sock"),
                evaluate(config("-x", "/run/php/b.sock"), a, b, c).sockets().stream().map(SocketItem::name).toList(),
                "from the whole host");
        assertEquals(List.of("/run/php/b.sock"), evaluate(config("-s", "/run/php/*.sock", "--exclude", "/run/php/a*"),
                a, b, c).sockets().stream().map(SocketItem::name).toList(), "from a glob, with a glob");
        CheckResult allOut = evaluate(config("-s", "/run/php/a.sock", "-x", "/run/php/*"), a, b, c);
        assertEquals(List.of(), allOut.sockets());
        assertEquals(List.of(), allOut.missing(), "a selector whose listeners were left out on purpose is not missing");
        assertEquals(Status.OK, allOut.state());
    }

    /** somaxconn 0 (a root's sysctl in a container): the documents' basis is 0, so no usage, and a full queue still CRITICAL. */
    @Test
    void aZeroSomaxconnLeavesNoUsageButTheFullQueueVerdict() throws UsageException {
        HostFigures zero = new HostFigures(0, "test", 2, "test", java.util.Optional.empty());
        UnixListener full = listener("/a", 1, 1, 0, 0);
        CheckConfig config = config();
        CheckResult result = Evaluation.evaluate(config, zero, new ListenerSnapshot<>(List.of(full), Source.SOCK_DIAG, null),
                null, Selection.of(config.sockets(), config.ports(), config.excluded(), List.<Listener>of(full)), null);
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(List.of(new Reason.CapacityUnknown(true), new Reason.QueueFull(1, 1, Status.CRITICAL)),
                result.sockets().get(0).reasons());
        assertNull(result.sockets().get(0).metric("usage"));
    }

    /** /proc/net/unix unreadable: a full queue's blocked clients are not counted, and the full queue is still CRITICAL. */
    @Test
    void blockedClientsThatCouldNotBeCountedLeaveTheFullQueueVerdict() throws UsageException {
        UnixListener full = new UnixListener(Names.written("/a"), SocketKind.UNIX_STREAM, new long[] {1}, 2,
                OptionalLong.of(1), OptionalLong.empty(), 0);
        CheckConfig config = config("--blocked-critical", "0");
        CheckResult result = Evaluation.evaluate(config, HOST, new ListenerSnapshot<>(List.of(full), Source.SOCK_DIAG, null),
                null, Selection.of(config.sockets(), config.ports(), config.excluded(), List.<Listener>of(full)),
                "cannot read /proc/net/unix: Permission denied");
        assertEquals(Status.CRITICAL, result.state());
        assertEquals(List.of(new Reason.QueueFull(2, 2, Status.CRITICAL),
                new Reason.BlockedNotCounted("cannot read /proc/net/unix: Permission denied")),
                result.sockets().get(0).reasons());
        assertNull(result.sockets().get(0).metric("blocked"), "no figure where none was read");
    }
}
