package org.checksocketbacklog.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test-only model of which state icons Icinga Web draws in plugin output, written from what Icinga
 * DB Web's library/Icingadb/Util/PluginOutput.php does with text output (not copied from it): the
 * whole text (the status line without its perfdata, which Icinga 2 takes away, and the long output)
 * is taken for HTML when it holds something like a tag; otherwise a backslash and an n
 * become a line break, and each of OK, WARNING, CRITICAL, UNKNOWN, UP, DOWN and INFO between
 * {@code [} or {@code (} and {@code ]} or {@code )}, upper case, anywhere, a state ball. Tests run the
 * plugin's output through it to check that only an item line's own tag shows a state.
 */
public final class IcingaWebStates {
    private static final Pattern BALL = Pattern.compile("[\\[(](OK|WARNING|CRITICAL|UNKNOWN|UP|DOWN|INFO)[\\])]");
    private static final Pattern TAG_LIKE = Pattern.compile("<\\w");
    private static final String TAG = "\t\\_[";

    private IcingaWebStates() {
    }

    /** The states drawn on one line, in order. */
    public static List<String> balls(String line) {
        List<String> states = new ArrayList<>();
        Matcher ball = BALL.matcher(line);
        while (ball.find()) {
            states.add(ball.group(1));
        }
        return states;
    }

    /**
     * What would show a state, or a line, that the plugin did not write: each rendered line whose
     * balls are not exactly its own tag's state (none for an untagged line), and HTML, under which a
     * name could draw anything. Empty when the output is sound.
     */
    public static List<String> untrue(String output) {
        List<String> problems = new ArrayList<>();
        int firstLineEnd = output.indexOf('\n') < 0 ? output.length() : output.indexOf('\n');
        int perfdata = output.substring(0, firstLineEnd).indexOf('|');
        String text = perfdata < 0 ? output : output.substring(0, perfdata) + output.substring(firstLineEnd);
        if (TAG_LIKE.matcher(text).find()) {
            problems.add("taken for HTML: " + text);
        }
        for (String line : text.replace("\\n", "\n").split("\n", -1)) {
            List<String> expected = new ArrayList<>();
            if (line.startsWith(TAG)) {
                int end = line.indexOf("] - ");
                expected.add(end < 0 ? "(no tag end)" : line.substring(TAG.length(), end));
            }
            if (!balls(line).equals(expected)) {
                problems.add("shows " + balls(line) + ", wrote " + expected + ": " + line);
            }
        }
        return problems;
    }
}
