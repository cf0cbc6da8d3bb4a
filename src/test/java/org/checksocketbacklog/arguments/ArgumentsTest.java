package org.checksocketbacklog.arguments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.selection.PortSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArgumentsTest {
    private static CheckConfig config(String... args) throws UsageException {
        return assertInstanceOf(Request.Check.class, Arguments.parse(args)).config();
    }

    @Test
    void defaultsAreTheDocumentsValues() throws UsageException {
        CheckConfig config = config();
        assertEquals(List.of(), config.sockets());
        assertEquals(Basis.SOMAXCONN, config.basis());
        assertEquals(Range.parse("50"), config.usage().warning());
        assertEquals(Range.parse("80"), config.usage().critical());
        assertNull(config.pending().warning());
        assertNull(config.pending().critical());
        assertNull(config.blocked().critical());
        assertEquals(Status.CRITICAL, config.missingState());
        assertNull(config.cpus());
        assertEquals(SourcePreference.AUTO, config.source());
        assertEquals(8, config.timeoutSeconds());
        assertEquals(List.of(), config.ports());
        assertTrue(config.wantsUnix() && config.wantsTcp(), "no selector: every listener of both kinds");
        assertEquals(0, config.verbosity());
        assertFalse(config.quiet());
    }

    @Test
    void defaultTimeoutIsBelowCheckNrpesTenSeconds() {
        assertTrue(Arguments.DEFAULT_TIMEOUT_SECONDS < 10);
    }

    @Test
    void everyOptionIsRead() throws UsageException {
        CheckConfig config = config("-s", "/run/a.sock", "--socket", "@abstract", "-s", "/run/php/*.sock",
                "-w", "~:10", "-c", "@20:30", "--pending-warning", "5", "--pending-critical", "9",
                "--blocked-warning", "0", "--blocked-critical", "2", "-b", "socket", "--cpus", "4",
                "--missing-state", "warning", "--source", "proc", "-t", "3", "-vv");
        assertEquals(List.of("/run/a.sock", "@abstract", "/run/php/*.sock"),
                config.sockets().stream().map(g -> g.pattern()).toList());
        assertEquals(Range.parse("~:10"), config.usage().warning());
        assertEquals(Range.parse("@20:30"), config.usage().critical());
        assertEquals(Range.parse("5"), config.pending().warning());
        assertEquals(Range.parse("9"), config.pending().critical());
        assertEquals(Range.parse("0"), config.blocked().warning());
        assertEquals(Range.parse("2"), config.blocked().critical());
        assertEquals(Basis.SOCKET, config.basis());
        assertEquals(4, config.cpus());
        assertEquals(Status.WARNING, config.missingState());
        assertEquals(SourcePreference.PROC, config.source());
        assertEquals(3, config.timeoutSeconds());
        assertEquals(2, config.verbosity());
        assertTrue(config("-q").quiet());
        assertTrue(config("--quiet").quiet());
    }

    @Test
    void portsAndSocketsMix() throws UsageException {
        CheckConfig config = config("-p", "8080", "--port", "[::1]:443", "-s", "/run/a.sock",
                "--syn-recv-warning", "5", "--syn-recv-critical", "10");
        assertEquals(List.of("8080", "[::1]:443"), config.ports().stream().map(PortSelector::text).toList());
        assertEquals(Range.parse("5"), config.synRecv().warning());
        assertEquals(Range.parse("10"), config.synRecv().critical());
        assertTrue(config.wantsUnix() && config.wantsTcp());
        assertFalse(config("-p", "80").wantsUnix(), "only -p: no unix read");
        assertFalse(config("-s", "/x").wantsTcp(), "only -s: no TCP read");
    }

    @Test
    void negativeRangesAreValuesNotOptions() throws UsageException {
        CheckConfig config = config("-w", "-5:", "-c", "-10:-1");
        assertEquals(Range.parse("-5:"), config.usage().warning());
        assertEquals(Range.parse("-10:-1"), config.usage().critical());
    }

    /** As getopt loops in the C plugins: a repeated single-valued option takes its last value. */
    @Test
    void aRepeatedSingleValuedOptionTakesItsLastValue() throws UsageException {
        CheckConfig config = config("--missing-state", "OK", "--missing-state", "CRITICAL",
                "--full-state", "CRITICAL", "--full-state", "warning", "-t", "3", "--timeout", "7",
                "--cpus", "2", "--cpus", "16", "-b", "socket", "--basis", "somaxconn",
                "--source", "proc", "--source", "sock_diag", "-w", "10", "-w", "20", "-c", "30", "--critical", "40",
                "--pending-warning", "1", "--pending-warning", "2", "--blocked-critical", "0",
                "--blocked-critical", "5", "--syn-recv-warning", "3", "--syn-recv-warning", "4");
        assertEquals(Status.CRITICAL, config.missingState());
        assertEquals(Status.WARNING, config.fullState());
        assertEquals(7, config.timeoutSeconds());
        assertEquals(16, config.cpus());
        assertEquals(Basis.SOMAXCONN, config.basis());
        assertEquals(SourcePreference.SOCK_DIAG, config.source());
        assertEquals(Range.parse("20"), config.usage().warning());
        assertEquals(Range.parse("40"), config.usage().critical());
        assertEquals(Range.parse("2"), config.pending().warning());
        assertEquals(Range.parse("5"), config.blocked().critical());
        assertEquals(Range.parse("4"), config.synRecv().warning());
    }

    @Test
    void wholeNumbersAreAsciiDigitsWithoutSign() throws UsageException {
        assertEquals(5, config("-t", "05").timeoutSeconds());
        assertEquals(3600, config("-t", "3600").timeoutSeconds());
        assertEquals(-1, OptionValues.wholeNumber("\u0663", 10));
        assertEquals(-1, OptionValues.wholeNumber("+4", 10));
        assertEquals(-1, OptionValues.wholeNumber("", 10));
        assertEquals(-1, OptionValues.wholeNumber("11", 10));
        assertEquals(-1, OptionValues.wholeNumber("99999999999", Integer.MAX_VALUE));
        assertEquals(10, OptionValues.wholeNumber("10", 10));
    }

    @Test
    void stateIsOffUnlessADirectoryIsGivenOrMpStatePathIsSet() throws UsageException {
        assertNull(config().stateDirectory());
        CheckConfig fromVariable = assertInstanceOf(Request.Check.class, Arguments.parse(new String[0], "/var/lib/mp"))
                .config();
        assertEquals("/var/lib/mp", fromVariable.stateDirectory());
        assertNull(assertInstanceOf(Request.Check.class, Arguments.parse(new String[0], "")).config().stateDirectory(),
                "an empty MP_STATE_PATH is not set");
        assertEquals("/srv/state", assertInstanceOf(Request.Check.class,
                Arguments.parse(new String[] {"--state-dir", "/srv/state"}, "/var/lib/mp")).config().stateDirectory(),
                "the option wins");
        assertEquals("relative/dir", assertInstanceOf(Request.Check.class,
                Arguments.parse(new String[0], "relative/dir")).config().stateDirectory(),
                "MP_STATE_PATH is checked where it is used, so that a bad one cannot hide a full queue");
        UsageException e = assertThrows(UsageException.class, () -> config("--state-dir", "state"));
        assertEquals("--state-dir: expected an absolute path, not \"state\"", e.getMessage());
    }

    @Test
    void stateIsForTcpChecksOnly() throws UsageException {
        assertNull(assertInstanceOf(Request.Check.class, Arguments.parse(new String[] {"-s", "@a"}, "/var/lib/mp"))
                .config().stateDirectory(), "a unix-only check ignores MP_STATE_PATH: no counters to keep");
        UsageException e = assertThrows(UsageException.class, () -> config("-s", "@a", "--state-dir", "/tmp/s"));
        assertTrue(e.getMessage().contains("this check reads unix sockets only"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Arguments.parse(new String[] {"-s", "@a", "--overflow-critical",
            "0"}, "/var/lib/mp"));
        assertTrue(e.getMessage().contains("judge the TCP overflow counters; this check reads unix sockets only"),
                e.getMessage());
        assertEquals("/tmp/s", config("-s", "@a", "-p", "80", "--state-dir", "/tmp/s").stateDirectory());
    }

    @Test
    void theStateKeyIsTheWholeCommandLine() throws UsageException {
        assertEquals(List.of("-p", "80", "--state-dir", "/tmp/s", "-v"),
                config("-p", "80", "--state-dir", "/tmp/s", "-v").commandLine());
    }

    @Test
    void overflowThresholdsNeedAStateDirectory() throws UsageException {
        UsageException e = assertThrows(UsageException.class, () -> config("--overflow-critical", "0"));
        assertTrue(e.getMessage().contains("needs --state-dir DIR or $MP_STATE_PATH"), e.getMessage());
        CheckConfig config = config("--state-dir", "/tmp/s", "--overflow-warning", "5", "--overflow-critical", "0");
        assertEquals(Range.parse("5"), config.overflows().warning());
        assertEquals(Range.parse("0"), config.overflows().critical());
        assertThrows(UsageException.class, () -> config("--state-dir", "/tmp/s", "--overflow-critical", "x"));
    }

    @Test
    void samplingMustFitInTheTimeout() throws UsageException {
        assertEquals(1, config().samples());
        assertEquals(100, config().sampleIntervalMillis());
        CheckConfig config = config("--samples", "61", "--sample-interval", "100");
        assertEquals(61, config.samples(), "60 pauses of 100 ms = 6 s, what -t 8 leaves");
        UsageException e = assertThrows(UsageException.class, () -> config("--samples", "62", "--sample-interval", "100"));
        assertEquals("--samples 62 at --sample-interval 100 take 6100 ms, more than -t 8 leaves (6000 ms: the timeout "
                + "less 2 s); raise -t or sample less", e.getMessage());
        assertEquals(62, config("--samples", "62", "-t", "9").samples());
        assertThrows(UsageException.class, () -> config("--sample-interval", "9"));
        assertThrows(UsageException.class, () -> config("--samples", "0"));
        assertThrows(UsageException.class, () -> config("--samples", "1001", "-t", "3600"));
    }

    @Test
    void moreThanAThousandPortsIsAUsageErrorNotAnInternalOne() throws UsageException {
        List<String> args = new java.util.ArrayList<>();
        for (int port = 1; port <= Arguments.MAX_PORTS; port++) {
            args.add("-p");
            args.add(Integer.toString(port));
        }
        args.add("-p");
        args.add("127.0.0.1:1"); // a port already selected does not count twice
        assertEquals(Arguments.MAX_PORTS + 1, config(args.toArray(new String[0])).ports().size());
        args.add("-p");
        args.add("1001");
        UsageException e = assertThrows(UsageException.class, () -> Arguments.parse(args.toArray(new String[0])));
        assertEquals("-p/--port selects 1001 different ports; at most 1000 can be checked in one run",
                e.getMessage());
    }

    /** -t 1 is a valid timeout for one look; only sampling needs the margin. */
    @Test
    void aOneSecondTimeoutIsAcceptedWithoutSampling() throws UsageException {
        assertEquals(1, config("-t", "1").timeoutSeconds());
        assertThrows(UsageException.class, () -> config("-t", "1", "--samples", "2"));
    }

    @Test
    void verbosityStopsAtThree() throws UsageException {
        assertEquals(3, config("-vvvvv").verbosity());
        assertEquals(3, config("-v", "-v", "--verbose").verbosity());
    }

    @Test
    void unambiguousLongPrefixIsAccepted() throws UsageException {
        assertEquals(Range.parse("70"), config("--crit", "70").usage().critical());
    }

    @Test
    void ambiguousLongPrefixIsRejected() {
        UsageException e = assertThrows(UsageException.class, () -> Arguments.parse(new String[] {"--blocked", "3"}));
        assertEquals("--blocked is ambiguous: it could be --blocked-critical, --blocked-warning; write more of the "
                + "name", e.getMessage());
    }

    @Test
    void helpAndVersionAreRequestsNotChecks() throws UsageException {
        assertInstanceOf(Request.Help.class, Arguments.parse(new String[] {"-h"}));
        assertInstanceOf(Request.Help.class, Arguments.parse(new String[] {"--help", "-w", "bogus"}));
        assertInstanceOf(Request.Version.class, Arguments.parse(new String[] {"-V"}));
        String help = Arguments.help("check_socket_backlog");
        for (String option : List.of("--socket", "--warning", "--critical", "--basis", "--timeout", "--verbose",
                "--pending-warning", "--blocked-critical", "--missing-state", "--source", "--cpus")) {
            assertTrue(help.contains(option), option + " missing from help");
        }
    }

    /** An 80-column terminal shows --help without wrapping, and no option is cut across usage lines. */
    @Test
    void helpFitsEightyColumnsAndKeepsEachUsageItemOnOneLine() {
        String help = Arguments.help("check_socket_backlog");
        for (String line : help.split("\n")) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        String usage = help.substring(help.indexOf("Usage:\n"), help.indexOf("\n\n", help.indexOf("Usage:\n")));
        for (String item : List.of("[-s PATH]...", "[-p [ADDR:]PORT]...", "[-b somaxconn|socket]", "[-t SECONDS]",
                "[--extra-opts[=[SECTION][@FILE]]]", "[--netns NAME|PATH]...")) {
            assertTrue(usage.contains(item), item + " whole on one line of:\n" + usage);
        }
        for (String line : usage.split("\n")) {
            assertFalse(line.endsWith("[-s") || line.matches(".*\\[-[a-z-]+$"), "a line ends inside an option: " + line);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "-w 1:12%               | -w/--warning",
        "-c 10:5                | -c/--critical",
        "-w ''                  | -w/--warning",
        "-w                     | -w/--warning needs a value: RANGE",
        "--bogus                | no option --bogus",
        "--verbose=2            | --verbose takes no value",
        "-t 0                   | -t/--timeout: expected a whole number from 1",
        "-t 2.5                 | -t/--timeout: expected a whole number",
        "-t 99999               | -t/--timeout: expected a whole number",
        "--cpus 0               | --cpus: expected a whole number",
        "--cpus x               | --cpus: expected a whole number",
        "-b tcp                 | -b/--basis: expected somaxconn or socket, not \"tcp\"",
        "--source netlink       | --source: expected auto, sock_diag or proc",
        "--missing-state maybe  | --missing-state",
        "-s [abc                | -s/--socket",
        "-s ''                  | -s/--socket needs a path",
        "stray                  | unexpected argument \"stray\" (sockets are selected with -s, ports with -p)",
        "-s /run/a.sock /run/b.sock | unexpected argument \"/run/b.sock\" (did the shell expand a glob? quote it",
        "-w 10 -w 1:12%         | -w/--warning",
        "--missing-state OK --missing-state bogus | --missing-state",
        "--full-state bogus --full-state OK | --full-state",
        "-t 5 -t 0              | -t/--timeout: expected a whole number from 1",
        "-t +5                  | -t/--timeout: expected a whole number",
        "-t -5                  | -t/--timeout: expected a whole number",
        "-t \u0663              | -t/--timeout: expected a whole number",
        "--cpus +4              | --cpus: expected a whole number",
        "--cpus 4 --cpus 0x4    | --cpus: expected a whole number",
        "-b socket -b tcp       | -b/--basis: expected somaxconn or socket, not \"tcp\"",
        "--source proc --source x | --source: expected auto, sock_diag or proc",
        "--pending-critical x   | --pending-critical",
        "-p 0                   | -p/--port: \"0\": the port must be a number from 1 to 65535",
        "-p ::1:80              | write an IPv6 address as [ADDRESS]:PORT",
        "-p localhost:80        | \"localhost\" is not an IPv4 or IPv6 address",
    })
    void badArgumentsSayWhatIsWrong(String args, String expected) {
        String[] argv = args.equals("-w ''") ? new String[] {"-w", ""}
                : args.equals("-s ''") ? new String[] {"-s", ""}
                : args.replace("\\u0663", "\u0663").trim().split(" +");
        UsageException e = assertThrows(UsageException.class, () -> Arguments.parse(argv));
        assertTrue(e.getMessage().contains(expected), "message \"" + e.getMessage() + "\" lacks \"" + expected + "\"");
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void anExcludeThatReadsAsAPortIsOneAndAnythingElseAPattern() throws UsageException {
        CheckConfig config = config("-x", "8080", "-x", "127.0.0.1:80", "-x", "/run/*.sock", "--exclude", "\\8081",
                "-x", "@abs", "-x", "relative.sock");
        assertEquals(List.of("8080", "127.0.0.1:80"), config.excluded().ports().stream().map(PortSelector::text).toList());
        assertEquals(List.of("/run/*.sock", "\\8081", "@abs", "relative.sock"),
                config.excluded().sockets().stream().map(glob -> glob.pattern()).toList());
    }

    @Test
    void maxOutputIsZeroOrAtLeastRoomForAStatusLine() throws UsageException {
        assertEquals(Arguments.DEFAULT_MAX_OUTPUT, config().maxOutput());
        assertEquals(0, config("--max-output", "0").maxOutput());
        assertEquals(1023, config("--max-output", "1023").maxOutput());
        for (String bad : new String[] {"100", "-1", "x", "+1024"}) {
            UsageException e = assertThrows(UsageException.class, () -> Arguments.parse(new String[] {"--max-output", bad}));
            assertTrue(e.getMessage().startsWith("--max-output: expected 0 (no limit) or a number of bytes from 256"),
                    e.getMessage());
        }
    }
}
