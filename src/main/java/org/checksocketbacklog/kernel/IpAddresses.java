package org.checksocketbacklog.kernel;

import org.checksocketbacklog.plugin.InvalidValueException;

/**
 * IPv4 and IPv6 addresses as text, both ways, without java.net.InetAddress: its class initialisation
 * is paid on every start-up, and its parser also accepts host names, which an address option must not.
 */
public final class IpAddresses {
    private static final String V4_MAPPED = "::ffff:";

    private IpAddresses() {
    }

    /** Dotted quad for 4 bytes, RFC 5952 text for 16 ("::1", "fe80::1", "::ffff:127.0.0.1"). */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
        }
        if (isV4Mapped(address)) {
            return "::ffff:" + format(new byte[] {address[12], address[13], address[14], address[15]});
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        // The longest run of two or more zero groups becomes "::" (the first one on a tie).
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /**
     * The IPv4 address that connections to an address in {@link #format} text arrive at: an IPv4
     * address itself, the embedded one of a v4-mapped IPv6 address ("::ffff:127.0.0.1"), which the
     * kernel routes as IPv4; null for any other IPv6 address.
     */
    public static String ipv4Destination(String formatted, boolean ipv6) {
        if (!ipv6) {
            return formatted;
        }
        return formatted.startsWith(V4_MAPPED) && formatted.indexOf('.') > 0 ? formatted.substring(V4_MAPPED.length())
                : null;
    }

    /** Whether an IPv6 address in {@link #format} text is link-local, fe80::/10. */
    public static boolean isLinkLocal(String formatted) {
        int colon = formatted.indexOf(':');
        if (colon != 4) {
            return false; // fe80::/10 has four hex digits before its first colon
        }
        int first = Integer.parseInt(formatted.substring(0, 4), 16);
        return (first & 0xffc0) == 0xfe80;
    }

    static boolean isV4Mapped(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    /** Parses an IPv4 dotted quad or an IPv6 address (with "::" and an IPv4 tail); no host names. */
    public static byte[] parse(String text) {
        byte[] address = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
        if (address == null) {
            throw new InvalidValueException("\"" + text + "\" is not an IPv4 or IPv6 address");
        }
        return address;
    }

    private static byte[] parseV4(String text) {
        byte[] address = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                // No leading zeros: "010" is octal to inet_aton and decimal to others; refuse it.
                if (digits > 0 && value == 0) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && part < 4) {
                address[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? address : null;
    }

    private static byte[] parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] head = gap < 0 ? groups(text) : gap == 0 ? new byte[0] : groups(text.substring(0, gap));
        byte[] tail = gap < 0 ? new byte[0] : gap + 2 == text.length() ? new byte[0] : groups(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int total = head.length + tail.length;
        if (gap < 0 ? total != 16 : total > 14) {
            return null;
        }
        byte[] address = new byte[16];
        System.arraycopy(head, 0, address, 0, head.length);
        System.arraycopy(tail, 0, address, 16 - tail.length, tail.length);
        return address;
    }

    /** "a:b:c" or "a:b:1.2.3.4" as bytes; null when malformed. */
    private static byte[] groups(String text) {
        String[] parts = text.split(":", -1);
        boolean v4Tail = parts[parts.length - 1].indexOf('.') >= 0;
        byte[] bytes = new byte[parts.length * 2 + (v4Tail ? 2 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (v4Tail && i == parts.length - 1) {
                byte[] v4 = parseV4(part);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, bytes, 2 * i, 4);
                continue;
            }
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (digit < 0) {
                    return null;
                }
                value = value << 4 | digit;
            }
            bytes[2 * i] = (byte) (value >> 8);
            bytes[2 * i + 1] = (byte) value;
        }
        return bytes;
    }
}
