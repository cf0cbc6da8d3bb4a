package org.checksocketbacklog.testsupport.oracles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads integer sysctls of this process's network namespace from /proc/sys.
 *
 * <p>Do not use {@code Files.readString} here: /proc/sys files report size 0, so the JDK first
 * reads a single byte and then continues at offset 1, and the kernel's integer handlers
 * (proc_dointvec) return EOF for any read at a non-zero offset. The result is the first digit
 * only ("4" for 4096). One large read at offset 0 gets the whole value.
 */
public final class Sysctl {
    private Sysctl() {
    }

    /** {@code net.core.somaxconn}: listen() caps the backlog at this, per network namespace. */
    public static int somaxconn() {
        return readInt(Path.of("/proc/sys/net/core/somaxconn"));
    }

    public static int readInt(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64];
            int n = in.read(buf); // a single read at offset 0, see the class comment
            if (n <= 0) {
                throw new IllegalStateException("empty " + file);
            }
            return Integer.parseInt(new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
