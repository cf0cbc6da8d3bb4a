package org.checksocketbacklog.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.arguments.Arguments;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/check_socket_backlog.1 in step with the command line and renderable without warnings.
 *
 * <p>The options are read from the public help text ({@link Arguments#help}), whose option lines
 * commons-cli prints as {@code -s,--socket <PATH>} or {@code --cpus <N>}. The man page writes each
 * option as the tag of a top-level {@code .TP} entry of its OPTIONS section, in the form
 * {@code -s, --socket PATH}; nested entries (inside {@code .RS}/{@code .RE}) describe option values.
 */
class ManPageTest {
    private static final Path MAN_PAGE = projectDirectory().resolve("docs/check_socket_backlog.1");
    private static final int TIMEOUT_SECONDS = 30;

    /**
     * An option line of the help text: a blank, optional "-x, ", "--long", optional "=ARG" or
     * "[=ARG]" (an optional value), and nothing after it.
     */
    private static final Pattern HELP_OPTION =
            Pattern.compile("^ (?:-([A-Za-z0-9]), )?--([A-Za-z0-9][A-Za-z0-9-]*)(?:=(\\S+)|\\[=(\\S+)\\])?$");
    /** Option spellings inside a normalised man page tag. */
    private static final Pattern OPTION_TOKEN = Pattern.compile("(?<![\\w-])(--?[A-Za-z0-9][A-Za-z0-9-]*)");

    private static final List<String> SECTIONS = List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS",
            "THRESHOLD RANGES", "OUTPUT", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "NOTES", "SEE ALSO");

    /** One option as the help text shows it. */
    record HelpOption(String shortName, String longName, String argument) {
        /** The tag the man page gives this option: "-s, --socket PATH", "--cpus N", "-v, --verbose". */
        String manTag() {
            return (shortName == null ? "" : "-" + shortName + ", ") + "--" + longName
                    + (argument == null ? "" : " " + argument);
        }
    }

    /** A top-level .TP entry of the OPTIONS section: its tag and its body, both as plain text. */
    record Entry(String tag, String body) {
    }

    @Test
    void everyOptionOfTheHelpIsInTheManPageWithBothSpellingsAndItsArgument() throws IOException {
        Map<String, Entry> entries = optionEntries();
        List<String> missing = new ArrayList<>();
        for (HelpOption option : helpOptions()) {
            if (!entries.containsKey(option.manTag())) {
                missing.add(option.manTag());
            }
        }
        assertTrue(missing.isEmpty(), "options missing from the OPTIONS section of " + MAN_PAGE
                + " (expected a .TP tag exactly like this): " + missing + "; tags found: " + entries.keySet());
    }

    @Test
    void everyOptionTheManPageDocumentsExists() throws IOException {
        Map<String, HelpOption> byTag = new LinkedHashMap<>();
        Map<String, HelpOption> bySpelling = new LinkedHashMap<>();
        for (HelpOption option : helpOptions()) {
            byTag.put(option.manTag(), option);
            bySpelling.put("--" + option.longName(), option);
            if (option.shortName() != null) {
                bySpelling.put("-" + option.shortName(), option);
            }
        }
        List<String> problems = new ArrayList<>();
        for (String tag : optionEntries().keySet()) {
            Matcher token = OPTION_TOKEN.matcher(tag);
            boolean any = false;
            while (token.find()) {
                any = true;
                if (!bySpelling.containsKey(token.group(1))) {
                    problems.add(tag + ": " + token.group(1) + " is not an option of check_socket_backlog");
                }
            }
            if (!any) {
                problems.add(tag + ": a top-level OPTIONS entry that names no option");
            } else if (!byTag.containsKey(tag)) {
                problems.add(tag + ": does not match the help text (names and argument must be exactly as in --help)");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void documentedDefaultsMatchTheCode() throws IOException {
        Map<String, Entry> entries = optionEntries();
        assertContains(entries, "-w, --warning RANGE", "(default " + Arguments.DEFAULT_WARNING + ")");
        assertContains(entries, "-c, --critical RANGE", "(default " + Arguments.DEFAULT_CRITICAL + ")");
        assertContains(entries, "-t, --timeout SECONDS", "(default " + Arguments.DEFAULT_TIMEOUT_SECONDS + ",");
    }

    @Test
    void hasTheSectionsInOrderAndIsPlainAscii() throws IOException {
        List<String> lines = manPageLines();
        List<String> sections = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(".SH ")) {
                sections.add(line.substring(4).replace("\"", "").strip());
            }
        }
        assertEquals(SECTIONS, sections, "the .SH sections of " + MAN_PAGE);
        for (int i = 0; i < lines.size(); i++) {
            for (char c : lines.get(i).toCharArray()) {
                if (c > 0x7e || c < 0x20 && c != '\t') {
                    fail(MAN_PAGE + ":" + (i + 1) + ": non-ASCII or control character U+"
                            + String.format("%04X", (int) c) + "; write it as a roff escape such as \\(mu");
                }
            }
        }
    }

    @Test
    void manRendersTheManPageWithoutWarnings() throws Exception {
        Assumptions.assumeTrue(onPath("man"), "man is not installed");
        Result result = run(List.of("man", "--warnings", "-l", MAN_PAGE.toAbsolutePath().toString()));
        assertEquals("", result.stderr(), "man --warnings -l " + MAN_PAGE + " wrote to stderr");
        assertEquals(0, result.exitCode(), "man --warnings -l " + MAN_PAGE + " exit status");
    }

    @Test
    void groffFindsNothingToWarnAbout() throws Exception {
        Assumptions.assumeTrue(onPath("groff"), "groff is not installed");
        Result result = run(List.of("groff", "-man", "-ww", "-z", MAN_PAGE.toAbsolutePath().toString()));
        assertEquals("", result.stderr(), "groff -man -ww -z " + MAN_PAGE + " wrote to stderr");
        assertEquals(0, result.exitCode(), "groff -man -ww -z " + MAN_PAGE + " exit status");
    }

    // ---------------------------------------------------------------------------------------------

    private static void assertContains(Map<String, Entry> entries, String tag, String text) {
        Entry entry = entries.get(tag);
        assertTrue(entry != null, "no OPTIONS entry " + tag);
        assertTrue(entry.body().contains(text), "the man page entry for " + tag + " should say \"" + text
                + "\" (the code's default); it says: " + entry.body());
    }

    /** The options of the public help text; fails if the scan finds implausibly few. */
    static List<HelpOption> helpOptions() {
        List<HelpOption> options = new ArrayList<>();
        for (String line : Arguments.help("check_socket_backlog").split("\n")) {
            Matcher m = HELP_OPTION.matcher(line);
            if (m.find()) {
                options.add(new HelpOption(m.group(1), m.group(2), m.group(3) != null ? m.group(3) : m.group(4)));
            }
        }
        List<String> names = options.stream().map(HelpOption::longName).toList();
        assertTrue(names.contains("help") && names.contains("version") && names.contains("socket")
                && options.size() >= 10, "could not read the options from the help text: " + names);
        return options;
    }

    /** Top-level .TP entries of the OPTIONS section, by normalised tag. */
    static Map<String, Entry> optionEntries() throws IOException {
        List<String> lines = manPageLines();
        int start = lines.indexOf(".SH OPTIONS");
        assertTrue(start >= 0, MAN_PAGE + " has no \".SH OPTIONS\" line");
        Map<String, Entry> entries = new LinkedHashMap<>();
        int depth = 0;
        String tag = null;
        StringBuilder body = new StringBuilder();
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(".SH")) {
                break;
            }
            if (line.startsWith(".RS")) {
                depth++;
            } else if (line.startsWith(".RE")) {
                depth--;
            } else if (line.startsWith(".TP") && depth == 0 && i + 1 < lines.size()) {
                if (tag != null) {
                    entries.put(tag, new Entry(tag, body.toString().strip()));
                }
                tag = plainText(lines.get(++i));
                body.setLength(0);
            } else if (tag != null && !line.startsWith(".\\\"")) {
                String text = plainText(line);
                if (!text.isEmpty()) {
                    body.append(text).append(' ');
                }
            }
        }
        if (tag != null) {
            entries.put(tag, new Entry(tag, body.toString().strip()));
        }
        return entries;
    }

    /**
     * One roff line as the reader sees the text: font macros' arguments joined (alternating macros
     * without spaces, .B and .I with them), font escapes dropped, character escapes resolved.
     */
    static String plainText(String line) {
        String text = line;
        if (text.startsWith(".")) {
            int space = text.indexOf(' ');
            String macro = space < 0 ? text.substring(1) : text.substring(1, space);
            List<String> arguments = arguments(space < 0 ? "" : text.substring(space + 1));
            switch (macro) {
                case "B": case "I": case "SM": case "SB":
                    text = String.join(" ", arguments);
                    break;
                case "BI": case "BR": case "IB": case "IR": case "RB": case "RI":
                    text = String.join("", arguments);
                    break;
                default:
                    return "";
            }
        }
        return text.replaceAll("\\\\f(\\[[^]]*]|\\(..|.)", "")
                .replace("\\-", "-")
                .replace("\\(aq", "'")
                .replace("\\(dq", "\"")
                .replace("\\(ga", "`")
                .replace("\\(ti", "~")
                .replace("\\(ha", "^")
                .replace("\\(mu", "x")
                .replace("\\(di", "/")
                .replace("\\ ", " ")
                .replace("\\&", "")
                .replace("\\|", "")
                .replace("\\^", "")
                .replace("\\c", "")
                .replace("\\e", "\\")
                .strip();
    }

    /** Macro arguments: blank-separated, double quotes group (and "" inside quotes is a quote). */
    private static List<String> arguments(String text) {
        List<String> arguments = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            StringBuilder argument = new StringBuilder();
            if (text.charAt(i) == '"') {
                i++;
                while (i < text.length()) {
                    char c = text.charAt(i);
                    if (c == '"') {
                        if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                            argument.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    argument.append(c);
                    i++;
                }
            } else {
                while (i < text.length() && text.charAt(i) != ' ') {
                    argument.append(text.charAt(i++));
                }
            }
            arguments.add(argument.toString());
        }
        return arguments;
    }

    private static List<String> manPageLines() throws IOException {
        assertTrue(Files.isRegularFile(MAN_PAGE), MAN_PAGE + " is missing");
        return Files.readAllLines(MAN_PAGE, StandardCharsets.US_ASCII);
    }

    private static Path projectDirectory() {
        // Surefire sets basedir; an IDE usually runs tests in the project directory.
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String stderr) {
    }

    /**
     * Runs a formatter with a bounded wait: stdout discarded, stderr to a file (no pipe to drain),
     * the locale and width of a typical terminal, and no pager.
     */
    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("manpage-test", ".stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
            Map<String, String> environment = builder.environment();
            environment.put("LC_ALL", "C.UTF-8");
            environment.put("MANWIDTH", "80");
            environment.put("MANPAGER", "cat");
            environment.put("PAGER", "cat");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
