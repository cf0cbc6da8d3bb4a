package org.checksocketbacklog.testsupport.oracles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Socket inodes of this process's fds, via /proc/self/fd/N, whose link target is
 * {@code socket:[INODE]}: the same inode that sock_diag, ss and /proc/net/unix report.
 */
public final class FdInodes {
    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

    private FdInodes() {
    }

    /** The socket inode behind {@code fd}, if fd is open and is a socket. */
    public static Optional<Long> socketInode(int fd) {
        try {
            Matcher m = SOCKET.matcher(Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd)))
                    .toString());
            return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The socket inode behind {@code fd}, which must be an open socket (one the caller just made). */
    public static long inodeOf(int fd) {
        return socketInode(fd).orElseThrow(() -> new IllegalStateException("fd " + fd + " is not a socket"));
    }

    /** Inodes of all sockets this process has open right now. */
    public static Set<Long> openSocketInodes() {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(p -> {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(p).toString());
                    if (m.matches()) {
                        inodes.add(Long.parseLong(m.group(1)));
                    }
                } catch (IOException e) {
                    // The fd was closed meanwhile (or it was the directory stream's own fd).
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }
}
