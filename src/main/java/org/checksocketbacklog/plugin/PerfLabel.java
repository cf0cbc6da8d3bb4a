package org.checksocketbacklog.plugin;

import java.nio.charset.StandardCharsets;

/**
 * Perfdata labels for per-socket metrics: {@code <encoded socket name>:<metric>}, or
 * {@code '<encoded socket name> <qualifier>:<metric>'} when the name alone does not tell two
 * sockets apart. See docs/perfdata-labels.md for the evidence behind every rule.
 *
 * <p>The socket name is percent-encoded ({@code %XX}, uppercase hex, one escape per byte)
 * wherever a byte is a control character, a space, non-ASCII, or one of
 * {@code % ' " = | ; : , \ ` ~ $ & < > ^}. The qualifier is a word and a number, such as
 * {@code inode 4711}, after the label's first space; a socket in another network namespace than the
 * check's has {@code netns NAME} there (NAME encoded as a name), before any such qualifier. That
 * makes the label
 * <ul>
 *   <li>safe: none of the characters that Nagios core, PNP4Nagios or Icinga 2 split on,
 *       strip, rewrite or interpret survives unencoded;</li>
 *   <li>injective: {@code %} itself is encoded, so decoding is unambiguous; the only raw
 *       {@code :} is the one before the metric, and the first raw space the one before the
 *       qualifier, so no socket name can pass for another name with a qualifier;</li>
 *   <li>stable and readable: a pure function of the name, and ordinary socket paths such as
 *       {@code /run/php/php8.2-fpm.sock} come out unchanged.</li>
 * </ul>
 */
public final class PerfLabel {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    // Each is split on, stripped, rewritten or interpreted by at least one consumer; the doc
    // lists which. '%' is here because it is the escape character itself.
    private static final String ENCODED_ASCII = "%'\"=|;:,\\`~$&<>^";

    private PerfLabel() {
    }

    /**
     * The label of {@code metric} for the socket whose name is {@code name}: the kernel's bytes
     * (socket names need not be valid UTF-8), or a TCP name's ASCII, e.g.
     * {@code /run/php/fpm.sock:pending}.
     *
     * @throws IllegalArgumentException if {@code metric} is not a plain metric name
     */
    public static String of(byte[] name, String metric) {
        return Name.of(name).label(metric);
    }

    /**
     * The label of {@code metric} for one of several sockets named {@code name}, told apart by
     * {@code qualifier}, e.g. {@code '/run/app.sock inode 4711:pending'}.
     *
     * @throws IllegalArgumentException if {@code qualifier} is not a lowercase word, a space and
     *                                  a number, or {@code metric} is not a plain metric name
     */
    public static String of(byte[] name, String qualifier, String metric) {
        return Name.of(name, qualifier).label(metric);
    }

    /**
     * A socket's name (and qualifier), encoded once for the labels of all its metrics, and not
     * before a label is asked for: a whole-host check judges thousands of sockets and prints the
     * perfdata of a few dozen.
     */
    public static final class Name {
        private final byte[] name;
        private final String namespace;
        private final String qualifier;
        private String encoded;

        private Name(byte[] name, String namespace, String qualifier) {
            this.name = name;
            this.namespace = namespace;
            this.qualifier = qualifier;
        }

        /** @throws IllegalArgumentException if {@code name} is null */
        public static Name of(byte[] name) {
            if (name == null) {
                throw new IllegalArgumentException("missing socket name");
            }
            return new Name(name, null, null);
        }

        /** @throws IllegalArgumentException if {@code name} is null or {@code qualifier} not a word and a number */
        public static Name of(byte[] name, String qualifier) {
            if (name == null) {
                throw new IllegalArgumentException("missing socket name");
            }
            if (qualifier == null || !isQualifier(qualifier)) {
                throw new IllegalArgumentException("invalid label qualifier "
                        + (qualifier == null ? "null" : Texts.quoted(qualifier)) + ": expected a lowercase word, a "
                        + "space and a number");
            }
            return new Name(name, null, qualifier);
        }

        /**
         * The same socket name in the network namespace {@code namespace} (its name, any text, encoded
         * like a socket name): {@code '/run/app.sock netns web:pending'}, with the inode qualifier,
         * if any, after it.
         *
         * @throws IllegalArgumentException if {@code namespace} is null or empty, or this name has one
         */
        public Name inNamespace(String namespace) {
            if (namespace == null || namespace.isEmpty() || this.namespace != null) {
                throw new IllegalArgumentException("invalid label namespace " + Texts.quoted(String.valueOf(namespace)));
            }
            return new Name(name, namespace, qualifier);
        }

        /** @throws IllegalArgumentException if {@code metric} is not a plain metric name */
        public String label(String metric) {
            requireMetric(metric);
            if (encoded == null) {
                StringBuilder text = new StringBuilder(encodeName(name));
                if (namespace != null) {
                    text.append(" netns ").append(encodeName(namespace.getBytes(StandardCharsets.UTF_8)));
                }
                if (qualifier != null) {
                    text.append(' ').append(qualifier);
                }
                encoded = text.toString();
            }
            return namespace == null && qualifier == null ? encoded + ':' + metric : '\'' + encoded + ':' + metric + '\'';
        }
    }

    /**
     * The label of a metric that belongs to no single socket, such as a count of all sockets.
     * It contains no ':', so it can never equal a per-socket label.
     *
     * @throws IllegalArgumentException if {@code metric} is not a plain metric name
     */
    public static String of(String metric) {
        requireMetric(metric);
        return metric;
    }

    /**
     * Whether {@code label} is exactly what one of the {@code of} methods returns for some
     * name and metric; {@link PerfDatum} accepts no other label, so no hand-built text can
     * bypass the encoding.
     */
    public static boolean isValid(String label) {
        if (label == null || label.isEmpty()) {
            return false;
        }
        String inner = label;
        String qualifier = null;
        if (label.charAt(0) == '\'') {
            if (label.length() < 3 || label.charAt(label.length() - 1) != '\'') {
                return false;
            }
            inner = label.substring(1, label.length() - 1);
            // Quoting is canonical: present exactly when there is a qualifier, after the first space.
            int space = inner.indexOf(' ');
            int colon = inner.indexOf(':');
            if (space < 0 || colon < space) {
                return false;
            }
            qualifier = inner.substring(space + 1, colon);
            inner = inner.substring(0, space) + inner.substring(colon);
            if (!isQualifiers(qualifier)) {
                return false;
            }
        } else if (label.indexOf(' ') >= 0) {
            return false;
        }
        int colon = inner.indexOf(':');
        if (colon < 0) {
            return qualifier == null && isMetric(inner);
        }
        if (inner.indexOf(':', colon + 1) >= 0) {
            return false;
        }
        return isMetric(inner.substring(colon + 1)) && isEncodedName(inner.substring(0, colon));
    }

    /**
     * What may follow a name, after its space: {@code netns NAME} (NAME encoded as a socket name),
     * a word and a number ({@code inode 4711}), or the first and then the second.
     */
    private static boolean isQualifiers(String text) {
        if (text.startsWith("netns ")) {
            int end = text.indexOf(' ', "netns ".length());
            String namespace = text.substring("netns ".length(), end < 0 ? text.length() : end);
            if (namespace.isEmpty() || !isEncodedName(namespace)) {
                return false;
            }
            return end < 0 || isQualifier(text.substring(end + 1));
        }
        return isQualifier(text);
    }

    /** A lowercase ASCII word, one space and a decimal number without leading zeros. */
    private static boolean isQualifier(String text) {
        int space = text.indexOf(' ');
        if (space < 1 || space == text.length() - 1 || text.startsWith("netns ")) {
            return false; // "netns" introduces a namespace, never a number qualifier
        }
        for (int i = 0; i < space; i++) {
            if (text.charAt(i) < 'a' || text.charAt(i) > 'z') {
                return false;
            }
        }
        if (text.charAt(space + 1) == '0' && space + 2 < text.length()) {
            return false;
        }
        for (int i = space + 1; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isEncodedName(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int b;
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    return false;
                }
                int high = hexValue(text.charAt(i + 1));
                int low = hexValue(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return false;
                }
                b = (high << 4) | low;
                // An escape for a byte that is never escaped would be a second spelling of the
                // same name.
                if (!mustEncode(b)) {
                    return false;
                }
                i += 3;
            } else {
                if (c > 0x7F || mustEncode(c)) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Percent-encodes a socket name's bytes; the part of a label before the ':'. */
    static String encodeName(byte[] name) {
        StringBuilder out = new StringBuilder(name.length + 8);
        for (int i = 0; i < name.length; i++) {
            int b = name[i] & 0xFF;
            if (mustEncode(b)) {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }

    // A space is encoded wherever it is in a name: consumers trim perfdata items (Icinga 2 since
    // PR #8969), one that trims after removing the quotes would lose a leading one, and a raw
    // space is what sets a qualifier apart from the name.
    private static boolean mustEncode(int b) {
        if (b <= 0x20 || b >= 0x7F) {
            return true;
        }
        return ENCODED_ASCII.indexOf(b) >= 0;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static void requireMetric(String metric) {
        if (metric == null || !isMetric(metric)) {
            throw new IllegalArgumentException("invalid metric name " + (metric == null ? "null" : Texts.quoted(metric))
                    + ": expected ASCII letters, digits, '_', '-' or '.'");
        }
    }

    private static boolean isMetric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
