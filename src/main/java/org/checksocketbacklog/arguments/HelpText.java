package org.checksocketbacklog.arguments;

import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * --help, laid out as the Monitoring Plugins lay theirs out (check_disk --help, say): a usage line,
 * then the options by group, each on a line of its own ({@code -w, --warning=RANGE}) with its
 * description below it, indented; everything within {@value #WIDTH} columns, the terminal width
 * NRPE users and man(1) readers have. Commons CLI's formatter puts options and descriptions side
 * by side, which needs 100 columns for these names, and wraps the usage line inside an option.
 */
final class HelpText {
    static final int WIDTH = 79;
    private static final String DESCRIPTION_INDENT = "    ";

    /** The usage line's parts: each one is kept whole when the line wraps. */
    private static final List<String> USAGE = List.of("[-s PATH]...", "[-p [ADDR:]PORT]...", "[-x SELECTOR]...",
            "[--process NAME]...", "[--unit UNIT]...", "[--netns NAME|PATH]...", "[--netns-pid PID]...",
            "[--all-netns]", "[-w RANGE]", "[-c RANGE]", "[-b somaxconn|socket]", "[-t SECONDS]", "[-v]...",
            "[--extra-opts[=[SECTION][@FILE]]]", "[OPTION]...");

    /** The groups, in order, and the long names of their options, in order. */
    private static final List<List<String>> GROUPS = List.of(
            List.of("Which listeners", "socket", "port", "exclude", "process", "unit", "netns", "netns-pid",
                    "all-netns"),
            List.of("Thresholds", "warning", "critical", "pending-warning", "pending-critical", "blocked-warning",
                    "blocked-critical", "syn-recv-warning", "syn-recv-critical", "basis", "cpus"),
            List.of("States", "full-state", "findings-state", "missing-state"),
            List.of("Reading", "source", "samples", "sample-interval"),
            List.of("Overflows between runs", "state-dir", "overflow-warning", "overflow-critical"),
            List.of("Output", "max-output", "verbose", "quiet", "list"),
            List.of("General", "timeout", "extra-opts", "help", "version"));

    private HelpText() {
    }

    static String render(String program, Options options, String footer) {
        StringBuilder text = new StringBuilder();
        text.append(program).append(" - how full the accept queues of listening sockets are\n\n");
        text.append("Usage:\n");
        String indent = " " + program + " ";
        StringBuilder line = new StringBuilder(indent);
        boolean first = true;
        for (String part : USAGE) {
            if (!first && line.length() + 1 + part.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder("   ");
                first = true;
            }
            line.append(first ? "" : " ").append(part);
            first = false;
        }
        text.append(line).append('\n');
        int listed = 0;
        for (List<String> group : GROUPS) {
            text.append('\n').append(group.get(0)).append(":\n");
            for (String name : group.subList(1, group.size())) {
                Option option = options.getOption(name);
                if (option == null || !name.equals(option.getLongOpt())) {
                    throw new IllegalStateException("--help lists --" + name + ", which is not an option");
                }
                text.append(' ').append(spelling(option)).append('\n');
                wrap(text, option.getDescription(), DESCRIPTION_INDENT);
                listed++;
            }
        }
        if (listed != options.getOptions().size()) {
            throw new IllegalStateException("--help lists " + listed + " of " + options.getOptions().size() + " options");
        }
        text.append('\n');
        for (String paragraph : footer.split("\n")) {
            wrap(text, paragraph, "");
        }
        return text.toString();
    }

    /** "-w, --warning=RANGE", "--cpus=N", "-v, --verbose", "--extra-opts[=[SECTION][@FILE]]". */
    static String spelling(Option option) {
        String name = (option.getOpt() != null ? "-" + option.getOpt() + ", " : "") + "--" + option.getLongOpt();
        if (!option.hasArg()) {
            return name;
        }
        return option.hasOptionalArg() ? name + "[=" + option.getArgName() + "]" : name + "=" + option.getArgName();
    }

    /** {@code words} filled into lines of at most {@value #WIDTH} columns, each after {@code indent}. */
    private static void wrap(StringBuilder text, String words, String indent) {
        StringBuilder line = new StringBuilder(indent);
        boolean empty = true;
        for (String word : words.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder(indent);
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        text.append(line).append('\n');
    }
}
