package org.checksocketbacklog.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The /proc files the check reads, under a root that tests (and {@code PROC_ROOT}-style debugging)
 * can point elsewhere.
 */
public final class ProcFiles {
    private final Path root;

    public ProcFiles(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path somaxconnPath() {
        return root.resolve("sys/net/core/somaxconn");
    }

    public Path cpuinfoPath() {
        return root.resolve("cpuinfo");
    }

    public Path netUnixPath() {
        return root.resolve("net/unix");
    }

    /** net.core.somaxconn of this network namespace: the cap listen() puts on every backlog. */
    public int somaxconn() throws KernelReadException {
        Path path = somaxconnPath();
        String text = read(path).trim();
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new KernelReadException(path + " holds \"" + text + "\", not a non-negative number");
        }
    }

    /**
     * The processors listed in /proc/cpuinfo, as the original check counted them
     * ({@code grep processor /proc/cpuinfo | wc -l}), but only lines that start with the
     * "processor" key, so that a "model name ... processor" line cannot count twice.
     */
    public int cpuinfoProcessors() throws KernelReadException {
        Path path = cpuinfoPath();
        String text = read(path);
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
            throw new KernelReadException(path + " lists no \"processor\" lines; give the CPU count with --cpus N");
        }
        return count;
    }

    public ProcNetUnix netUnix() throws KernelReadException {
        return ProcNetUnix.parse(read(netUnixPath()));
    }

    static String read(Path path) throws KernelReadException {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KernelReadException("cannot read " + path + ": no such file (is /proc mounted?)");
        } catch (AccessDeniedException e) {
            throw new KernelReadException("cannot read " + path + ": permission denied");
        } catch (IOException e) {
            throw new KernelReadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
