package org.checksocketbacklog.testsupport.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.testsupport.libc.ErrnoException;
import org.checksocketbacklog.testsupport.libc.TestLibc;

/**
 * What a close() could not release. Every step is attempted even when an earlier one failed, so
 * that one stuck socket does not leak all the others, and the failures are reported together at
 * the end.
 */
public final class Cleanup {
    private final List<String> problems = new ArrayList<>();

    public void closeFd(int fd) {
        try {
            TestLibc.close(fd);
        } catch (ErrnoException e) {
            problems.add("close(" + fd + "): errno " + e.errno());
        }
    }

    public void deleteIfExists(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            problems.add("cannot delete " + path + ": " + e);
        }
    }

    /** Runs one step (a nested close, a bounded wait); if it throws, its message is recorded. */
    public void run(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
    }

    public void add(String problem) {
        problems.add(problem);
    }

    /** @throws IllegalStateException listing every problem, if there was one */
    public void throwIfAny(String what) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException(what + ": " + problems);
        }
    }
}
