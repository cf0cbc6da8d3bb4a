package org.checksocketbacklog.plugin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shell-style patterns for socket names: {@code *} matches any run of characters and {@code ?}
 * any one character, neither crossing a {@code /}; {@code [abc]}, {@code [a-z]},
 * {@code [!a-z]} and {@code [^a-z]} match one character from (or not from) a set; {@code \}
 * makes the next character literal, inside brackets too. A {@code ]} right after the opening
 * {@code [} (or {@code [!}, {@code [^}) is a member, and {@code -} first or last is a member,
 * as in POSIX fnmatch. A leading dot has no special meaning.
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
    private final Element[][] parts;
    private final String literalText;

    private Glob(String pattern, Element[][] parts, String literalText) {
        this.pattern = pattern;
        this.parts = parts;
        this.literalText = literalText;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException for a malformed pattern, with a message that quotes it
     *     and says what is wrong
     */
    public static Glob compile(String pattern) {
        if (pattern == null) {
            throw new IllegalArgumentException("missing pattern");
        }
        if (pattern.isEmpty()) {
            throw invalid(pattern, "empty pattern");
        }
        int[] cps = codePoints(pattern);
        List<Element[]> parts = new ArrayList<>();
        List<Element> part = new ArrayList<>();
        StringBuilder literal = new StringBuilder(pattern.length());
        boolean isLiteral = true;
        int i = 0;
        while (i < cps.length) {
            int c = cps[i];
            if (c == '\\') {
                if (i + 1 == cps.length) {
                    throw invalid(pattern, "trailing backslash escapes nothing");
                }
                c = cps[i + 1];
                i += 2;
                if (c == '/') {
                    parts.add(part.toArray(new Element[0]));
                    part.clear();
                } else {
                    part.add(new Element(LITERAL, c, null, false));
                }
                literal.appendCodePoint(c);
            } else if (c == '*') {
                isLiteral = false;
                // Adjacent stars match what one star matches; keeping one keeps the work bound.
                if (part.isEmpty() || part.get(part.size() - 1).kind != ANY_RUN) {
                    part.add(new Element(ANY_RUN, 0, null, false));
                }
                i++;
            } else if (c == '?') {
                isLiteral = false;
                part.add(new Element(ANY_ONE, 0, null, false));
                i++;
            } else if (c == '[') {
                isLiteral = false;
                i = bracket(pattern, cps, i, part);
            } else if (c == '/') {
                parts.add(part.toArray(new Element[0]));
                part.clear();
                literal.append('/');
                i++;
            } else {
                part.add(new Element(LITERAL, c, null, false));
                literal.appendCodePoint(c);
                i++;
            }
        }
        parts.add(part.toArray(new Element[0]));
        return new Glob(pattern, parts.toArray(new Element[0][]), isLiteral ? literal.toString() : null);
    }

    // Parses the bracket expression opening at cps[open]; adds its element and returns the
    // index just past the closing ']'.
    private static int bracket(String pattern, int[] cps, int open, List<Element> part) {
        int j = open + 1;
        boolean negated = false;
        if (j < cps.length && (cps[j] == '!' || cps[j] == '^')) {
            negated = true;
            j++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (j >= cps.length) {
                throw invalid(pattern, "unclosed \"[\" at position " + open);
            }
            int c = cps[j];
            if (c == ']' && !first) {
                j++;
                break;
            }
            if (c == '[' && j + 1 < cps.length && (cps[j + 1] == ':' || cps[j + 1] == '.' || cps[j + 1] == '=')) {
                throw invalid(pattern, "POSIX classes such as [:alpha:] are not supported"
                        + " (escape the \"[\" to match it literally)");
            }
            if (c == '\\') {
                j++;
                if (j >= cps.length) {
                    throw invalid(pattern, "unclosed \"[\" at position " + open);
                }
                c = cps[j];
            }
            requireNoSlash(pattern, c);
            j++;
            int high = c;
            if (j + 1 < cps.length && cps[j] == '-' && cps[j + 1] != ']') {
                j++;
                high = cps[j];
                if (high == '\\') {
                    j++;
                    if (j >= cps.length) {
                        throw invalid(pattern, "unclosed \"[\" at position " + open);
                    }
                    high = cps[j];
                }
                requireNoSlash(pattern, high);
                if (high < c) {
                    throw invalid(pattern, "reversed range "
                            + new StringBuilder().appendCodePoint(c).append('-').appendCodePoint(high)
                            + " matches nothing");
                }
                j++;
            }
            ranges.add(new int[] {c, high});
            first = false;
        }
        int[] flat = new int[ranges.size() * 2];
        for (int k = 0; k < ranges.size(); k++) {
            flat[2 * k] = ranges.get(k)[0];
            flat[2 * k + 1] = ranges.get(k)[1];
        }
        part.add(new Element(ONE_OF, 0, flat, negated));
        return j;
    }

    private static void requireNoSlash(String pattern, int c) {
        if (c == '/') {
            throw invalid(pattern, "\"/\" inside [...] can never match");
        }
    }

    private static IllegalArgumentException invalid(String pattern, String reason) {
        return new IllegalArgumentException("invalid pattern " + Texts.quoted(pattern) + ": " + reason);
    }

    /** Whether the whole of {@code name} matches the pattern. */
    public boolean matches(String name) {
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

    /** Whether the pattern has no wildcards or brackets, so that it matches exactly one name. */
    public boolean isLiteral() {
        return literalText != null;
    }

    /**
     * The one name a literal pattern matches, with escapes removed ({@code a\*b} gives
     * {@code a*b}).
     *
     * @throws IllegalStateException if the pattern is not literal
     */
    public String literalText() {
        if (literalText == null) {
            throw new IllegalStateException("pattern " + Texts.quoted(pattern) + " is not literal");
        }
        return literalText;
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
