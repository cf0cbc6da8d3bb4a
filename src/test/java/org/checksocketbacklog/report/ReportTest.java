package org.checksocketbacklog.report;

import static org.checksocketbacklog.evaluation.EvaluationTest.config;
import static org.checksocketbacklog.evaluation.EvaluationTest.evaluate;
import static org.checksocketbacklog.evaluation.EvaluationTest.listener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Evaluation;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.selection.Selection;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static String[] lines(PluginOutput output) {
        return output.text().split("\n");
    }

    private static PluginOutput render(CheckResult result) {
        return Report.render(result, new Report.Options(0, false, 0));
    }

    @Test
    void okLineNamesTheFullestSocketAndCarriesAllPerfdata() throws UsageException {
        PluginOutput output = render(evaluate(config(), listener("/run/b.sock", 3, 9, 0),
                listener("/run/a.sock", 1, 9, 0)));
        assertEquals(Status.OK, output.status());
        assertEquals("BACKLOG OK - 2 listeners, fullest /run/b.sock: 3 pending, usage 0.59% of 512"
                + " | /run/a.sock:pending=1;;;0;512 /run/a.sock:usage=0.1953%;50;80;0;100 /run/a.sock:blocked=0;;;0"
                + " /run/b.sock:pending=3;;;0;512 /run/b.sock:usage=0.5859%;50;80;0;100 /run/b.sock:blocked=0;;;0"
                + " somaxconn=128 cpus=2", lines(output)[0]);
    }

    @Test
    void longOutputGivesEverySocketAndTheBasisAndSource() throws UsageException {
        String[] lines = lines(render(evaluate(config("-b", "socket"), listener("/run/a.sock", 4, 3, 2))));
        assertEquals("\t\\_[CRITICAL] - /run/a.sock (unix stream, inode " + ("/run/a.sock".hashCode() & 0xffff)
                + "): 4 pending, backlog 3, 2 blocked, usage 100% of 4 - usage 100% (critical above 80), "
                + "queue full (4 of 4)",
                lines[1]);
        assertEquals("basis: each socket's backlog + 1 (--basis socket)", lines[2]);
        assertEquals("source: unix sock_diag (blocked clients from /proc/net/unix)", lines[3]);
    }

    /**
     * monitoring-plugins' lib/output.c (fmt_subcheck_output): a tab, "\\_[STATE] - ", the item's text;
     * the basis, source and -v lines are not items and stay untagged.
     */
    @Test
    void everyItemLineIsTaggedWithItsOwnStateAsTheMonitoringPluginsDo() throws UsageException {
        CheckResult result = evaluate(config("-v", "-b", "socket", "--findings-state", "warning", "-s", "/run/*",
                "-s", "/gone"), listener("/run/crit", 3, 18, 19, 0), listener("/run/ok", 1, 0, 19, 0),
                listener("/run/wide", 4, 0, 128, 0), listener("/run/warn", 2, 12, 19, 0));
        String[] lines = lines(Report.render(result, new Report.Options(1, false, 0)));
        assertEquals(List.of(
                "\t\\_[CRITICAL] - /run/crit (unix stream, inode 3): 18 pending, backlog 19, 0 blocked, usage 90% of 20"
                        + " - usage 90% (critical above 80)",
                "\t\\_[OK] - /run/ok (unix stream, inode 1): 0 pending, backlog 19, 0 blocked, usage 0% of 20",
                "\t\\_[WARNING] - /run/warn (unix stream, inode 2): 12 pending, backlog 19, 0 blocked, usage 60% of 20"
                        + " - usage 60% (warning above 50)",
                "\t\\_[OK] - /run/wide (unix stream, inode 4): 0 pending, backlog 128, 0 blocked, usage 0% of 129",
                "\t\\_[CRITICAL] - /gone: not listening",
                "\t\\_[WARNING] - finding: /run/wide: backlog 128 is net.core.somaxconn: the service probably asked "
                        + "for more and was capped; raise somaxconn (sysctl -w net.core.somaxconn=N, and in "
                        + "/etc/sysctl.d/) to the backlog the service asks for, then restart it"),
                List.of(lines).subList(1, 7));
        for (int i = 7; i < lines.length; i++) {
            assertFalse(lines[i].startsWith("\t") || lines[i].contains("\\_["), "untagged: " + lines[i]);
        }
        assertEquals("basis: each socket's backlog + 1 (--basis socket)", lines[7]);
        assertEquals(List.of(), IcingaWebStates.untrue(String.join("\n", lines)));
    }

    /**
     * A name is anyone's to choose: none can start a line, nor show a state where Icinga Web reads
     * one (a tag, [OK] or (OK) anywhere, HTML), in the item lines, the status line or -vvv's list.
     */
    @Test
    void aNameCannotShowAStateOrALineOfItsOwn() throws UsageException {
        String[] names = {"/run/x\n\t\\_[OK] - /run/y (unix stream, inode 1): 0 pending",
            "/run/a [OK] (OK) [UP) (INFO]", "/run/\\n\\_[OK] - literal backslash n",
            "/run/<span class=\"state-ball state-ok\"></span>", "/run/<br>\\_[OK] - after a break"};
        UnixListener[] full = new UnixListener[names.length];
        for (int i = 0; i < names.length; i++) {
            full[i] = listener(names[i], i + 1, 10, 9, 0);
        }
        CheckResult result = evaluate(config("-vvv", "-b", "socket"), full); // every listener: no glob takes them all
        String text = Report.render(result, new Report.Options(3, false, 0)).text();
        assertEquals(List.of(), IcingaWebStates.untrue(text));
        assertEquals(names.length, text.lines().filter(l -> l.startsWith("\t\\_[CRITICAL] - /run/")).count(), text);
        assertEquals(2 * names.length, text.lines().filter(l -> l.startsWith("\t")).count(),
                "no line is tagged but the sockets' and their findings'");
        assertTrue(text.contains("/run/x\\x0a\\x09\\x5c_\\x5bOK] - /run/y (unix stream, inode 1): 0 pending (unix "
                + "stream, inode 1): 10 pending"), text);
        assertTrue(text.contains("/run/a \\x5bOK] \\x28OK) \\x5bUP) \\x28INFO]"), text);
        assertTrue(text.contains("/run/\\x3cspan class=\"state-ball state-ok\">\\x3c/span>"), text);
    }

    @Test
    void problemLineNamesOnlyTheSocketsThatSetTheState() throws UsageException {
        PluginOutput output = render(evaluate(config("-b", "socket", "-s", "/run/*", "-s", "/gone"),
                listener("/run/ok", 0, 9, 0), listener("/run/warn", 6, 9, 0), listener("/run/crit", 9, 9, 0)));
        String first = lines(output)[0];
        assertTrue(first.startsWith("BACKLOG CRITICAL - /run/crit usage 90% (critical above 80); /gone not listening | "),
                first);
        assertFalse(first.substring(0, first.indexOf('|')).contains("/run/warn"));
    }

    @Test
    void manyCulpritsAreCounted() throws UsageException {
        PluginOutput output = render(evaluate(config("-s", "/a", "-s", "/b", "-s", "/c", "-s", "/d", "-s", "/e")));
        assertTrue(lines(output)[0].startsWith(
                "BACKLOG CRITICAL - /a not listening; /b not listening; /c not listening; and 2 more | "),
                lines(output)[0]);
    }

    @Test
    void namesCannotBreakTheOutputFormat() throws UsageException {
        PluginOutput output = render(evaluate(config("--pending-critical", "0"),
                listener("/tmp/evil|x\nBACKLOG OK", 1, 9, 0)));
        String[] lines = lines(output);
        assertEquals(1, lines[0].chars().filter(c -> c == '|').count(), "one perfdata separator: " + lines[0]);
        assertTrue(lines[0].startsWith("BACKLOG CRITICAL - /tmp/evil\\x7cx\\x0aBACKLOG OK pending 1"), lines[0]);
        for (int i = 1; i < lines.length; i++) {
            assertFalse(lines[i].startsWith("BACKLOG OK"), "no forged status line");
        }
    }

    @Test
    void numbersUseADotWhateverTheLocale() throws UsageException {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String first = lines(render(evaluate(config(), listener("/a", 3, 9, 0))))[0];
            assertTrue(first.contains("usage 0.59% of 512"), first);
            assertTrue(first.contains("/a:usage=0.5859%"), first);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void unknownIsOneLine() {
        PluginOutput output = Report.unknown("cannot read /proc/net/unix: permission denied");
        assertEquals(Status.UNKNOWN, output.status());
        assertEquals("BACKLOG UNKNOWN - cannot read /proc/net/unix: permission denied\n", output.text());
    }

    @Test
    void verbosityAddsWhereValuesCameFrom() throws UsageException {
        String text = Report.render(evaluate(config("-v"), listener("/a", 0, 9, 0)), new Report.Options(1, false, 0)).text();
        assertTrue(text.contains("somaxconn 128 from test; 2 CPUs from test"), text);
        assertFalse(render(evaluate(config(), listener("/a", 0, 9, 0))).text().contains("from test"));
    }

    /** DEL, NEL and U+2028/U+2029 end a line for some tools; they are escaped like other controls. */
    @Test
    void lineBreakingCharactersInNamesAreEscaped() throws UsageException {
        String first = lines(render(evaluate(config("--pending-critical", "0"),
                listener("/tmp/a\u007fb\u0085c\u2028d\u2029e\\f", 1, 9, 0))))[0];
        assertTrue(first.startsWith("BACKLOG CRITICAL - /tmp/a\\x7fb\\xc2\\x85c\\xe2\\x80\\xa8d\\xe2\\x80\\xa9e\\x5cf pending 1"),
                first);
    }

    @Test
    void invalidArgumentTextIsEscapedOnceInOneSpelling() {
        String text = Report.unknown("invalid range \"1|2\": trailing \"|2\"").text();
        assertEquals("BACKLOG UNKNOWN - invalid range \"1\\x7c2\": trailing \"\\x7c2\"\n", text);
    }

    @Test
    void countersAboveTwoToTheSixtyThirdPrintAsUnsignedDecimals() throws UsageException {
        java.util.Map<String, Long> counters = new java.util.LinkedHashMap<>();
        counters.put("ListenOverflows", -1L);
        counters.put("ListenDrops", Long.MIN_VALUE);
        CheckConfig config = config("-p", "1");
        CheckResult result = Evaluation.evaluate(config, new org.checksocketbacklog.kernel.HostFigures(128, "test", 2,
                "test", java.util.Optional.of(new org.checksocketbacklog.kernel.HostFigures.Tcp(128, 1, counters))),
                null, new org.checksocketbacklog.kernel.ListenerSnapshot<>(java.util.List.of(),
                        org.checksocketbacklog.kernel.Source.SOCK_DIAG, null),
                Selection.of(config.sockets(), config.ports(), config.excluded(), java.util.List.of()), null);
        String text = render(result).text();
        assertTrue(text.contains(" ListenOverflows=18446744073709551615c ListenDrops=9223372036854775808c"), text);
        assertTrue(text.contains("counters: ListenOverflows 18446744073709551615, ListenDrops 9223372036854775808\n"),
                text);
    }
}
