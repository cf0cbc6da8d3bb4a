package org.checksocketbacklog.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private copy of target/dist in a 755 temp directory: every user (nobody included) can run it,
 * and a test may change its jar or archives without touching the build's own dist.
 */
final class DistCopy implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("dist.dir", "target/dist"));

    final Path root;

    DistCopy() throws IOException {
        root = Files.createTempDirectory("csb-dist");
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : files.toList()) {
                Path target = root.resolve(DIST.relativize(source).toString());
                if (Files.isSymbolicLink(source)) {
                    // cds/KEY.path points at the jar the archive was trained with: the build's jar, so
                    // in the copy it no longer matches, as after moving an installation.
                    Files.createSymbolicLink(target, Files.readSymbolicLink(source));
                    continue;
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                        Files.isDirectory(source) || Files.isExecutable(source) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Path launcher() {
        return root.resolve("check_socket_backlog");
    }

    Path jar() {
        return root.resolve("lib/check-socket-backlog.jar");
    }

    Path cds() {
        return root.resolve("cds");
    }

    /** Drops the build's archives, whose links point at the build's jar. */
    DistCopy withoutArchives() throws IOException {
        delete(cds());
        return this;
    }

    @Override
    public void close() throws IOException {
        delete(root);
    }

    private static void delete(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
