package org.checksocketbacklog.procfs;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cgroup v2 paths of cgroup ids, as INET_DIAG_CGROUP_ID gives them for TCP sockets. A cgroup's
 * id is the inode of its directory in the cgroup2 file system, and the kernel offers no lookup by
 * id to an unprivileged user, so the hierarchy is walked, breadth first, until every id asked for
 * is found: what {@code ss --cgroup} does. Any user may read the hierarchy, which is why a socket's
 * cgroup names its service where the holder's descriptors are another user's.
 */
public final class CgroupPaths {
    /** At most this many cgroups are looked at: bounded on any host. */
    static final int MAX_DIRECTORIES = 100_000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private CgroupPaths() {
    }

    /**
     * The cgroup path that the first cgroup2 mount of {@code mountinfo} (/proc/self/mountinfo)
     * shows at its mount point, and that mount point: {"/", "/sys/fs/cgroup"} on a unified host,
     * {"/", "/sys/fs/cgroup/unified"} on a hybrid one; null when none is mounted.
     */
    public static String[] mount(String mountinfo) {
        for (String line : mountinfo.split("\n")) {
            // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            int separator = line.indexOf(" - ");
            if (separator < 0 || !line.startsWith("cgroup2 ", separator + 3)) {
                continue;
            }
            String[] fields = line.substring(0, separator).split(" ");
            if (fields.length >= 5 && fields[3].startsWith("/") && fields[4].startsWith("/")) {
                return new String[] {unescape(fields[3]), unescape(fields[4])};
            }
        }
        return null;
    }

    /** The kernel writes space, tab, newline and backslash in mountinfo as \040, \011, \012, \134. */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static boolean isOctal(String text, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= text.length() || text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /**
     * The path of each of {@code ids} found under {@code mountPoint}, as the cgroup's own processes'
     * /proc/PID/cgroup would write it: {@code root} (the mount's root in the hierarchy) followed by
     * the directory below the mount point. Ids not found within the bounds are left out.
     */
    public static Map<Long, String> find(Path mountPoint, String root, Set<Long> ids, long deadlineNanos) {
        Map<Long, String> paths = new HashMap<>();
        long rootInode = directoryInode(mountPoint);
        if (rootInode < 0) {
            return paths;
        }
        // Every cgroup has the same interface files (cgroup.procs, memory.max, ...), and a stat is
        // most of the cost of a walk: a name seen once as a file is not looked at again, so a host
        // with thousands of cgroups costs a stat per cgroup, not per file. A cgroup named like an
        // interface file could be missed; then its sockets are named by nothing, never wrongly.
        Set<String> files = new HashSet<>();
        ArrayDeque<Path> queue = new ArrayDeque<>();
        ArrayDeque<Long> inodes = new ArrayDeque<>();
        queue.add(mountPoint);
        inodes.add(rootInode);
        int looked = 0;
        while (!queue.isEmpty() && paths.size() < ids.size() && looked++ < MAX_DIRECTORIES
                && System.nanoTime() - deadlineNanos < 0) {
            Path directory = queue.poll();
            long inode = inodes.poll();
            if (ids.contains(inode)) {
                String below = mountPoint.relativize(directory).toString();
                paths.put(inode, below.isEmpty() ? root : root.equals("/") ? "/" + below : root + "/" + below);
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (files.contains(name)) {
                        continue;
                    }
                    long child = directoryInode(entry);
                    if (child < 0) {
                        files.add(name);
                    } else {
                        queue.add(entry);
                        inodes.add(child);
                    }
                }
            } catch (IOException | DirectoryIteratorException e) {
                // removed while being walked: its children are gone with it
            }
        }
        return paths;
    }

    /** The inode of {@code path} if it is a directory (a cgroup), else -1; one stat. */
    private static long directoryInode(Path path) {
        try {
            Map<String, Object> stat = Files.readAttributes(path, "unix:ino,mode", LinkOption.NOFOLLOW_LINKS);
            return (((Number) stat.get("mode")).intValue() & S_IFMT) == S_IFDIR ? ((Number) stat.get("ino")).longValue()
                    : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
