package org.checksocketbacklog.report;

import org.checksocketbacklog.plugin.Status;

/**
 * An item's line of the long output in the Monitoring Plugins' multi-line format: a tab, then
 * {@code \_[STATE] - }, then the item's text, e.g. {@code \t\_[CRITICAL] - /run/php/www.sock (unix
 * stream, inode 123): 12 pending, ...}.
 *
 * <p>The bytes are those of monitoring-plugins' lib/output.c: {@code fmt_subcheck_output} writes a
 * subcheck (MP_FORMAT_MULTI_LINE, the default format) as its indentation, a backslash, an
 * underscore, the state word in brackets with no blank before it, " - " and its output; the
 * indentation ({@code generate_indentation_string}) is one tab per level, and {@code mp_fmt_output}
 * starts the subchecks of the check at level one; the state word is {@code state_text} of
 * lib/utils_base.c: OK, WARNING, CRITICAL, UNKNOWN. lib/tests/test_generic_output.c asserts these
 * lines byte for byte. Every item here is a subcheck of level one: each is judged on its own and
 * none takes its state from another, so none is nested.
 *
 * <p>What draws the state icon is the bracketed word, wherever it stands: Icinga DB Web's
 * library/Icingadb/Util/PluginOutput.php ({@code TEXT_PATTERNS}), as the former monitoring module of
 * Icinga Web 2 (application/views/helpers/PluginOutput.php) did, replaces OK, WARNING, CRITICAL,
 * UNKNOWN, UP, DOWN (and lately INFO), upper case, between {@code [} or {@code (} and {@code ]} or
 * {@code )}, anywhere in the text, by a state ball; the {@code \_} only makes the line read as a
 * branch. So the sanitizer ({@link OutputText}) keeps any such word in a name from reaching the
 * output, and the tag is put before the sanitized text, never through it (it would escape the
 * backslash).
 */
final class ItemLine {
    /** By {@link Status#ordinal()}: the prefixes are made once, not on every line. */
    private static final String[] PREFIXES = new String[Status.values().length];

    static {
        for (Status state : Status.values()) {
            PREFIXES[state.ordinal()] = "\t\\_[" + state + "] - ";
        }
    }

    private ItemLine() {
    }

    /** The line of an item in {@code state} whose text, already sanitized, is {@code safeText}. */
    static String of(Status state, String safeText) {
        return PREFIXES[state.ordinal()].concat(safeText);
    }
}
