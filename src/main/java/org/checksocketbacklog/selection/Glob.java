package org.checksocketbacklog.selection;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checksocketbacklog.kernel.UnixName;
import org.checksocketbacklog.plugin.InvalidValueException;

/**
 * Shell-style patterns for AF_UNIX socket names: {@code *} matches any run of characters and
 * {@code ?} any one character, neither crossing a {@code /}; {@code [abc]}, {@code [a-z]},
 * {@code [!a-z]} and {@code [^a-z]} match one character from (or not from) a set; {@code \}
 * makes the next character literal, inside brackets too. A {@code ]} right after the opening
 * {@code [} (or {@code [!}, {@code [^}) is a member, and {@code -} first or last is a member,
 * as in POSIX fnmatch. A leading dot has no special meaning.
 *
 * <p>Names are bytes ({@link UnixName}), and so are patterns: {@code \xNN} (two hex digits) is the
 * byte NN, so that a name that is not valid UTF-8, or holds a NUL, can be selected exactly, and
 * written as the output shows it. Literal bytes are decoded together, so {@code \xc3\xa9} is
 * "é", while a byte that is not part of valid UTF-8 is one character of its own. An unescaped
 * {@code @} first makes the pattern match abstract names only, the rest of it matching what follows
 * the name's leading NUL; any other pattern matches path names only, so a relative path that
 * begins with {@code @} is selected with {@code \@} or {@code \x40}.
 *
 * <p>Like fnmatch with FNM_PATHNAME, no wildcard or bracket expression ever matches {@code /}.
 * Every {@code /} in a name must therefore meet a literal {@code /} of the pattern, in order,
 * so the matcher compares the name's {@code /}-separated parts one by one; within a part the
 * classic single-backtrack star algorithm is exact and takes at most
 * (pattern length × part length) steps, so patterns like {@code *a*a*a*a*b} cannot blow up.
 * Written without java.util.regex and PathMatcher to keep them off the start-up path.
 *
 * <p>Refused as malformed: an empty pattern, an unclosed {@code [}, a trailing {@code \}, a
 * reversed range such as {@code [z-a]}, a {@code /} inside brackets (it could never match),
 * and POSIX classes such as {@code [[:alpha:]]} (unsupported; silently reading them as a set
 * of letters would match the wrong names).
 */
public final class Glob {

    private static final int LITERAL = 0;
    private static final int ANY_ONE = 1;
    private static final int ANY_RUN = 2;
    private static final int ONE_OF = 3;

    /** One pattern position. For ONE_OF, {@code ranges} holds inclusive code point pairs. */
    private static final class Element {
        final int kind;
        final int codePoint;
        final int[] ranges;
        final boolean negated;

        Element(int kind, int codePoint, int[] ranges, boolean negated) {
            this.kind = kind;
            this.codePoint = codePoint;
            this.ranges = ranges;
            this.negated = negated;
        }

        boolean matchesOne(int c) {
            switch (kind) {
                case LITERAL:
                    return c == codePoint;
                case ANY_ONE:
                    return true;
                case ONE_OF:
                    boolean member = false;
                    for (int i = 0; i < ranges.length; i += 2) {
                        if (c >= ranges[i] && c <= ranges[i + 1]) {
                            member = true;
                            break;
                        }
                    }
                    return member != negated;
                default:
                    return false;
            }
        }
    }

    private final String pattern;
    private final boolean abstractNames;
    private final Element[][] parts;
    private final String literalText;
    /** The bytes before the first wildcard or bracket: every name it matches begins with them. */
    private final byte[] literalPrefix;

    private Glob(String pattern, boolean abstractNames, Element[][] parts, String literalText, byte[] literalPrefix) {
        this.pattern = pattern;
        this.abstractNames = abstractNames;
        this.parts = parts;
        this.literalText = literalText;
        this.literalPrefix = literalPrefix;
    }

    /**
     * Compiles a pattern. Its text may hold U+DC80..U+DCFF for raw bytes, as {@link UnixName#decode}
     * writes them (a command-line argument that was not valid UTF-8).
     *
     * @throws IllegalArgumentException for a malformed pattern, with a message that quotes it
     *     and says what is wrong
     */
    public static Glob compile(String pattern) {
        if (pattern == null) {
            throw new InvalidValueException("missing pattern");
        }
        if (pattern.isEmpty()) {
            throw invalid(pattern, "empty pattern");
        }
        int[] cps = codePoints(pattern);
        boolean abstractNames = cps[0] == '@';
        Builder builder = new Builder();
        boolean isLiteral = true;
        int i = abstractNames ? 1 : 0;
        while (i < cps.length) {
            int c = cps[i];
            if (c == '\\') {
                if (i + 1 == cps.length) {
                    throw invalid(pattern, "trailing backslash escapes nothing");
                }
                int escaped = escapedByte(cps, i);
                if (escaped >= 0) {
                    builder.literalByte(escaped);
                    i += 4;
                } else {
                    builder.literal(cps[i + 1]);
                    i += 2;
                }
            } else if (c == '*') {
                isLiteral = false;
                builder.element(new Element(ANY_RUN, 0, null, false));
                i++;
            } else if (c == '?') {
                isLiteral = false;
                builder.element(new Element(ANY_ONE, 0, null, false));
                i++;
            } else if (c == '[') {
                isLiteral = false;
                i = bracket(pattern, cps, i, builder);
            } else {
                builder.literal(c);
                i++;
            }
        }
        Element[][] parts = builder.finish();
        return new Glob(pattern, abstractNames, parts, isLiteral ? builder.literalText() : null,
                builder.literalPrefix());
    }

    /** The byte of a {@code \xNN} escape at cps[i], or -1 when there is none there. */
    private static int escapedByte(int[] cps, int i) {
        if (i + 3 >= cps.length || cps[i] != '\\' || cps[i + 1] != 'x') {
            return -1;
        }
        int high = hexDigit(cps[i + 2]);
        int low = hexDigit(cps[i + 3]);
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    private static int hexDigit(int c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * Collects a pattern's elements part by part. Literal characters and escaped bytes wait as
     * bytes until something else comes, then are decoded together, so that an escaped multi-byte
     * sequence is the character it encodes and a stray byte stays a byte.
     */
    private static final class Builder {
        private final List<Element[]> parts = new ArrayList<>();
        private final List<Element> part = new ArrayList<>();
        private final ByteArrayOutputStream literal = new ByteArrayOutputStream();
        private final ByteArrayOutputStream allLiterals = new ByteArrayOutputStream();
        private byte[] literalPrefix;

        void literal(int codePoint) {
            byte[] bytes = UnixName.encode(new String(Character.toChars(codePoint)));
            literal.write(bytes, 0, bytes.length);
            allLiterals.write(bytes, 0, bytes.length);
        }

        void literalByte(int b) {
            literal.write(b);
            allLiterals.write(b);
        }

        void element(Element element) {
            if (literalPrefix == null) {
                literalPrefix = allLiterals.toByteArray();
            }
            flush();
            // Adjacent stars match what one star matches; keeping one keeps the work bound.
            if (element.kind == ANY_RUN && !part.isEmpty() && part.get(part.size() - 1).kind == ANY_RUN) {
                return;
            }
            part.add(element);
        }

        private void flush() {
            if (literal.size() == 0) {
                return;
            }
            byte[] bytes = literal.toByteArray();
            literal.reset();
            int[] decoded = codePoints(UnixName.decode(bytes, 0, bytes.length));
            for (int c : decoded) {
                if (c == '/') {
                    parts.add(part.toArray(new Element[0]));
                    part.clear();
                } else {
                    part.add(new Element(LITERAL, c, null, false));
                }
            }
        }

        Element[][] finish() {
            flush();
            parts.add(part.toArray(new Element[0]));
            return parts.toArray(new Element[0][]);
        }

        String literalText() {
            byte[] bytes = allLiterals.toByteArray();
            return UnixName.decode(bytes, 0, bytes.length);
        }

        /** The literal bytes before the first wildcard or bracket; all of them if there is none. */
        byte[] literalPrefix() {
            return literalPrefix != null ? literalPrefix : allLiterals.toByteArray();
        }
    }

    // Parses the bracket expression opening at cps[open]; adds its element and returns the
    // index just past the closing ']'. A run of \xNN escapes is decoded as one byte string, so that
    // [\xc3\xa9] holds "é".
    private static int bracket(String pattern, int[] cps, int open, Builder builder) {
        int j = open + 1;
        boolean negated = false;
        if (j < cps.length && (cps[j] == '!' || cps[j] == '^')) {
            negated = true;
            j++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        int[] member = new int[1];
        while (true) {
            if (j >= cps.length) {
                throw invalid(pattern, "unclosed \"[\" at position " + open);
            }
            if (cps[j] == ']' && !first) {
                j++;
                break;
            }
            if (cps[j] == '[' && j + 1 < cps.length && (cps[j + 1] == ':' || cps[j + 1] == '.' || cps[j + 1] == '=')) {
                throw invalid(pattern, "POSIX classes such as [:alpha:] are not supported"
                        + " (escape the \"[\" to match it literally)");
            }
            int low;
            if (escapedByte(cps, j) >= 0) {
                ByteArrayOutputStream run = new ByteArrayOutputStream();
                while (escapedByte(cps, j) >= 0) {
                    run.write(escapedByte(cps, j));
                    j += 4;
                }
                byte[] bytes = run.toByteArray();
                int[] decoded = codePoints(UnixName.decode(bytes, 0, bytes.length));
                for (int k = 0; k < decoded.length - 1; k++) {
                    requireNoSlash(pattern, decoded[k]);
                    ranges.add(new int[] {decoded[k], decoded[k]});
                }
                low = decoded[decoded.length - 1];
            } else {
                j = member(pattern, cps, j, open, member);
                low = member[0];
            }
            requireNoSlash(pattern, low);
            int high = low;
            if (j + 1 < cps.length && cps[j] == '-' && cps[j + 1] != ']') {
                j++;
                if (escapedByte(cps, j) >= 0) {
                    // The run of escapes after '-' is decoded as one byte string too: its first
                    // character ends the range, any others are members of their own.
                    ByteArrayOutputStream run = new ByteArrayOutputStream();
                    while (escapedByte(cps, j) >= 0) {
                        run.write(escapedByte(cps, j));
                        j += 4;
                    }
                    byte[] bytes = run.toByteArray();
                    int[] decoded = codePoints(UnixName.decode(bytes, 0, bytes.length));
                    high = decoded[0];
                    for (int k = 1; k < decoded.length; k++) {
                        requireNoSlash(pattern, decoded[k]);
                        ranges.add(new int[] {decoded[k], decoded[k]});
                    }
                } else {
                    j = member(pattern, cps, j, open, member);
                    high = member[0];
                }
                requireNoSlash(pattern, high);
                if (high < low) {
                    throw invalid(pattern, "reversed range "
                            + new StringBuilder().appendCodePoint(low).append('-').appendCodePoint(high)
                            + " matches nothing");
                }
            }
            ranges.add(new int[] {low, high});
            first = false;
        }
        int[] flat = new int[ranges.size() * 2];
        for (int k = 0; k < ranges.size(); k++) {
            flat[2 * k] = ranges.get(k)[0];
            flat[2 * k + 1] = ranges.get(k)[1];
        }
        builder.element(new Element(ONE_OF, 0, flat, negated));
        return j;
    }

    /** One set member at cps[j], a character or a \-escaped one, into out[0]; returns the index after it. */
    private static int member(String pattern, int[] cps, int j, int open, int[] out) {
        int c = cps[j];
        if (c == '\\') {
            j++;
            if (j >= cps.length) {
                throw invalid(pattern, "unclosed \"[\" at position " + open);
            }
            c = cps[j];
        }
        out[0] = c;
        return j + 1;
    }

    private static void requireNoSlash(String pattern, int c) {
        if (c == '/') {
            throw invalid(pattern, "\"/\" inside [...] can never match");
        }
    }

    private static InvalidValueException invalid(String pattern, String reason) {
        return new InvalidValueException("invalid pattern \"" + pattern + "\": " + reason);
    }

    /** Whether the pattern matches the whole of {@code name}, of the same kind (abstract or path). */
    /**
     * Whether a name that sock_diag reports as {@code sunPath} (see {@link UnixName#ofSunPath}) can
     * match: false only when it cannot, which is decided from the bytes alone, without decoding
     * the name. A literal pattern's bytes must be the name's bytes; any other pattern's bytes
     * before its first wildcard must begin the name's (a name's text begins with a text exactly
     * when its bytes begin with that text's bytes). Used to drop the listeners no selector can
     * pick before anything is built for them.
     */
    public boolean mayMatchSunPath(byte[] sunPath) {
        int nameStart = abstractNames ? 1 : 0;
        if (abstractNames != (sunPath.length > 0 && sunPath[0] == 0)) {
            return false;
        }
        if (sunPath.length - nameStart < literalPrefix.length) {
            return false;
        }
        for (int i = 0; i < literalPrefix.length; i++) {
            if (sunPath[nameStart + i] != literalPrefix[i]) {
                return false;
            }
        }
        if (literalText == null) {
            return true;
        }
        int end = nameStart + literalPrefix.length;
        // A path's name ends at its NUL; an abstract name is every byte that follows its first.
        return abstractNames ? end == sunPath.length : end == sunPath.length || sunPath[end] == 0;
    }

    public boolean matches(UnixName name) {
        return name.isAbstract() == abstractNames && matchesText(name.text());
    }

    private boolean matchesText(String name) {
        if (literalText != null) {
            return literalText.equals(name);
        }
        int partIndex = 0;
        int from = 0;
        while (true) {
            int slash = name.indexOf('/', from);
            int to = slash < 0 ? name.length() : slash;
            if (partIndex >= parts.length || !matchesPart(parts[partIndex], codePoints(name, from, to))) {
                return false;
            }
            partIndex++;
            if (slash < 0) {
                return partIndex == parts.length;
            }
            from = slash + 1;
        }
    }

    // Greedy matching with one backtrack point: on a mismatch, let the most recent '*' swallow
    // one more character and retry. Earlier stars never need revisiting, because whatever they
    // could absorb instead, the later star can absorb as well.
    private static boolean matchesPart(Element[] elements, int[] text) {
        int p = 0;
        int t = 0;
        int starAt = -1;
        int starText = 0;
        while (t < text.length) {
            if (p < elements.length && elements[p].kind == ANY_RUN) {
                starAt = p;
                starText = t;
                p++;
            } else if (p < elements.length && elements[p].matchesOne(text[t])) {
                p++;
                t++;
            } else if (starAt >= 0) {
                p = starAt + 1;
                starText++;
                t = starText;
            } else {
                return false;
            }
        }
        while (p < elements.length && elements[p].kind == ANY_RUN) {
            p++;
        }
        return p == elements.length;
    }

    /**
     * The pattern that matches exactly {@code name} and nothing else: wildcard and bracket
     * characters and the backslash escaped, control characters and bytes that are not UTF-8
     * written as {@code \xNN}, and a relative path's leading {@code @} escaped so that it cannot
     * read as an abstract name. {@code --list} writes these, so each is a -s value as it stands.
     */
    public static String literalOf(UnixName name) {
        String text = name.text();
        StringBuilder pattern = new StringBuilder(text.length() + 8);
        if (name.isAbstract()) {
            pattern.append('@');
        } else if (text.startsWith("@")) {
            pattern.append('\\');
        }
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                pattern.append('\\').append((char) c);
            } else if (c < 0x20 || c == 0x7f || c >= UnixName.ESCAPED_BYTE_BASE + 0x80
                    && c <= UnixName.ESCAPED_BYTE_BASE + 0xff) {
                int b = c >= UnixName.ESCAPED_BYTE_BASE ? c - UnixName.ESCAPED_BYTE_BASE : c;
                pattern.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            } else {
                pattern.appendCodePoint(c);
            }
        }
        return pattern.toString();
    }

    /** Whether the pattern has no wildcards or brackets, so that it names exactly one socket. */
    public boolean isLiteral() {
        return literalText != null;
    }

    /** The pattern text as given to {@link #compile}. */
    public String pattern() {
        return pattern;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Glob && ((Glob) other).pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static int[] codePoints(String text) {
        return codePoints(text, 0, text.length());
    }

    // '?' must consume a whole character, so names and patterns are compared by code point,
    // not by UTF-16 unit (an emoji is one character, two units).
    private static int[] codePoints(String text, int from, int to) {
        int[] out = new int[to - from];
        int n = 0;
        int i = from;
        while (i < to) {
            int c = text.codePointAt(i);
            out[n++] = c;
            i += Character.charCount(c);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
