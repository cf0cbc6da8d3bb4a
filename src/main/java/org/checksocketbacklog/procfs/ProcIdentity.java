package org.checksocketbacklog.procfs;

import java.nio.file.Path;

/**
 * What says which boot, which network namespace and which user a reading belongs to: the boot id,
 * the namespace link, the effective uid. Text in, value out.
 */
final class ProcIdentity {
    private ProcIdentity() {
    }

    /** A boot id as the kernel prints it: a UUID, 36 lowercase hex digits and dashes. */
    static boolean isBootId(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** "net:[" decimal digits "]", the target of a /proc/PID/ns/net link. */
    static boolean isNamespaceLink(String text) {
        if (!text.startsWith("net:[") || !text.endsWith("]") || text.length() < 7 || text.length() > 26) {
            return false;
        }
        for (int i = 5; i < text.length() - 1; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The effective uid: the second of the four numbers on the "Uid:" line of /proc/PID/status. */
    static long effectiveUid(String status, Path file) throws ProcFileException {
        int start = status.startsWith("Uid:") ? 0 : status.indexOf("\nUid:") + 1;
        if (start == 0 && !status.startsWith("Uid:")) {
            throw new ProcFileException(file + " has no Uid line");
        }
        int end = status.indexOf('\n', start);
        String line = status.substring(start, end < 0 ? status.length() : end);
        // "Uid:" then real, effective, saved and file-system uids, separated by tabs.
        long[] uids = new long[4];
        int count = 0;
        int i = 4;
        while (i < line.length()) {
            while (i < line.length() && (line.charAt(i) == '\t' || line.charAt(i) == ' ')) {
                i++;
            }
            int from = i;
            while (i < line.length() && line.charAt(i) != '\t' && line.charAt(i) != ' ') {
                i++;
            }
            if (i > from) {
                if (count == uids.length) {
                    count++;
                    break;
                }
                uids[count++] = ProcText.decimal(line.substring(from, i));
            }
        }
        if (count != 4 || uids[1] < 0 || uids[1] > 0xFFFFFFFFL) {
            throw new ProcFileException(file + " has a malformed Uid line: \"" + line + "\"");
        }
        return uids[1];
    }
}
