package org.checksocketbacklog.kernel;

import java.util.Arrays;

/**
 * An AF_UNIX socket name as the kernel holds it: bytes, not text. Either a path (the kernel keeps
 * it up to its first NUL) or an abstract name (a leading NUL, then any bytes, NULs included).
 *
 * <p>Two names are equal when their bytes are. For selection and ordering the name also has a
 * {@link #text()}: the bytes decoded as UTF-8, each byte that is not part of valid UTF-8 standing
 * for itself as one of the code points U+DC80..U+DCFF (the "surrogateescape" of PEP 383). No valid
 * UTF-8 decodes to those, so the text is as injective as the bytes, and names that differ only in
 * invalid bytes stay apart where a decoder with U+FFFD would merge them.
 */
public final class UnixName implements Comparable<UnixName> {
    /** A lone low surrogate U+DC00+b stands for the raw byte b (see {@link #decode}). */
    public static final int ESCAPED_BYTE_BASE = 0xDC00;

    private final boolean abstractName;
    /** The path's bytes, or the abstract name's bytes after its leading NUL. */
    private final byte[] bytes;
    private final String text;
    /** The text as written and sorted: "@" and the text for an abstract name (kept, as sorting compares it often). */
    private final String written;

    private UnixName(boolean abstractName, byte[] bytes) {
        this.abstractName = abstractName;
        this.bytes = bytes;
        this.text = decode(bytes, 0, bytes.length);
        this.written = abstractName ? "@" + text : text;
    }

    /**
     * The name in sock_diag's UNIX_DIAG_NAME: {@code sun_path} as bound, exactly addr_len - 2 bytes.
     * An abstract name is "\0name" (more NULs may follow, they are part of it); a path name carries
     * its terminating NUL, which is not.
     */
    public static UnixName ofSunPath(byte[] sunPath) {
        if (sunPath.length > 0 && sunPath[0] == 0) {
            return new UnixName(true, Arrays.copyOfRange(sunPath, 1, sunPath.length));
        }
        int length = 0;
        while (length < sunPath.length && sunPath[length] != 0) {
            length++;
        }
        return new UnixName(false, Arrays.copyOf(sunPath, length));
    }

    /**
     * A name as /proc/net/unix prints it, one char per byte (ISO-8859-1): "@name" for an abstract
     * name, whose NULs the kernel prints as '@' too, so that is what the bytes hold here; a path as is.
     * The file cannot tell a relative path beginning with '@' from an abstract name.
     */
    public static UnixName ofProcText(String latin1) {
        byte[] all = new byte[latin1.length()];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) latin1.charAt(i);
        }
        if (all.length > 0 && all[0] == '@') {
            return new UnixName(true, Arrays.copyOfRange(all, 1, all.length));
        }
        return new UnixName(false, all);
    }

    public boolean isAbstract() {
        return abstractName;
    }

    /**
     * The name as text for matching and ordering, without the abstract marker: the path, or what
     * follows the abstract name's leading NUL (inner NULs stay U+0000). Undecodable bytes are
     * U+DC80..U+DCFF.
     */
    public String text() {
        return text;
    }

    /**
     * The name as the operator reads and writes it: "@name" for an abstract name, the path
     * otherwise, where a path that itself begins with '@' (a relative path) shows that '@' as the
     * escaped byte U+DC40 so that it cannot pass for an abstract name. Still raw: control
     * characters and escaped bytes are for the output's sanitizer to make visible.
     */
    public String displayText() {
        if (abstractName) {
            return written;
        }
        if (!text.isEmpty() && text.charAt(0) == '@') {
            return (char) (ESCAPED_BYTE_BASE + '@') + text.substring(1);
        }
        return text;
    }

    /**
     * The bytes a perfdata label encodes: '@' and the abstract name's bytes, or the path's bytes.
     * A path that does not begin with '/' (relative, as bind() allows) is prefixed with "./", so
     * that no unix label can equal a TCP one ("tcp4/127.0.0.1/80") or an abstract one ("@x"): the
     * images of the three kinds start with '/' or '.', '@', and 't'.
     */
    public byte[] labelBytes() {
        if (abstractName) {
            byte[] label = new byte[bytes.length + 1];
            label[0] = '@';
            System.arraycopy(bytes, 0, label, 1, bytes.length);
            return label;
        }
        if (bytes.length > 0 && bytes[0] == '/') {
            return bytes.clone();
        }
        byte[] label = new byte[bytes.length + 2];
        label[0] = '.';
        label[1] = '/';
        System.arraycopy(bytes, 0, label, 2, bytes.length);
        return label;
    }

    /**
     * The name as the kernel prints it in /proc/net/unix (unix_seq_show), one char per byte: a
     * path as is, an abstract name as '@' followed by its bytes with every NUL printed as '@'.
     */
    public String procText() {
        StringBuilder printed = new StringBuilder(bytes.length + 1);
        if (abstractName) {
            printed.append('@');
        }
        for (byte b : bytes) {
            printed.append(b == 0 ? '@' : (char) (b & 0xff));
        }
        return printed.toString();
    }

    /**
     * UTF-8 decoding that loses nothing: a valid sequence (shortest form, no surrogates, at most
     * U+10FFFF) becomes its code point, and every other byte b becomes U+DC00+b.
     */
    public static String decode(byte[] bytes, int from, int to) {
        StringBuilder text = null;
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                if (text != null) {
                    text.append((char) b);
                }
                i++;
                continue;
            }
            if (text == null) {
                text = new StringBuilder(to - from + 8);
                for (int j = from; j < i; j++) {
                    text.append((char) bytes[j]);
                }
            }
            int length = sequenceLength(bytes, i, to);
            if (length == 0) {
                text.append((char) (ESCAPED_BYTE_BASE + b));
                i++;
                continue;
            }
            int codePoint = b & (0xff >> (length + 1));
            for (int j = 1; j < length; j++) {
                codePoint = codePoint << 6 | bytes[i + j] & 0x3f;
            }
            text.appendCodePoint(codePoint);
            i += length;
        }
        if (text == null) {
            // Pure ASCII: the common case, no builder.
            char[] chars = new char[to - from];
            for (int j = from; j < to; j++) {
                chars[j - from] = (char) bytes[j];
            }
            return new String(chars);
        }
        return text.toString();
    }

    /** The length of the valid UTF-8 sequence of 2 to 4 bytes starting at i, or 0 if there is none. */
    private static int sequenceLength(byte[] bytes, int i, int to) {
        int b = bytes[i] & 0xff;
        int length;
        int secondMin = 0x80;
        int secondMax = 0xbf;
        if (b >= 0xc2 && b <= 0xdf) {
            length = 2;
        } else if (b >= 0xe0 && b <= 0xef) {
            length = 3;
            if (b == 0xe0) {
                secondMin = 0xa0; // no overlong forms
            } else if (b == 0xed) {
                secondMax = 0x9f; // no surrogates
            }
        } else if (b >= 0xf0 && b <= 0xf4) {
            length = 4;
            if (b == 0xf0) {
                secondMin = 0x90;
            } else if (b == 0xf4) {
                secondMax = 0x8f; // at most U+10FFFF
            }
        } else {
            return 0;
        }
        if (i + length > to) {
            return 0;
        }
        int second = bytes[i + 1] & 0xff;
        if (second < secondMin || second > secondMax) {
            return 0;
        }
        for (int j = 2; j < length; j++) {
            int next = bytes[i + j] & 0xff;
            if (next < 0x80 || next > 0xbf) {
                return 0;
            }
        }
        return length;
    }

    /**
     * The inverse of {@link #decode}: U+DC00..U+DCFF back to their byte, everything else to UTF-8.
     * For command-line text that stands for raw bytes (a -s pattern read back from the kernel's argv).
     */
    public static byte[] encode(String text) {
        byte[] out = new byte[text.length() * 3];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int codePoint = c;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, text.charAt(i + 1));
                i++;
            } else if (c >= ESCAPED_BYTE_BASE && c <= ESCAPED_BYTE_BASE + 0xff) {
                out[n++] = (byte) (c - ESCAPED_BYTE_BASE);
                continue;
            }
            if (codePoint < 0x80) {
                out[n++] = (byte) codePoint;
            } else if (codePoint < 0x800) {
                out[n++] = (byte) (0xc0 | codePoint >> 6);
                out[n++] = (byte) (0x80 | codePoint & 0x3f);
            } else if (codePoint < 0x10000) {
                out[n++] = (byte) (0xe0 | codePoint >> 12);
                out[n++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | codePoint & 0x3f);
            } else {
                out[n++] = (byte) (0xf0 | codePoint >> 18);
                out[n++] = (byte) (0x80 | codePoint >> 12 & 0x3f);
                out[n++] = (byte) (0x80 | codePoint >> 6 & 0x3f);
                out[n++] = (byte) (0x80 | codePoint & 0x3f);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** By the name as written ("@name" or the path), as a String orders it; a path before an equal abstract one. */
    @Override
    public int compareTo(UnixName other) {
        int order = written.compareTo(other.written);
        return order != 0 ? order : Boolean.compare(abstractName, other.abstractName);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UnixName && ((UnixName) other).abstractName == abstractName
                && Arrays.equals(((UnixName) other).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + (abstractName ? 1 : 0);
    }

    @Override
    public String toString() {
        return displayText();
    }
}
