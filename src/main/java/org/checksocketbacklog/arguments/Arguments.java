package org.checksocketbacklog.arguments;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.AmbiguousOptionException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.plugin.InvalidValueException;
import org.checksocketbacklog.plugin.Range;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.plugin.Thresholds;
import org.checksocketbacklog.selection.Glob;
import org.checksocketbacklog.selection.PortSelector;
import org.checksocketbacklog.selection.Selection;

/**
 * The command line, by the Monitoring Plugins guidelines (-h -V -v -t -w -c). Long options may be
 * abbreviated to any unambiguous prefix, as GNU getopt_long lets the C plugins do; an ambiguous
 * prefix is an error.
 *
 * <p>A single-valued option given more than once takes its last value, as getopt loops in the C
 * plugins do (and as a file of defaults followed by the command line needs), but every value is
 * checked first: {@code --missing-state OK --missing-state bogus} is a usage error, not OK.
 */
public final class Arguments {
    public static final String DEFAULT_WARNING = "50";
    public static final String DEFAULT_CRITICAL = "80";
    /**
     * Below check_nrpe's own 10-second socket timeout, so that NRPE users read our UNKNOWN line and
     * not check_nrpe's generic "Socket timeout" CRITICAL.
     */
    public static final int DEFAULT_TIMEOUT_SECONDS = 8;
    static final int MAX_TIMEOUT_SECONDS = 3600;
    static final int MAX_VERBOSITY = 3;
    static final int MAX_CPUS = 1 << 20;
    /**
     * Distinct -p ports at most: each is a 20-byte segment of the kernel's port filter, which lives
     * in one netlink attribute of at most 65,535 bytes; 1,000 is far more than any command line needs.
     */
    static final int MAX_PORTS = 1000;
    /**
     * Nagios Core's limit on what it reads of a plugin's output. NRPE 2 carries 1,024 bytes with a
     * NUL (--max-output 1023), NRPE 3 and 4 64 KiB, Icinga 2 has no limit (--max-output 0).
     */
    public static final int DEFAULT_MAX_OUTPUT = 8192;
    /** Room for the status line and a few items; less cannot hold an answer. */
    static final int MIN_MAX_OUTPUT = 256;
    static final int MAX_MAX_OUTPUT = 64 * 1024 * 1024;
    /** The Monitoring Plugins' variable for their state directory; --state-dir overrides it. */
    public static final String STATE_PATH_VARIABLE = "MP_STATE_PATH";
    static final int MAX_SAMPLES = 1000;
    static final int DEFAULT_SAMPLE_INTERVAL_MILLIS = 100;
    static final int MIN_SAMPLE_INTERVAL_MILLIS = 10;
    static final int MAX_SAMPLE_INTERVAL_MILLIS = 60_000;
    /**
     * The looks --samples asks for must fit in -t less this: the JVM's start, the first look, the
     * answer and the watchdog's half second, with room to spare, so that every look asked for is
     * taken (the check itself stops looking {@link #SAMPLING_STOP_MILLIS} before -t).
     */
    public static final int SAMPLING_MARGIN_MILLIS = 2000;
    /** The check takes no look later than this before -t, whatever was asked. */
    public static final int SAMPLING_STOP_MILLIS = 1000;

    private Arguments() {
    }

    static Options options() {
        Options options = new Options();
        options.addOption(Option.builder("s").longOpt("socket").hasArg().argName("PATH")
                .desc("AF_UNIX listener to check: a path, a shell glob such as '/run/php/*.sock', or @name "
                        + "for an abstract socket. Repeatable. Default (no -s, no -p): every AF_UNIX and TCP listener on the host.")
                .build());
        options.addOption(Option.builder("p").longOpt("port").hasArg().argName("[ADDR:]PORT")
                .desc("TCP listener to check: 8080, 127.0.0.1:8080 or [::1]:8080 (any local address when none is "
                        + "given). Repeatable, mixable with -s.")
                .build());
        options.addOption(Option.builder("x").longOpt("exclude").hasArg().argName("SELECTOR")
                .desc("Leave out listeners this selects from what the others select (or from the whole host): a "
                        + "-p selector ([ADDR:]PORT) leaves out TCP listeners, anything else is a -s pattern. "
                        + "Repeatable.").build());
        options.addOption(Option.builder().longOpt("process").hasArg().argName("NAME")
                .desc("Check the listeners that processes of this command name hold (as ps -o comm shows it; "
                        + "the kernel keeps 15 characters). Repeatable, mixable with -s and -p.").build());
        options.addOption(Option.builder().longOpt("unit").hasArg().argName("UNIT")
                .desc("Check the listeners that the processes of this systemd unit hold (php8.2-fpm.service; "
                        + "not a user's own units). Repeatable, mixable with -s and -p.").build());
        options.addOption(Option.builder().longOpt("netns").hasArg().argName("NAME|PATH")
                .desc("Check the listeners of this network namespace: a name under /run/netns (as ip netns makes "
                        + "them) or a namespace file such as /proc/PID/ns/net. Repeatable; needs root.").build());
        options.addOption(Option.builder().longOpt("netns-pid").hasArg().argName("PID")
                .desc("Check the listeners of the network namespace of process PID (a container's). Repeatable; "
                        + "needs root.").build());
        options.addOption(Option.builder().longOpt("all-netns")
                .desc("Check every network namespace of the host (this one, /run/netns and every process's), each "
                        + "once. Needs root.").build());
        options.addOption(Option.builder("w").longOpt("warning").hasArg().argName("RANGE")
                .desc("WARNING range for the usage percentage (default " + DEFAULT_WARNING + ").").build());
        options.addOption(Option.builder("c").longOpt("critical").hasArg().argName("RANGE")
                .desc("CRITICAL range for the usage percentage (default " + DEFAULT_CRITICAL + ").").build());
        options.addOption(Option.builder().longOpt("pending-warning").hasArg().argName("RANGE")
                .desc("WARNING range for the number of pending (unaccepted) connections.").build());
        options.addOption(Option.builder().longOpt("pending-critical").hasArg().argName("RANGE")
                .desc("CRITICAL range for the number of pending connections.").build());
        options.addOption(Option.builder().longOpt("blocked-warning").hasArg().argName("RANGE")
                .desc("WARNING range for the number of clients blocked in connect() on a full queue.").build());
        options.addOption(Option.builder().longOpt("blocked-critical").hasArg().argName("RANGE")
                .desc("CRITICAL range for the number of blocked clients.").build());
        options.addOption(Option.builder().longOpt("syn-recv-warning").hasArg().argName("RANGE")
                .desc("WARNING range for TCP handshakes in progress (SYN-RECV) per listener.").build());
        options.addOption(Option.builder().longOpt("syn-recv-critical").hasArg().argName("RANGE")
                .desc("CRITICAL range for TCP handshakes in progress.").build());
        options.addOption(Option.builder("b").longOpt("basis").hasArg().argName("BASIS")
                .desc("What usage is a percentage of: 'somaxconn' (default: somaxconn x CPUs x 2, as the "
                        + "original check) or 'socket' (the socket's own backlog + 1, the queue's real limit).")
                .build());
        options.addOption(Option.builder().longOpt("cpus").hasArg().argName("N")
                .desc("CPU count for the somaxconn basis (default: processors in /proc/cpuinfo).").build());
        options.addOption(Option.builder().longOpt("full-state").hasArg().argName("STATE")
                .desc("State of a socket whose queue is full (pending = backlog + 1: clients are refused or "
                        + "wait), whatever the usage thresholds say: OK, WARNING, CRITICAL (default) or UNKNOWN.")
                .build());
        options.addOption(Option.builder().longOpt("findings-state").hasArg().argName("STATE")
                .desc("State of a misconfiguration found (a backlog capped at somaxconn, a tiny backlog with "
                        + "queued connections, an uneven SO_REUSEPORT group, a namespace's low somaxconn): OK "
                        + "(default: a line of the long output), WARNING, CRITICAL or UNKNOWN.").build());
        options.addOption(Option.builder().longOpt("missing-state").hasArg().argName("STATE")
                .desc("State of a selected socket that is not listening: OK, WARNING, CRITICAL (default) "
                        + "or UNKNOWN.").build());
        options.addOption(Option.builder().longOpt("source").hasArg().argName("SOURCE")
                .desc("Where to read listeners: 'auto' (default: sock_diag, /proc/net/unix if refused), "
                        + "'sock_diag' or 'proc'.").build());
        options.addOption(Option.builder().longOpt("samples").hasArg().argName("N")
                .desc("Look at the queues N times within this check (default 1) and judge each socket on its "
                        + "peak: catches queues that fill and drain between two checks.").build());
        options.addOption(Option.builder().longOpt("sample-interval").hasArg().argName("MS")
                .desc("Milliseconds between two looks (default " + DEFAULT_SAMPLE_INTERVAL_MILLIS + ").").build());
        options.addOption(Option.builder().longOpt("state-dir").hasArg().argName("DIR")
                .desc("Keep the TCP overflow counters between runs under DIR (default: $" + STATE_PATH_VARIABLE
                        + " when set) and report how much they grew since this check's previous run.").build());
        options.addOption(Option.builder().longOpt("overflow-warning").hasArg().argName("RANGE")
                .desc("WARNING range for the handshakes dropped on full queues since the previous run "
                        + "(ListenOverflows + TCPReqQFullDrop; needs a state directory).").build());
        options.addOption(Option.builder().longOpt("overflow-critical").hasArg().argName("RANGE")
                .desc("CRITICAL range for them; 0: any drop is CRITICAL.").build());
        options.addOption(Option.builder().longOpt("max-output").hasArg().argName("BYTES")
                .desc("The most bytes the output may have; what does not fit is left out whole and counted "
                        + "(default " + DEFAULT_MAX_OUTPUT + ", Nagios Core's limit; 1023 for NRPE 2, 0 for no limit, "
                        + "as Icinga 2 has none).").build());
        options.addOption(Option.builder().longOpt("list").hasArg().argName("FORMAT")
                .desc("Instead of a check, write the listeners the selectors select (every one without -s, -p, "
                        + "--process, --unit), one per service: 'selectors' (-s and -p words), 'icinga2' (host "
                        + "variables for apply Service for) or 'nagios' (service definitions).").build());
        options.addOption(Option.builder("t").longOpt("timeout").hasArg().argName("SECONDS")
                .desc("End in UNKNOWN after this many seconds (default " + DEFAULT_TIMEOUT_SECONDS + ").").build());
        options.addOption(Option.builder("v").longOpt("verbose")
                .desc("More detail after the status line; repeat up to 3 times.").build());
        options.addOption(Option.builder("q").longOpt("quiet")
                .desc("Print nothing while every socket is OK (for cron, which mails any output); the exit code "
                        + "is the same.").build());
        options.addOption(Option.builder().longOpt("extra-opts").optionalArg(true).hasArg()
                .argName("[SECTION][@FILE]")
                .desc("Read options from section SECTION (default check_socket_backlog) of ini file FILE (default "
                        + "$MP_CONFIG_FILE or the Monitoring Plugins' standard files), before the command line's; "
                        + "repeatable.").build());
        options.addOption(Option.builder("h").longOpt("help").desc("Print this help and exit.").build());
        options.addOption(Option.builder("V").longOpt("version").desc("Print the version and exit.").build());
        return options;
    }

    public static Request parse(String[] args) throws UsageException {
        return parse(args, null);
    }

    /**
     * @param args      the command line, its --extra-opts already expanded ({@link ExtraOpts})
     * @param statePath the value of {@value #STATE_PATH_VARIABLE}, or null when it is not set
     */
    public static Request parse(String[] args, String statePath) throws UsageException {
        CommandLine line;
        try {
            line = DefaultParser.builder().setAllowPartialMatching(true).build().parse(options(), args);
        } catch (ParseException e) {
            throw new UsageException(plainly(e));
        }
        if (line.hasOption("extra-opts")) {
            // The exact word is expanded before parsing, as the Monitoring Plugins do; a prefix of
            // it reaches the parser, which would otherwise take and ignore it.
            throw new UsageException("write " + ExtraOpts.OPTION + " in full (" + ExtraOpts.OPTION
                    + "=[SECTION][@FILE]), as the Monitoring Plugins read it before the other options");
        }
        if (line.hasOption("h")) {
            return new Request.Help();
        }
        if (line.hasOption("V")) {
            return new Request.Version();
        }
        if (!line.getArgList().isEmpty()) {
            String stray = line.getArgList().get(0);
            // "-s /run/php/*.sock" unquoted: the shell replaced the glob by the matching paths.
            throw new UsageException("unexpected argument \"" + stray + "\" " + (stray.startsWith("/")
                    ? "(did the shell expand a glob? quote it: -s '/run/php/*.sock')"
                    : "(sockets are selected with -s, ports with -p)"));
        }
        List<Glob> sockets = new ArrayList<>();
        for (String pattern : valuesOf(line, "s")) {
            if (pattern.isEmpty()) {
                throw new UsageException("-s/--socket needs a path, a glob or an @name, not an empty string");
            }
            try {
                sockets.add(Glob.compile(pattern));
            } catch (InvalidValueException e) {
                throw invalid("-s/--socket", e);
            }
        }
        List<PortSelector> ports = new ArrayList<>();
        List<Integer> distinctPorts = new ArrayList<>();
        for (String port : valuesOf(line, "p")) {
            PortSelector selector;
            try {
                selector = PortSelector.parse(port);
            } catch (InvalidValueException e) {
                throw invalid("-p/--port", e);
            }
            ports.add(selector);
            if (!distinctPorts.contains(selector.port())) {
                distinctPorts.add(selector.port());
            }
        }
        if (distinctPorts.size() > MAX_PORTS) {
            throw new UsageException("-p/--port selects " + distinctPorts.size() + " different ports; at most "
                    + MAX_PORTS + " can be checked in one run");
        }
        List<String> processes = words(line, "process", "--process");
        List<String> units = words(line, "unit", "--unit");
        boolean tcp = !ports.isEmpty() || sockets.isEmpty() || !processes.isEmpty() || !units.isEmpty(); // wantsTcp
        List<String> netns = new ArrayList<>();
        for (String text : valuesOf(line, "netns")) {
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                throw new UsageException("--netns needs a name under /run/netns or a path, not \"" + text + "\"");
            }
            netns.add(text);
        }
        List<Long> netnsPids = new ArrayList<>();
        for (String text : valuesOf(line, "netns-pid")) {
            try {
                netnsPids.add((long) OptionValues.positiveInteger(text, Integer.MAX_VALUE));
            } catch (InvalidValueException e) {
                throw invalid("--netns-pid", e);
            }
        }
        boolean otherNamespaces = !netns.isEmpty() || !netnsPids.isEmpty() || line.hasOption("all-netns");
        if (otherNamespaces) {
            // One state file and one sampling loop per check are built for one namespace; until
            // they are per namespace, say so rather than mix namespaces' counters.
            if (line.hasOption("state-dir") || line.hasOption("overflow-warning") || line.hasOption("overflow-critical")) {
                throw new UsageException("--state-dir and --overflow-* work on the check's own network namespace "
                        + "only; for a container's overflows, run the check inside it (ip netns exec, nsenter -n)");
            }
            if (line.hasOption("samples")) {
                throw new UsageException("--samples works on the check's own network namespace only; for a "
                        + "container's, run the check inside it (ip netns exec, nsenter -n)");
            }
            statePath = null;
        }
        CheckConfig config = new CheckConfig(
                List.copyOf(sockets),
                List.copyOf(ports),
                exclusions(line),
                basis(line),
                new Thresholds(range(line, "w", "-w/--warning", DEFAULT_WARNING),
                        range(line, "c", "-c/--critical", DEFAULT_CRITICAL)),
                new Thresholds(range(line, "pending-warning", "--pending-warning", null),
                        range(line, "pending-critical", "--pending-critical", null)),
                new Thresholds(range(line, "blocked-warning", "--blocked-warning", null),
                        range(line, "blocked-critical", "--blocked-critical", null)),
                new Thresholds(range(line, "syn-recv-warning", "--syn-recv-warning", null),
                        range(line, "syn-recv-critical", "--syn-recv-critical", null)),
                state(line, "missing-state", Status.CRITICAL),
                state(line, "full-state", Status.CRITICAL),
                line.hasOption("cpus") ? positiveInteger(line, "cpus", "--cpus", MAX_CPUS) : null,
                source(line),
                line.hasOption("t") ? positiveInteger(line, "t", "-t/--timeout", MAX_TIMEOUT_SECONDS)
                        : DEFAULT_TIMEOUT_SECONDS,
                Math.min(MAX_VERBOSITY, countOf(line, "v")),
                line.hasOption("q"),
                maxOutput(line),
                stateDirectory(line, statePath, tcp),
                overflowThresholds(line, stateDirectory(line, statePath, tcp), tcp),
                samples(line),
                sampleInterval(line),
                List.of(args),
                List.copyOf(netns),
                List.copyOf(netnsPids),
                line.hasOption("all-netns"),
                line.hasOption("findings-state") ? state(line, "findings-state", Status.OK) : null,
                List.copyOf(processes),
                List.copyOf(units));
        if (line.hasOption("list")) {
            return new Request.ListListeners(config, listFormat(line));
        }
        return new Request.Check(config);
    }

    /** --list FORMAT; with options that judge or read elsewhere, a usage error rather than ignored. */
    private static ListFormat listFormat(CommandLine line) throws UsageException {
        ListFormat format = null;
        for (String text : valuesOf(line, "list")) {
            format = null;
            for (ListFormat candidate : ListFormat.values()) {
                if (candidate.word().equals(text)) {
                    format = candidate;
                }
            }
            if (format == null) {
                throw new UsageException("--list: expected selectors, icinga2 or nagios, not \"" + text + "\"");
            }
        }
        for (String option : List.of("netns", "netns-pid", "all-netns", "samples", "state-dir", "overflow-warning",
                "overflow-critical")) {
            if (line.hasOption(option)) {
                throw new UsageException("--list writes this network namespace's listeners as they are now; it "
                        + "does not take --" + option);
            }
        }
        // What judges a check has no place in a listing: given, it is a check meant, not a list.
        for (String option : List.of("warning", "critical", "pending-warning", "pending-critical", "blocked-warning",
                "blocked-critical", "syn-recv-warning", "syn-recv-critical", "basis", "cpus", "full-state",
                "findings-state", "missing-state", "max-output", "quiet")) {
            if (line.hasOption(option)) {
                throw new UsageException("--list writes listeners and judges nothing; it does not take --" + option
                        + " (give that to the checks the listing makes)");
            }
        }
        return format;
    }

    /**
     * --state-dir, else a non-empty MP_STATE_PATH, else null. State is kept for TCP checks only (the
     * kernel counts no overflows for unix sockets), so a unix-only check ignores MP_STATE_PATH, and
     * a --state-dir or --overflow-* given to one is a usage error. --state-dir must be an absolute
     * path; MP_STATE_PATH is checked when it is used, and a bad one is reported with the result.
     */
    private static String stateDirectory(CommandLine line, String statePath, boolean tcp) throws UsageException {
        String directory = statePath == null || statePath.isEmpty() || !tcp ? null : statePath;
        for (String text : valuesOf(line, "state-dir")) {
            if (!text.startsWith("/")) {
                throw new UsageException("--state-dir: expected an absolute path, not \"" + text + "\"");
            }
            try {
                Path.of(text);
            } catch (InvalidPathException e) {
                throw new UsageException("--state-dir: \"" + text + "\" is not a path this system can open ("
                        + e.getReason() + ")");
            }
            if (!tcp) {
                throw new UsageException("--state-dir keeps the TCP overflow counters between runs; this check reads "
                        + "unix sockets only (add -p, or leave --state-dir out)");
            }
            directory = text;
        }
        return directory;
    }

    private static Thresholds overflowThresholds(CommandLine line, String stateDirectory, boolean tcp)
            throws UsageException {
        Thresholds thresholds = new Thresholds(range(line, "overflow-warning", "--overflow-warning", null),
                range(line, "overflow-critical", "--overflow-critical", null));
        if (thresholds.warning() != null || thresholds.critical() != null) {
            if (!tcp) {
                throw new UsageException("--overflow-warning and --overflow-critical judge the TCP overflow counters; "
                        + "this check reads unix sockets only (add -p, or leave them out)");
            }
            if (stateDirectory == null) {
                throw new UsageException("--overflow-warning and --overflow-critical judge the growth since the "
                        + "previous run, which needs --state-dir DIR or $" + STATE_PATH_VARIABLE);
            }
        }
        return thresholds;
    }

    private static int samples(CommandLine line) throws UsageException {
        int samples = line.hasOption("samples") ? positiveInteger(line, "samples", "--samples", MAX_SAMPLES) : 1;
        int interval = sampleInterval(line);
        int timeout = line.hasOption("t") ? positiveInteger(line, "t", "-t/--timeout", MAX_TIMEOUT_SECONDS)
                : DEFAULT_TIMEOUT_SECONDS;
        long sampling = (long) (samples - 1) * interval;
        // One look (the default) takes no sampling time, whatever -t leaves.
        if (samples > 1 && sampling > timeout * 1000L - SAMPLING_MARGIN_MILLIS) {
            throw new UsageException("--samples " + samples + " at --sample-interval " + interval + " take "
                    + sampling + " ms, more than -t " + timeout + " leaves (" + (timeout * 1000L - SAMPLING_MARGIN_MILLIS)
                    + " ms: the timeout less " + SAMPLING_MARGIN_MILLIS / 1000 + " s); raise -t or sample less");
        }
        return samples;
    }

    private static int sampleInterval(CommandLine line) throws UsageException {
        if (!line.hasOption("sample-interval")) {
            return DEFAULT_SAMPLE_INTERVAL_MILLIS;
        }
        int interval = positiveInteger(line, "sample-interval", "--sample-interval", MAX_SAMPLE_INTERVAL_MILLIS);
        if (interval < MIN_SAMPLE_INTERVAL_MILLIS) {
            throw new UsageException("--sample-interval: expected at least " + MIN_SAMPLE_INTERVAL_MILLIS
                    + " milliseconds, not " + interval);
        }
        return interval;
    }

    public static String help(String program) {
        return HelpText.render(program, options(),
                "RANGE is the Monitoring Plugins range syntax: N (alert outside 0..N), N: (below N), ~:N (above N), "
                        + "N:M (outside N..M), @N:M (inside N..M); endpoints inclusive.\n"
                        + "Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
                        + "The whole story, with examples: man " + program);
    }

    /**
     * Commons CLI's messages in the plugin's words: "Ambiguous option: '--b'  (could be: 'basis',
     * ...)" reads as a stack trace's; "--b is ambiguous: --basis, --blocked-warning, ..." does not.
     */
    private static String plainly(ParseException e) {
        if (e instanceof AmbiguousOptionException) {
            AmbiguousOptionException ambiguous = (AmbiguousOptionException) e;
            List<String> names = new ArrayList<>();
            for (String name : ambiguous.getMatchingOptions()) {
                names.add("--" + name);
            }
            java.util.Collections.sort(names);
            return ambiguous.getOption() + " is ambiguous: it could be " + String.join(", ", names)
                    + "; write more of the name";
        }
        if (e instanceof UnrecognizedOptionException) {
            String word = ((UnrecognizedOptionException) e).getOption();
            int equals = word.indexOf('=');
            Option flag = equals > 2 && word.startsWith("--") ? options().getOption(word.substring(2, equals)) : null;
            if (flag != null && !flag.hasArg() && word.substring(2, equals).equals(flag.getLongOpt())) {
                return "--" + flag.getLongOpt() + " takes no value (\"" + word + "\")";
            }
            return "no option " + word;
        }
        if (e instanceof MissingArgumentException) {
            Option option = ((MissingArgumentException) e).getOption();
            return HelpText.spelling(option).replace(", ", "/").replace("=", " needs a value: ")
                    .replace("[", "").replace("]", "");
        }
        return e.getMessage();
    }

    /** The one place a value's error gets the name of its option. */
    private static UsageException invalid(String option, InvalidValueException e) {
        return new UsageException(option + ": " + e.getMessage());
    }

    private static Basis basis(CommandLine line) throws UsageException {
        Basis basis = Basis.SOMAXCONN;
        for (String text : valuesOf(line, "b")) {
            try {
                basis = OptionValues.basis(text);
            } catch (InvalidValueException e) {
                throw invalid("-b/--basis", e);
            }
        }
        return basis;
    }

    private static Status state(CommandLine line, String option, Status fallback) throws UsageException {
        Status state = fallback;
        for (String text : valuesOf(line, option)) {
            try {
                state = OptionValues.state(text);
            } catch (InvalidValueException e) {
                throw invalid("--" + option, e);
            }
        }
        return state;
    }

    /** The last of the option's ranges, every one of them checked; {@code fallback} (may be null) if none. */
    private static Range range(CommandLine line, String option, String name, String fallback) throws UsageException {
        String[] texts = line.hasOption(option) ? line.getOptionValues(option) : fallback == null ? new String[0]
                : new String[] {fallback};
        Range range = null;
        for (String text : texts) {
            try {
                range = Range.parse(text);
            } catch (InvalidValueException e) {
                throw invalid(name, e);
            }
        }
        return range;
    }

    private static SourcePreference source(CommandLine line) throws UsageException {
        SourcePreference source = SourcePreference.AUTO;
        for (String text : valuesOf(line, "source")) {
            try {
                source = OptionValues.source(text);
            } catch (InvalidValueException e) {
                throw invalid("--source", e);
            }
        }
        return source;
    }

    /**
     * --exclude values: a value that reads as a -p selector is one (so "8080" and "127.0.0.1:80" are
     * ports), anything else a -s pattern; a relative unix name that looks like a port is written
     * with its first character escaped ("\\8080").
     */
    private static Selection.Exclusions exclusions(CommandLine line) throws UsageException {
        List<Glob> sockets = new ArrayList<>();
        List<PortSelector> ports = new ArrayList<>();
        for (String text : valuesOf(line, "x")) {
            if (text.isEmpty()) {
                throw new UsageException("-x/--exclude needs a pattern or a port, not an empty string");
            }
            boolean unixName = text.charAt(0) == '/' || text.charAt(0) == '@' || text.charAt(0) == '\\';
            if (!unixName) {
                try {
                    ports.add(PortSelector.parse(text));
                    continue;
                } catch (InvalidValueException e) {
                    // not a port: a pattern
                }
            }
            try {
                sockets.add(Glob.compile(text));
            } catch (InvalidValueException e) {
                throw invalid("-x/--exclude", e);
            }
        }
        return sockets.isEmpty() && ports.isEmpty() ? Selection.Exclusions.NONE
                : new Selection.Exclusions(List.copyOf(sockets), List.copyOf(ports));
    }

    private static int maxOutput(CommandLine line) throws UsageException {
        int bytes = DEFAULT_MAX_OUTPUT;
        for (String text : valuesOf(line, "max-output")) {
            int value = OptionValues.wholeNumber(text, MAX_MAX_OUTPUT);
            if (value != 0 && value < MIN_MAX_OUTPUT) {
                throw new UsageException("--max-output: expected 0 (no limit) or a number of bytes from "
                        + MIN_MAX_OUTPUT + " to " + MAX_MAX_OUTPUT + ", not \"" + text + "\"");
            }
            bytes = value;
        }
        return bytes;
    }

    /** The values of a repeatable option that names something: not empty, no control characters. */
    private static List<String> words(CommandLine line, String option, String name) throws UsageException {
        List<String> words = new ArrayList<>();
        for (String text : valuesOf(line, option)) {
            boolean plain = !text.isEmpty() && text.length() <= 256;
            for (int i = 0; plain && i < text.length(); i++) {
                plain = text.charAt(i) >= 0x20 && text.charAt(i) != 0x7f;
            }
            if (!plain) {
                throw new UsageException(name + " needs a name, not \"" + text + "\"");
            }
            words.add(text);
        }
        return words;
    }

    /** The last value of a whole-number option, every value checked. */
    private static int positiveInteger(CommandLine line, String option, String name, int max) throws UsageException {
        int value = 0;
        for (String text : valuesOf(line, option)) {
            try {
                value = OptionValues.positiveInteger(text, max);
            } catch (InvalidValueException e) {
                throw invalid(name, e);
            }
        }
        return value;
    }

    private static String[] valuesOf(CommandLine line, String option) {
        String[] values = line.getOptionValues(option);
        return values == null ? new String[0] : values;
    }

    private static int countOf(CommandLine line, String option) {
        int count = 0;
        for (Option given : line.getOptions()) {
            if (option.equals(given.getOpt())) {
                count++;
            }
        }
        return count;
    }
}
