package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.arguments.Arguments;
import org.checksocketbacklog.arguments.ExtraOpts;
import org.checksocketbacklog.arguments.Request;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher reads -t itself, in sh, for its outer bound (timeout(1) around the JVM); the check
 * reads it with Commons CLI in {@link Arguments}. Here both get the same spellings and must agree:
 * if the Java side takes a command line, the launcher's bound is that -t, and if the Java side
 * refuses it, the launcher falls back to the default (the JVM then ends at once with the usage
 * error). The launcher's -t is read off a fake timeout(1) first on PATH that prints its arguments.
 */
class TimeoutSpellingsIT {
    static final Duration LIMIT = Duration.ofSeconds(30);
    static final Path LAUNCHER = DistCopy.DIST.resolve("check_socket_backlog");
    static final String JAVA_HOME = System.getProperty("java.home");

    private static Path fakeBin;

    /** A row: the words, and the -t the launcher must take from them. */
    record Spelling(int timeout, Kind kind, String... args) {
        @Override
        public String toString() {
            return Arrays.toString(args);
        }
    }

    /** Rows whose Java side changes in issue 7 (item 7); checked against Java once it has. */
    enum Kind { PLAIN, REPEATED, NUMBER_RULES }

    static final List<Spelling> SPELLINGS = List.of(
            s(8),
            s(5, "-t", "5"), s(5, "-t5"), s(5, "-t=5"), s(5, "-t05"), s(7, "-t", "007"),
            s(6, "--timeout", "6"), s(6, "--timeout=6"),
            s(7, "--t", "7"), s(7, "--ti", "7"), s(7, "--tim", "7"), s(7, "--time", "7"), s(7, "--timeo", "7"),
            s(7, "--timeou", "7"), s(7, "--t=7"), s(7, "--tim=7"),
            // One dash before a long name or prefix is a long option too; -timeout55 is Commons CLI's "long prefix".
            s(9, "-timeout", "9"), s(9, "-ti", "9"), s(9, "-timeout=9"), s(9, "-tim=9"), s(55, "-timeout55"),
            s(8, "-timeout5"),
            // Bundled flags before t, which takes the rest of the word or the next word.
            s(5, "-vt5"), s(5, "-vqt5"), s(5, "-qvt", "5"), s(5, "-vt", "5"), s(5, "-qt5"), s(8, "-tv"), s(8, "-tt", "5"),
            s(8, "-vx", "-t", "5"), s(8, "-vt=5"),
            // Values: quotes around a word of its own go (Commons CLI), not inside -t=..., --timeout=...
            s(5, "-t", "\"5\""), s(8, "--timeout=\"5\""), s(8, "-t="), s(8, "-t", ""), s(8, "-t", " 5"),
            s(8, "-t", "0"), s(8, "-t", "-5"), s(8, "-t", "3601"), s(3600, "-t", "3600"), s(8, "-t", "2.5"),
            s(8, "-t", "99999999999999999999"),
            // What comes before and after.
            s(8, "-t"), s(8, "--timeout"), s(8, "-t", "--"), s(8, "-t", "-v"), s(8, "--", "-t", "5"),
            s(5, "-t", "5", "--"), s(4, "-s", "x", "-t", "4"), s(8, "-s", "-t", "4"), s(4, "-w", "10", "-t", "4"),
            s(4, "-p", "80", "-t4"), s(4, "--socket=x", "--timeout", "4"), s(4, "--soc", "x", "-t", "4"),
            s(8, "--s", "x", "-t", "4"), s(8, "--so", "x", "-t", "4"), s(8, "--v", "-t", "4"),
            s(4, "--verb", "-t", "4"), s(4, "-v", "-t", "4", "-q"), s(4, "--cpus", "2", "-t", "4"),
            s(4, "-cpus", "2", "-t", "4"), s(4, "-c", "90", "-t", "4"), s(4, "-critical", "90", "-t", "4"),
            s(4, "-cr", "90", "-t", "4"), s(4, "-c90", "-t", "4"), s(4, "-bsocket", "-t4"),
            s(4, "--missing-state", "ok", "-t", "4"), s(4, "--missing=ok", "-t", "4"), s(8, "-t", "4", "-x"),
            s(8, "-t", "4", "--bogus"), s(8, "-w", "-t", "4"), s(4, "-p", "-5", "-t", "4"), s(8, "-w", "-t4x", "-t", "4"),
            // The last -t wins.
            r(6, "-t", "5", "-t", "6"), r(3, "-t5", "--timeout=7", "-vt3"), r(12, "--timeout", "10", "--t", "12"),
            r(8, "-t", "5", "-t", "x"),
            // -t follows the number rules of ranges: ASCII digits, no sign.
            n(8, "-t", "+5"), n(8, "-t", "\u0663"), n(8, "-t", "\u0035\u0663"));

    private static Spelling s(int timeout, String... args) {
        return new Spelling(timeout, Kind.PLAIN, args);
    }

    private static Spelling r(int timeout, String... args) {
        return new Spelling(timeout, Kind.REPEATED, args);
    }

    private static Spelling n(int timeout, String... args) {
        return new Spelling(timeout, Kind.NUMBER_RULES, args);
    }

    @BeforeAll
    static void fakeTimeout() throws IOException {
        fakeBin = Files.createTempDirectory("csb-fake-timeout");
        Path timeout = fakeBin.resolve("timeout");
        // For the outer bound (the call that starts with --foreground): its arguments, one a line,
        // then exit 10, "main() said OK" to the launcher, which exits 0. Any other call (the
        // bounded read of an --extra-opts file) goes to the real timeout(1).
        Files.writeString(timeout, "#!/bin/sh\ncase $1 in --foreground) ;; *) exec /usr/bin/timeout \"$@\" ;; esac\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done\nexit 10\n");
        Files.setPosixFilePermissions(timeout, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void removeFakeTimeout() throws IOException {
        Files.deleteIfExists(fakeBin.resolve("timeout"));
        Files.deleteIfExists(fakeBin);
    }

    /** The duration the launcher gives timeout(1) for -t N: 10% of it, at most 0.5 s, before N. */
    static String outerBound(int seconds) {
        int tenths = seconds * 10 - Math.min(seconds, 5);
        return tenths / 10 + "." + tenths % 10;
    }

    /** The -t the launcher read, as the duration it passes to timeout(1). */
    private static String launcherBound(String... args) {
        return launcherBound(Map.of(), args);
    }

    private static String launcherBound(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(Arrays.asList(args));
        BoundedProcess.Result result = BoundedProcess.run(command, LIMIT, env -> {
            env.remove("MP_CONFIG_FILE");
            env.remove("NAGIOS_CONFIG_PATH");
            env.putAll(environment);
            env.put("JAVA_HOME", JAVA_HOME);
            env.put("PATH", fakeBin + ":/usr/bin:/bin");
        });
        List<String> words = Arrays.asList(result.stdout().split("\n"));
        assertEquals(0, result.exitCode(), Arrays.toString(args) + ": " + result.stdout() + result.stderr());
        assertEquals(List.of("--foreground", "--verbose", "-s", "KILL"), words.subList(0, 4), words.toString());
        return words.get(4);
    }

    /** The -t Arguments takes, or null if it refuses the command line. */
    private static Integer javaTimeout(String... args) {
        try {
            Request request = Arguments.parse(args);
            return request instanceof Request.Check check ? check.config().timeoutSeconds()
                    : request instanceof Request.ListListeners list ? list.config().timeoutSeconds() : null;
        } catch (UsageException e) {
            return null;
        }
    }

    @Test
    void theLauncherAndArgumentsReadTheSameTimeout() {
        // Whether the Java side has already taken item 7 of issue 7 (last value wins, strict numbers).
        boolean javaTakesTheLast = Integer.valueOf(2).equals(javaTimeout("-t", "1", "-t", "2"));
        boolean javaHasStrictNumbers = javaTimeout("-t", "+5") == null;
        List<String> problems = new ArrayList<>();
        for (Spelling spelling : SPELLINGS) {
            String bound = launcherBound(spelling.args());
            if (!bound.equals(outerBound(spelling.timeout()))) {
                problems.add(spelling + ": the launcher bounds the JVM at " + bound + " s, expected "
                        + outerBound(spelling.timeout()) + " for -t " + spelling.timeout());
            }
            Integer java = javaTimeout(spelling.args());
            boolean comparable = spelling.kind() == Kind.PLAIN
                    || spelling.kind() == Kind.REPEATED && javaTakesTheLast
                    || spelling.kind() == Kind.NUMBER_RULES && javaHasStrictNumbers;
            if (java != null && comparable && java != spelling.timeout()) {
                problems.add(spelling + ": Arguments takes -t " + java + ", the launcher " + spelling.timeout());
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * A -t in an --extra-opts file: the launcher reads the same section of the same file for its
     * outer bound, as the file's options come before the command line's (whose -t still wins).
     */
    @Test
    void theLauncherReadsTheTimeoutOfAnExtraOptsFileAsArgumentsDoes() throws Exception {
        Path directory = Files.createTempDirectory("csb-extra-opts");
        Path file = directory.resolve("plugins.ini");
        Files.writeString(file, "# per host\n[check_socket_backlog]\n  timeout = 20 \r\nverbose\n\n[web]\nt=12\n"
                + "basis=socket\n[prefix]\n time=30\n[none]\nwarning=70\n[quoted]\ntimeout = \"30\"\n[dashes]\n"
                + "--timeout = 31\n[wide]\ntimeout = 30\u2003\n[tab]\ntimeout\t=\t25\t\n");
        Path fifo = directory.resolve("fifo");
        try {
            assertEquals(0, BoundedProcess.run(List.of("mkfifo", fifo.toString()), LIMIT).exitCode());
            Map<String, String> viaEnvironment = Map.of("MP_CONFIG_FILE", file.toString());
            Map<String, String> viaPath = Map.of("NAGIOS_CONFIG_PATH", "/nonexistent:" + directory);
            record Case(int timeout, Map<String, String> env, String... args) {
            }
            List<Case> cases = List.of(
                    new Case(20, Map.of(), "--extra-opts=@" + file),
                    new Case(12, Map.of(), "--extra-opts", "web@" + file),
                    new Case(30, Map.of(), "--extra-opts=prefix@" + file),
                    new Case(5, Map.of(), "--extra-opts=@" + file, "-t", "5"),
                    new Case(5, Map.of(), "-t", "5", "--extra-opts=@" + file),
                    new Case(12, Map.of(), "--extra-opts=@" + file, "--extra-opts=web@" + file),
                    new Case(8, Map.of(), "--extra-opts=none@" + file),
                    new Case(20, viaEnvironment, "--extra-opts"),
                    new Case(20, viaEnvironment, "--extra-opts", "-v"),
                    new Case(12, viaEnvironment, "--extra-opts", "web"),
                    new Case(20, viaPath, "--extra-opts="),
                    new Case(8, Map.of(), "--extra-opts=@" + fifo),
                    new Case(8, Map.of(), "--extra-opts=quoted@" + file),
                    new Case(8, Map.of(), "--extra-opts=dashes@" + file),
                    new Case(8, Map.of(), "--extra-opts=wide@" + file),
                    new Case(25, Map.of(), "--extra-opts=tab@" + file),
                    new Case(20, Map.of("NAGIOS_CONFIG_PATH", "::" + directory), "--extra-opts"),
                    new Case(8, Map.of("MP_CONFIG_FILE", ""), "--extra-opts"),
                    new Case(30, Map.of(), "--list", "selectors", "-t", "30"),
                    new Case(30, Map.of(), "-t", "30", "--list=selectors"),
                    new Case(8, Map.of(), "--extra-opts=@" + directory.resolve("missing.ini")));
            List<String> problems = new ArrayList<>();
            for (Case c : cases) {
                String bound = launcherBound(c.env(), c.args());
                if (!bound.equals(outerBound(c.timeout()))) {
                    problems.add(Arrays.toString(c.args()) + " " + c.env() + ": the launcher bounds the JVM at " + bound
                            + " s, expected " + outerBound(c.timeout()));
                }
                Integer java;
                try {
                    java = javaTimeout(ExtraOpts.expand(c.args(), c.env()).args());
                } catch (UsageException e) {
                    java = null;
                }
                if (java == null ? c.timeout() != 8 : java != c.timeout()) {
                    problems.add(Arrays.toString(c.args()) + ": Arguments takes -t " + java + ", the launcher "
                            + c.timeout());
                }
            }
            assertTrue(problems.isEmpty(), String.join("\n", problems));
        } finally {
            Files.deleteIfExists(fifo);
            Files.delete(file);
            Files.delete(directory);
        }
    }

    @Test
    void theLauncherKnowsTheOptionsOfTheHelpText() throws IOException {
        // Option lines of --help: " -s, --socket=PATH", " --cpus=N", " -v, --verbose",
        // " --extra-opts[=[SECTION][@FILE]]" (the launcher reads that one itself, and no -t from it).
        Pattern option = Pattern.compile("^ (?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9-]*)(=\\S+|\\[=\\S+\\])?$");
        Set<String> longs = new TreeSet<>();
        Set<String> shortsWithValue = new TreeSet<>();
        Set<String> shortFlags = new TreeSet<>();
        for (String line : Arguments.help("check_socket_backlog").split("\n")) {
            Matcher m = option.matcher(line);
            if (m.find()) {
                longs.add(m.group(2) + (m.group(3) != null ? "=" : ""));
                if (m.group(1) != null) {
                    (m.group(3) != null ? shortsWithValue : shortFlags).add(m.group(1));
                }
            }
        }
        String script = Files.readString(LAUNCHER);
        Matcher list = Pattern.compile("(?m)^csb_long='([^']*)'").matcher(script);
        assertTrue(list.find(), "csb_long='...' in " + LAUNCHER);
        assertEquals(longs, new TreeSet<>(Arrays.asList(list.group(1).trim().split("\\s+"))),
                "the launcher's long options (csb_long) and --help's");
        assertTrue(script.contains("\n        " + String.join("|", ordered(shortsWithValue)) + ") return 0 ;;\n"),
                "short options that take a value, as in --help: " + shortsWithValue);
        assertTrue(script.contains("\n        " + String.join("|", ordered(shortFlags)) + ") return 1 ;;\n"),
                "short flags, as in --help: " + shortFlags);
    }

    /** In the launcher's order: as --help lists them (s p w c b t; v q h V). */
    private static List<String> ordered(Set<String> names) {
        List<String> order = new ArrayList<>();
        for (String line : Arguments.help("check_socket_backlog").split("\n")) {
            Matcher m = Pattern.compile("^ -([A-Za-z0-9]), --").matcher(line);
            if (m.find() && names.contains(m.group(1))) {
                order.add(m.group(1));
            }
        }
        return order;
    }
}
