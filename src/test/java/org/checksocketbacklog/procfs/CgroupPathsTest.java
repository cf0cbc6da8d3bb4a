package org.checksocketbacklog.procfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TCP socket's cgroup id (INET_DIAG_CGROUP_ID) to the cgroup's path, as ss --cgroup finds it. */
class CgroupPathsTest {
    @TempDir
    Path hierarchy;

    private static final String HYBRID = ""
            + "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
            + "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
            + "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

    @Test
    void theMountIsTheFirstCgroup2OneWhereverItIs() {
        assertArrayEquals(new String[] {"/", "/sys/fs/cgroup/unified"}, CgroupPaths.mount(HYBRID), "hybrid host");
        assertArrayEquals(new String[] {"/", "/sys/fs/cgroup"}, CgroupPaths.mount(
                "25 21 0:22 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"),
                "unified host, with an optional field before the separator");
        assertArrayEquals(new String[] {"/system.slice/x.service", "/mnt/cg root"}, CgroupPaths.mount(
                "99 1 0:22 /system.slice/x.service /mnt/cg\\040root rw - cgroup2 none rw\n"),
                "a bind mount of a subtree, its mount point's space escaped as the kernel writes it");
        assertNull(CgroupPaths.mount("31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"), "v1 only");
        assertNull(CgroupPaths.mount("garbage\n\n - cgroup2\n"), "nothing usable");
    }

    private static long inode(Path directory) throws IOException {
        return ((Number) Files.getAttribute(directory, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void eachIdIsTheInodeOfItsCgroupsDirectory() throws IOException {
        Path service = Files.createDirectories(hierarchy.resolve("system.slice/nginx.service"));
        Path worker = Files.createDirectories(service.resolve("worker"));
        Files.writeString(hierarchy.resolve("system.slice/cgroup.procs"), "");
        Files.writeString(service.resolve("memory.max"), "max\n");
        Map<Long, String> paths = CgroupPaths.find(hierarchy, "/",
                Set.of(inode(service), inode(worker), inode(hierarchy), 987654321L), System.nanoTime() + 5_000_000_000L);
        assertEquals("/system.slice/nginx.service", paths.get(inode(service)));
        assertEquals("/system.slice/nginx.service/worker", paths.get(inode(worker)));
        assertEquals("/", paths.get(inode(hierarchy)), "the root cgroup");
        assertEquals(3, paths.size(), "an id that no directory has is left out: " + paths);
    }

    @Test
    void belowABindMountTheMountsRootLeadsThePath() throws IOException {
        Path worker = Files.createDirectories(hierarchy.resolve("worker"));
        assertEquals(Map.of(inode(worker), "/system.slice/x.service/worker"), CgroupPaths.find(hierarchy,
                "/system.slice/x.service", Set.of(inode(worker)), System.nanoTime() + 5_000_000_000L));
    }

    @Test
    void aPassedDeadlineLooksAtNothing() throws IOException {
        Path service = Files.createDirectories(hierarchy.resolve("a.service"));
        assertEquals(Map.of(), CgroupPaths.find(hierarchy, "/", Set.of(inode(service)), System.nanoTime() - 1));
    }

    @Test
    void aMissingHierarchyFindsNothing() {
        assertEquals(Map.of(), CgroupPaths.find(hierarchy.resolve("gone"), "/", Set.of(1L),
                System.nanoTime() + 5_000_000_000L));
    }
}
