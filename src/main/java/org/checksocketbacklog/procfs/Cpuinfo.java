package org.checksocketbacklog.procfs;

import java.nio.file.Path;

/** /proc/cpuinfo, for the CPU count of the documents' basis. */
final class Cpuinfo {
    private Cpuinfo() {
    }

    /**
     * The processors listed, as the original check counted them ({@code grep processor
     * /proc/cpuinfo | wc -l}), but only lines that start with the "processor" key, so that a
     * "model name ... processor" line cannot count twice.
     */
    static int processors(String text, Path file) throws ProcFileException {
        int count = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith("processor", start)) {
                int after = start + "processor".length();
                if (after < end && (text.charAt(after) == ' ' || text.charAt(after) == '\t' || text.charAt(after) == ':')) {
                    count++;
                }
            }
            start = end + 1;
        }
        if (count == 0) {
            throw new ProcFileException(file + " lists no \"processor\" lines; give the CPU count with --cpus N");
        }
        return count;
    }
}
