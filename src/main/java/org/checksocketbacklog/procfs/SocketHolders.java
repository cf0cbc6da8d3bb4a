package org.checksocketbacklog.procfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes that hold given sockets: each /proc/PID/fd/N link that reads "socket:[INODE]".
 * What ss -p does, for the few sockets the output describes, and only when it describes some.
 * Another user's descriptors cannot be read unless the check runs as root: those processes are
 * counted, never guessed at.
 */
public final class SocketHolders {
    /** At most this many processes are looked at: bounded on any host. */
    static final int MAX_PROCESSES = 100_000;
    /** At most this many holders are kept a socket (forked workers all hold the listener). */
    static final int MAX_HOLDERS = 16;

    private SocketHolders() {
    }

    /** One process holding a socket, as /proc shows it. */
    public record Holder(long pid, String command, String cgroup) {
    }

    /**
     * @param byInode    the holders of each socket asked about that has any
     * @param unreadable processes whose fd directory could not be read
     * @param unscanned  processes not looked at because the deadline came first
     */
    public record Found(Map<Long, List<Holder>> byInode, int unreadable, int unscanned) {
    }

    /**
     * @param deadlineNanos when to stop looking (System.nanoTime): a host with hundreds of thousands
     *                      of descriptors costs about 10 microseconds each to read
     */
    public static Found find(Path proc, Set<Long> inodes, long deadlineNanos) {
        Map<Long, List<Holder>> byInode = new LinkedHashMap<>();
        int unreadable = 0;
        int unscanned = 0;
        int seen = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc)) {
            for (Path process : processes) {
                long pid = ProcText.decimal(process.getFileName().toString());
                if (pid < 0) {
                    continue;
                }
                if (++seen > MAX_PROCESSES || System.nanoTime() - deadlineNanos > 0) {
                    unscanned++;
                    continue;
                }
                List<Long> held = null;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        long inode = socketInode(fd);
                        if (inode >= 0 && inodes.contains(inode)) {
                            if (held == null) {
                                held = new ArrayList<>(1);
                            }
                            if (!held.contains(inode)) {
                                held.add(inode);
                            }
                        }
                    }
                } catch (AccessDeniedException e) {
                    unreadable++;
                    continue;
                } catch (IOException | DirectoryIteratorException e) {
                    continue; // the process ended while being read
                }
                if (held != null) {
                    Holder holder = new Holder(pid, text(process.resolve("comm")),
                            text(process.resolve("cgroup")));
                    for (long inode : held) {
                        List<Holder> holders = byInode.get(inode);
                        if (holders == null) {
                            holders = new ArrayList<>(1);
                            byInode.put(inode, holders);
                        }
                        if (holders.size() < MAX_HOLDERS) {
                            holders.add(holder);
                        }
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // What was seen is what there is.
        }
        return new Found(byInode, unreadable, unscanned);
    }

    /** The inode of a "socket:[INODE]" descriptor link, or -1. */
    private static long socketInode(Path fd) {
        String target;
        try {
            target = Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
        if (!target.startsWith("socket:[") || !target.endsWith("]")) {
            return -1;
        }
        String digits = target.substring("socket:[".length(), target.length() - 1);
        return ProcText.decimal(digits);
    }

    private static String text(Path file) {
        try {
            String text = Files.readString(file);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
