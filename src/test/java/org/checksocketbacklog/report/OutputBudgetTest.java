package org.checksocketbacklog.report;

import static org.checksocketbacklog.evaluation.EvaluationTest.evaluate;
import static org.checksocketbacklog.evaluation.EvaluationTest.listener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.arguments.Configs;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.plugin.PerfdataConsumers;
import org.checksocketbacklog.plugin.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output within --max-output: nothing cut inside an item, what is left out counted, the choice stable. */
class OutputBudgetTest {
    /** n idle listeners /run/s0000.sock ..., and the given ones. */
    private static UnixListener[] host(int n, UnixListener... more) {
        List<UnixListener> listeners = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            listeners.add(listener(String.format("/run/s%04d.sock", i), 1000 + i, 0, 128, 0));
        }
        listeners.addAll(List.of(more));
        return listeners.toArray(new UnixListener[0]);
    }

    private static String render(CheckResult result, int max) {
        return Report.render(result, new Report.Options(0, false, max)).text();
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest(name = "--max-output {0}")
    @ValueSource(ints = {256, 1023, 4096, 8192, 65535})
    void aWholeHostCheckFitsAndEveryItemLeftIsWhole(int max) throws Exception {
        UnixListener full = listener("/run/s0500.sock", 5000, 3, 2, 1);
        CheckResult result = evaluate(Configs.config(), host(2000, full));
        String text = render(result, max);
        assertTrue(bytes(text) <= max, bytes(text) + " bytes");
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("BACKLOG CRITICAL - /run/s0500.sock queue full (3 of 3)"), lines[0]);
        String perfdata = lines[0].substring(lines[0].indexOf(" | ") + 3);
        List<PerfdataConsumers.Item> items = PerfdataConsumers.icinga2(perfdata);
        assertNotNull(items, "Icinga 2 reads every item left: " + perfdata);
        if (!perfdata.isEmpty()) {
            assertEquals(items.stream().map(PerfdataConsumers.Item::label).toList(),
                    PerfdataConsumers.pnp4nagios(perfdata).stream().map(PerfdataConsumers.Item::label).toList(),
                    "and so does PNP4Nagios");
        }
        for (PerfdataConsumers.Item item : items) {
            assertTrue(item.label().endsWith(":pending") || item.label().endsWith(":usage")
                    || item.label().endsWith(":blocked") || !item.label().contains(":"), item.label());
        }
        // All three items of a socket, or none.
        long pending = items.stream().filter(i -> i.label().endsWith(":pending")).count();
        assertEquals(pending, items.stream().filter(i -> i.label().endsWith(":blocked")).count());
        assertTrue(text.contains("\n\t\\_[CRITICAL] - /run/s0500.sock (unix stream, inode 5000): 3 pending") || max < 400,
                "the CRITICAL socket's line comes before any OK one");
        assertTrue(text.contains(" (--max-output " + max + ")\n"), "what was left out is counted: " + text);
    }

    @Test
    void theLeftOutAreCountedByState() throws Exception {
        String text = render(evaluate(Configs.config(), host(500)), 1023);
        String omitted = text.lines().filter(l -> l.startsWith("and ")).findFirst().orElseThrow();
        int shown = (int) text.lines().filter(l -> l.contains("(unix stream, inode")).count();
        assertEquals("and " + (500 - shown) + " more lines not shown (" + (500 - shown) + " OK); perfdata of "
                + (500 - perfdataSockets(text)) + " of 500 sockets left out (--max-output 1023)", omitted);
    }

    private static int perfdataSockets(String text) {
        String first = text.substring(0, text.indexOf('\n'));
        return (int) PerfdataConsumers.icinga2(first.substring(first.indexOf(" | ") + 3)).stream()
                .filter(i -> i.label().endsWith(":pending")).count();
    }

    /** The labels of the perfdata items on the status line. */
    private static List<String> labels(String text) {
        String first = text.substring(0, text.indexOf('\n'));
        return PerfdataConsumers.icinga2(first.substring(first.indexOf(" | ") + 3)).stream()
                .map(PerfdataConsumers.Item::label).toList();
    }

    /**
     * Graphs must not flap: between one run and the next, values grow by digits and sockets turn
     * CRITICAL (their lines then come first); the sockets that keep perfdata stay the same.
     */
    @ParameterizedTest(name = "--max-output {0}")
    @ValueSource(ints = {1023, 4096, 8192})
    void theSameSocketsKeepTheirPerfdataWhateverTheirValuesAndStates(int max) throws Exception {
        List<String> idle = labels(render(evaluate(Configs.config(), host(300)), max));
        UnixListener[] busy = host(300);
        busy[0] = listener("/run/s0000.sock", 1000, 129, 16383, 0);               // 3 digits more
        busy[1] = listener("/run/s0001.sock", 1001, 129, 128, 17);                // full, 17 blocked: CRITICAL
        busy[2] = listener("/run/s0002.sock", 1002, 300, 511, 0);                 // 59%: WARNING
        for (int i = 3; i < 40; i++) {
            busy[i] = listener(String.format("/run/s%04d.sock", i), 1000 + i, 129, 128, 0); // full
        }
        String text = render(evaluate(Configs.config(), busy), max);
        assertTrue(bytes(text) <= max, bytes(text) + " bytes");
        assertTrue(text.startsWith("BACKLOG CRITICAL - "), text);
        assertEquals(idle, labels(text));
        assertTrue(idle.contains("/run/s0000.sock:pending"), "the first sockets in the usual order: " + idle);
    }

    @Test
    void theSocketsThatKeepPerfdataAreAPrefixOfTheOrder() throws Exception {
        UnixListener[] listeners = host(300);
        listeners[5] = listener("/run/s0005" + "x".repeat(150) + ".sock", 1005, 0, 128, 0);
        List<String> labels = labels(render(evaluate(Configs.config(), listeners), 1023));
        List<String> pending = labels.stream().filter(l -> l.endsWith(":pending")).toList();
        for (int i = 0; i < pending.size(); i++) {
            assertTrue(pending.get(i).startsWith(String.format("/run/s%04d", i)), "no gap where one did not fit: "
                    + pending);
        }
    }

    @Test
    void aBudgetTooSmallForTheShareLosesTheLastPerfdataFirst() throws Exception {
        String text = render(evaluate(Configs.config(), host(50, listener("/run/s0500.sock", 5000, 3, 2, 1))), 256);
        assertTrue(bytes(text) <= 256, bytes(text) + " bytes: " + text);
        assertTrue(text.startsWith("BACKLOG CRITICAL - "), text);
        List<String> labels = labels(text);
        assertTrue(labels.isEmpty() || labels.get(0).equals("/run/s0000.sock:pending") || !labels.get(0).contains(":"),
                "what is left is the start of the order: " + labels);
    }

    @Test
    void socketsNamedOnTheCommandLineKeepTheirPerfdataFirst() throws Exception {
        UnixListener[] listeners = host(400);
        CheckResult result = evaluate(Configs.config("-s", "/run/*.sock", "-s", "/run/s0399.sock"), listeners);
        String first = render(result, 2048).split("\n")[0];
        assertTrue(first.contains("/run/s0399.sock:pending="), "named, so kept although last by name: " + first);
    }

    /** Hundreds of failing sockets: the status line names the first three and counts the rest, in any budget. */
    @ParameterizedTest(name = "--max-output {0}")
    @ValueSource(ints = {0, 1023, 8192})
    void theStatusLineStaysShortWhateverTheNumberOfFailingSockets(int max) throws Exception {
        UnixListener[] listeners = new UnixListener[600];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = listener(String.format("/run/s%04d.sock", i), 1000 + i, 129, 128, i % 3); // all full
        }
        String text = render(evaluate(Configs.config(), listeners), max);
        String status = text.substring(0, text.indexOf(" | "));
        assertEquals("BACKLOG CRITICAL - /run/s0000.sock queue full (129 of 129); /run/s0001.sock queue full "
                + "(129 of 129); /run/s0002.sock queue full (129 of 129); and 597 more", status);
        if (max > 0) {
            assertTrue(bytes(text) <= max, bytes(text) + " bytes");
            assertTrue(text.contains("\n\t\\_[CRITICAL] - /run/s0000.sock (unix stream, inode 1000): 129 pending"),
                    "the CRITICAL sockets' lines come in their order");
        }
    }

    /** An OK status line names the fullest socket; in a tight budget it gives the name up, not the budget. */
    @ParameterizedTest(name = "--max-output {0}")
    @ValueSource(ints = {256, 300, 400, 520})
    void anOkStatusLineWithALongNameStillFits(int max) throws Exception {
        UnixListener longName = listener("/run/" + "\u0001".repeat(107) + ".sock", 7, 1, 128, 0);
        String text = render(evaluate(Configs.config(), longName, listener("/run/a.sock", 8, 0, 128, 0)), max);
        assertTrue(bytes(text) <= max, bytes(text) + " bytes: " + text);
        assertTrue(text.startsWith("BACKLOG OK - 2 listeners, fullest "), text);
    }

    /**
     * Which perfdata is kept depends on the budget and the listeners only: not on which socket is
     * the fullest (its name is in the status line), nor on the state.
     */
    @Test
    void theKeptPerfdataDoesNotDependOnTheStatusLine() throws Exception {
        String longName = "/tmp/" + "L".repeat(95);
        for (int max = 256; max <= 700; max += 11) {
            List<String> shortFullest = labels(render(evaluate(Configs.config(),
                    listener("/tmp/r9short", 1, 9, 128, 0), listener(longName, 2, 0, 128, 0)), max));
            List<String> longFullest = labels(render(evaluate(Configs.config(),
                    listener("/tmp/r9short", 1, 0, 128, 0), listener(longName, 2, 9, 128, 0)), max));
            List<String> critical = labels(render(evaluate(Configs.config(),
                    listener("/tmp/r9short", 1, 129, 128, 3), listener(longName, 2, 129, 128, 3)), max));
            assertEquals(shortFullest, longFullest, "--max-output " + max);
            assertEquals(shortFullest, critical, "--max-output " + max);
        }
    }

    /** The basis, source and -v lines are kept in their order, up to the first that does not fit. */
    @Test
    void contextLinesAreAPrefixAndCountedAsOther() throws Exception {
        CheckResult result = evaluate(Configs.config("-vv"), host(40));
        String text = Report.render(result, new Report.Options(2, false, 1023)).text();
        List<String> all = Report.render(result, new Report.Options(2, false, 0)).text().lines()
                .filter(l -> !l.startsWith("\t\\_[") && !l.startsWith("BACKLOG"))
                .toList(); // findings are items, like the sockets' lines: all tagged
        List<String> kept = text.lines().filter(all::contains).toList();
        assertEquals(all.subList(0, kept.size()), kept, "a prefix of the context lines");
        String omitted = text.lines().filter(l -> l.startsWith("and ")).findFirst().orElseThrow();
        if (kept.size() < all.size()) {
            assertTrue(omitted.contains((all.size() - kept.size()) + " other"), omitted);
        }
    }

    @Test
    void withoutALimitNothingIsLeftOut() throws Exception {
        String text = render(evaluate(Configs.config(), host(2000)), 0);
        assertEquals(2000, text.lines().filter(l -> l.contains("(unix stream, inode")).count());
        assertTrue(text.lines().noneMatch(l -> l.startsWith("and ")));
    }

    @Test
    void anOutputThatFitsIsTheUnlimitedOne() throws Exception {
        CheckResult result = evaluate(Configs.config(), host(3));
        assertEquals(render(result, 0), render(result, 8192));
        assertEquals(Status.OK, result.state());
    }

    @Test
    void aStatusLineTooLongForTheBudgetNamesFewerSockets() throws Exception {
        List<UnixListener> full = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            full.add(listener("/run/" + "x".repeat(90) + i + ".sock", 9000 + i, 3, 2, 1));
        }
        String text = render(evaluate(Configs.config(), full.toArray(new UnixListener[0])), 256);
        assertTrue(bytes(text) <= 256, text);
        assertTrue(text.startsWith("BACKLOG CRITICAL - "), text);
    }
}
