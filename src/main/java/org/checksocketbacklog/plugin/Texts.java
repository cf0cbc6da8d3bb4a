package org.checksocketbacklog.plugin;

/**
 * Quoting of user-supplied text inside error messages: in double quotes, as given. Nothing is
 * escaped here; the plugin's output sanitizer makes control characters and {@code |} visible once,
 * where the message is printed, so that escapes never stack.
 */
final class Texts {

    private Texts() {
    }

    /** The text in double quotes. */
    static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
