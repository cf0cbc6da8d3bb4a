package org.checksocketbacklog.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One check's state file, {@code <root>/<euid>/check_socket_backlog/<key file>}, as the Monitoring
 * Plugins C library laid state out, held under a lock from before the counters are read until the
 * new ones are written: so two runs of one check at once are serialised, and the second measures
 * from the first, with nothing counted twice or lost.
 *
 * <p>The per-user directories are made 0700 and must stay that way: a directory or file that is a
 * symbolic link, belongs to another user or can be written by others is refused, so that no other
 * local user can swap the file the check trusts. The file is written 0600, whole, to a temporary
 * file that is synced and then renamed over the old one: a reader sees the old file or the new
 * one, never half of one.
 */
public final class StateStore implements AutoCloseable {
    static final String PLUGIN_DIRECTORY = "check_socket_backlog";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** S_ISVTX in st_mode. */
    private static final int STICKY = 01000;
    /** How often a run that finds the lock held looks again. */
    private static final long LOCK_POLL_MILLIS = 10;

    private final Path file;
    private final long euid;
    private final String key;
    private final Path lockFile;
    private final Object lockIdentity;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateStore(Path file, long euid, String key, Path lockFile, Object lockIdentity, FileChannel lockChannel,
            FileLock lock) {
        this.file = file;
        this.euid = euid;
        this.key = key;
        this.lockFile = lockFile;
        this.lockIdentity = lockIdentity;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the state of the check {@code key} and takes its lock, waiting for another run of the
     * same check at most until {@code deadlineNanos} (System.nanoTime).
     *
     * @throws StateException when the directories cannot be made or are not safe, or the lock is
     *                        not free in time: the message says what to do
     */
    public static StateStore open(Path root, long euid, String key, long deadlineNanos) throws StateException {
        requireSafeRoot(root, euid);
        Path directory = privateDirectory(privateDirectory(root.resolve(Long.toString(euid)), euid)
                .resolve(PLUGIN_DIRECTORY), euid);
        String name = StateKey.fileName(key);
        Path lockFile = directory.resolve(name + ".lock");
        while (true) {
            // The lock protects the state only while its file is the one at this path: a lock file
            // removed (by hand, or by a clean-up of old files) and made again by another run would
            // let two runs in at once. So the path's inode is compared before and after locking.
            Object before = regularFileKey(lockFile, euid);
            FileChannel channel;
            try {
                channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), FILE_MODE);
            } catch (IOException e) {
                throw new StateException("cannot open the state lock " + lockFile + ": " + reason(e), e);
            }
            try {
                if (before == null) {
                    before = regularFileKey(lockFile, euid);
                }
                FileLock lock = lock(channel, lockFile, deadlineNanos);
                if (before != null && before.equals(regularFileKey(lockFile, euid))) {
                    return new StateStore(directory.resolve(name), euid, key, lockFile, before, channel, lock);
                }
                closeQuietly(channel); // replaced under us: lock the new one
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new StateException("the state lock " + lockFile + " keeps being replaced; is something "
                            + "removing files in " + directory + "?");
                }
            } catch (StateException | RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
    }

    /**
     * The directory given must let no other user replace what this check makes in it: if others
     * may write to it, the sticky bit must keep them from renaming or removing entries that are not
     * theirs (as in /tmp and in the package's /var/lib/check-socket-backlog, 1775 root:nagios), and
     * it must belong to root or to this user (the owner of a directory may rename anything in it).
     */
    private static void requireSafeRoot(Path root, long euid) throws StateException {
        if (!root.isAbsolute()) {
            throw new StateException("the state directory \"" + root + "\" is not an absolute path; give one that is");
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(root, PosixFileAttributes.class);
            if (!attributes.isDirectory()) {
                throw new StateException("the state directory " + root + " is not a directory");
            }
            Set<PosixFilePermission> permissions = attributes.permissions();
            boolean othersWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE);
            long owner = ((Number) Files.getAttribute(root, "unix:uid")).longValue();
            int mode = ((Number) Files.getAttribute(root, "unix:mode")).intValue();
            if (owner != 0 && owner != euid) {
                throw new StateException("the state directory " + root + " belongs to uid " + owner + ", who could "
                        + "replace this check's state; use one that belongs to root or to uid " + euid);
            }
            if (othersWrite && (mode & STICKY) == 0) {
                throw new StateException("the state directory " + root + " can be written by others without the "
                        + "sticky bit, so they could replace this check's state; chmod +t it, or use a directory only "
                        + "uid " + euid + " can write");
            }
        } catch (NoSuchFileException e) {
            throw new StateException("the state directory " + root + " does not exist; create it, writable by the user "
                    + "the check runs as (uid " + euid + "), or give another with --state-dir", e);
        } catch (IOException e) {
            throw new StateException("cannot check the state directory " + root + ": " + reason(e), e);
        }
    }

    /**
     * The identity (device, inode) of the regular file at {@code path}, or null when there is none;
     * checked before the file is opened, so that a FIFO or a device in its place cannot block the
     * open, and a file of another user is refused.
     */
    private static Object regularFileKey(Path path, long euid) throws StateException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StateException("cannot check " + path + ": " + reason(e), e);
        }
        if (!attributes.isRegularFile()) {
            throw new StateException(path + " is not a regular file (" + (attributes.isSymbolicLink() ? "a symbolic link"
                    : attributes.isDirectory() ? "a directory" : "a FIFO, socket or device") + "); move it away");
        }
        requireOwnFile(path, euid);
        return attributes.fileKey();
    }

    private static FileLock lock(FileChannel channel, Path lockFile, long deadlineNanos) throws StateException {
        long started = System.nanoTime();
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // Another thread of this process holds it (tests do that): as good as another run.
            } catch (IOException e) {
                throw new StateException("cannot lock " + lockFile + ": " + reason(e), e);
            }
            if (System.nanoTime() + LOCK_POLL_MILLIS * 1_000_000 - deadlineNanos > 0) {
                throw new StateException("another run of this check has held its state lock " + lockFile + " for "
                        + (System.nanoTime() - started) / 1_000_000 + " ms, up to -t; is one hanging?");
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateException("interrupted while waiting for the state lock " + lockFile, e);
            }
        }
    }

    /** The previous run's counters: none on the first run, or the file's reason for being unusable. */
    public PreviousState previous() throws StateException {
        if (regularFileKey(file, euid) == null) {
            return PreviousState.NONE;
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (channel.size() > CounterState.MAX_BYTES) {
                throw new StateException("the state file " + file + " is " + channel.size() + " bytes, not one of this "
                        + "plugin's (at most " + CounterState.MAX_BYTES + "); move it away");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size() + 1);
            while (channel.read(buffer) > 0 && buffer.hasRemaining()) {
                // Read to the end; /proc-like short reads cannot happen on a regular file, but cost nothing.
            }
            if (buffer.position() > CounterState.MAX_BYTES) {
                throw new StateException("the state file " + file + " grew while being read; move it away");
            }
            bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
        } catch (NoSuchFileException e) {
            return PreviousState.NONE;
        } catch (IOException e) {
            throw new StateException("cannot read the state file " + file + ": " + reason(e), e);
        }
        CounterState state;
        try {
            state = CounterState.decode(new String(bytes, StandardCharsets.UTF_8));
        } catch (StateFormatException e) {
            if (e.foreign()) {
                throw new StateException("the state file " + file + " is not one of this plugin's (" + e.getMessage()
                        + "); move it away, or give another --state-dir");
            }
            return PreviousState.damaged(e.getMessage());
        }
        if (!state.key().equals(key)) {
            // The file name is a hash of the key: another key there is damage (or a 64-bit collision).
            return PreviousState.damaged("it holds the key of another check: " + state.key());
        }
        return PreviousState.of(state);
    }

    /**
     * Replaces the state with {@code state}, atomically; refused when the lock file is no longer the
     * one this run locked (removed while held, so another run may have come in and be measuring
     * the same overflows: this run must not claim them).
     */
    public void write(CounterState state) throws StateException {
        if (!lockIdentity.equals(regularFileKey(lockFile, euid))) {
            throw new StateException("the state lock " + lockFile + " was removed while this run held it, so another "
                    + "run may be measuring the same overflows; keep clean-ups out of the state directory");
        }
        removeStaleTemporaries();
        byte[] bytes = state.encode().getBytes(StandardCharsets.UTF_8);
        Path temporary = file.resolveSibling(file.getFileName() + ".new-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()));
        try {
            try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE_MODE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new StateException("cannot write the state file " + file + ": " + reason(e), e);
        }
        // The rename is durable once the directory is: best effort, as not every file system allows it.
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // The file is whole either way; at worst a crash right now keeps the previous one.
        }
    }

    /**
     * Temporary files of this state left by a run killed while writing: only a run that holds the
     * lock writes one, and this run holds it, so every one there is stale.
     */
    private void removeStaleTemporaries() {
        String prefix = file.getFileName() + ".new-";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(file.getParent())) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(prefix)) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // Left for the next run; they are small, and their names say what they are.
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
        closeQuietly(lockChannel);
    }

    /** {@code directory}, made 0700 if it does not exist; refused unless it is ours alone. */
    private static Path privateDirectory(Path directory, long euid) throws StateException {
        try {
            Files.createDirectory(directory, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException e) {
            // Checked below.
        } catch (IOException e) {
            throw new StateException("cannot create the state directory " + directory + ": " + reason(e), e);
        }
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateException("the state directory " + directory + " is not a directory (a symbolic link?); "
                        + "remove it");
            }
            Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
            if (((Number) owner).longValue() != euid || permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new StateException("the state directory " + directory + " must belong to uid " + euid
                        + " and be writable by it alone (it belongs to uid " + owner + ", mode "
                        + PosixFilePermissions.toString(permissions) + ")");
            }
        } catch (IOException e) {
            throw new StateException("cannot check the state directory " + directory + ": " + reason(e), e);
        }
        return directory;
    }

    private static void requireOwnFile(Path path, long euid) throws StateException {
        try {
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateException(path + " is not a regular file; move it away");
            }
            Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (((Number) owner).longValue() != euid) {
                throw new StateException(path + " belongs to uid " + owner + ", not to uid " + euid
                        + " that the check runs as; move it away");
            }
        } catch (IOException e) {
            throw new StateException("cannot check " + path + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason(); // without the path, which the message names already
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing to do.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Left for the operator; its name says what it is.
        }
    }
}
