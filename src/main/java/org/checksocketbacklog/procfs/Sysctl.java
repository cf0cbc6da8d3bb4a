package org.checksocketbacklog.procfs;

import java.nio.file.Path;

/** A /proc/sys file that holds one number, as net.core.somaxconn does. */
final class Sysctl {
    private Sysctl() {
    }

    /** The file's one non-negative decimal number, surrounding white space allowed. */
    static int number(String text, Path file) throws ProcFileException {
        String trimmed = text.trim();
        long value = ProcText.decimal(trimmed);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ProcFileException(file + " holds \"" + trimmed + "\", not a non-negative number");
        }
        return (int) value;
    }
}
