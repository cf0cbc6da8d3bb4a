package org.checksocketbacklog.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file on a real file system: layout, modes, every kind of damage, the lock. */
class StateStoreTest {
    private static final String KEY = "netns=net:[1] arguments=[\"-p\",\"80\"]";

    @TempDir
    Path root;
    /** The user the tests run as: the owner of what they make. */
    private long uid;

    @BeforeEach
    void whoAmI() throws IOException {
        uid = ((Number) Files.getAttribute(root, "unix:uid")).longValue();
    }

    private static long soon() {
        return System.nanoTime() + 2_000_000_000L;
    }

    private Path directory() {
        return root.resolve(Long.toString(uid)).resolve("check_socket_backlog");
    }

    private static CounterState state(String key) {
        CounterState sample = CounterStateTest.sample();
        return new CounterState(key, sample.bootId(), sample.netns(), sample.netnsCookie(), sample.timeMillis(),
                sample.counters());
    }

    @Test
    void theFirstRunFindsNothingAndWritesAFileOnlyItsUserCanRead() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            assertEquals(PreviousState.NONE, store.previous());
            store.write(state(KEY));
            assertEquals(directory().resolve(StateKey.fileName(KEY)), store.file());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(Long.toString(uid)))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory())));
        Path file = directory().resolve(StateKey.fileName(KEY));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(directory())) {
            assertEquals(List.of(file.getFileName().toString(), file.getFileName() + ".lock"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            assertEquals(state(KEY), store.previous().state(), "the next run reads it back");
        }
    }

    @Test
    void aDamagedFileOfOursIsReportedAndReplaced() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            String text = state(KEY).encode();
            Files.writeString(store.file(), text.substring(0, text.length() - "end\n".length()));
            PreviousState previous = store.previous();
            assertNull(previous.state());
            assertTrue(previous.damage().contains("cut short"), previous.damage());
            Files.writeString(store.file(), text.substring(0, text.length() - 10));
            assertTrue(store.previous().damage().contains("line 9"), "cut inside a line: " + store.previous().damage());
            Files.writeString(store.file(), "");
            assertTrue(store.previous().damage().contains("cut short (0 bytes)"), "empty: " + store.previous().damage());
            Files.writeString(store.file(), state("another key").encode());
            assertTrue(store.previous().damage().contains("the key of another check"), store.previous().damage());
            store.write(state(KEY));
            assertEquals(state(KEY), store.previous().state());
        }
    }

    @Test
    void aForeignFileIsRefusedAndLeftAlone() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            Files.writeString(store.file(), "something else entirely\n");
            StateException e = assertThrows(StateException.class, store::previous);
            assertTrue(e.getMessage().contains("is not one of this plugin's") && e.getMessage().contains("move it away"),
                    e.getMessage());
            Files.write(store.file(), new byte[CounterState.MAX_BYTES + 1]);
            e = assertThrows(StateException.class, store::previous);
            assertTrue(e.getMessage().contains("bytes, not one of this plugin's"), e.getMessage());
        }
    }

    @Test
    void aStateFileThatIsNoRegularFileIsRefused() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            Path target = root.resolve("elsewhere");
            Files.writeString(target, state(KEY).encode());
            Files.createSymbolicLink(store.file(), target);
            StateException e = assertThrows(StateException.class, store::previous);
            assertTrue(e.getMessage().contains(store.file().toString()), e.getMessage());
            Files.delete(store.file());
            Files.createDirectory(store.file());
            assertThrows(StateException.class, store::previous);
        }
    }

    @Test
    void unsafeDirectoriesAreRefused() throws Exception {
        Files.createDirectory(root.resolve(Long.toString(uid)), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(root.resolve(Long.toString(uid)), PosixFilePermissions.fromString("rwxrwxrwx"));
        StateException e = assertThrows(StateException.class, () -> StateStore.open(root, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("writable by it alone") && e.getMessage().contains("rwxrwxrwx"),
                e.getMessage());

        Files.delete(root.resolve(Long.toString(uid)));
        Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve(Long.toString(uid)), elsewhere);
        e = assertThrows(StateException.class, () -> StateStore.open(root, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("not a directory (a symbolic link?)"), e.getMessage());

        e = assertThrows(StateException.class, () -> StateStore.open(root.resolve("missing"), uid, KEY, soon()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "needs root to give a directory away");
        Path mine = Files.createDirectory(root.resolve(Long.toString(uid)), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(mine, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        StateException e = assertThrows(StateException.class, () -> StateStore.open(root, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("must belong to uid " + uid) && e.getMessage().contains("uid 65534"),
                e.getMessage());
    }

    @Test
    void aSecondRunWaitsForTheLockAndGivesUpAtItsDeadline() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
                locked.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        holder.start();
        assertTrue(locked.await(5, TimeUnit.SECONDS));
        long started = System.nanoTime();
        StateException e = assertThrows(StateException.class,
                () -> StateStore.open(root, uid, KEY, System.nanoTime() + 300_000_000L));
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waited >= 250 && waited < 3000, waited + " ms");
        assertTrue(e.getMessage().contains("another run of this check has held its state lock"), e.getMessage());
        release.countDown();
        holder.join(5000);
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            assertEquals(PreviousState.NONE, store.previous(), "free again once the first run is done");
        }
        try (StateStore other = StateStore.open(root, uid, "another key", soon())) {
            assertTrue(other.file().getFileName().toString().startsWith("state-"), "another check, its own lock");
        }
    }

    @Test
    void whatAReaderSeesIsTheOldFileOrTheNewOneNeverHalf() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            store.write(state(KEY));
            byte[] before = Files.readAllBytes(store.file());
            CounterState later = new CounterState(KEY, "97f1a6cd-6459-4988-a7b5-cbb9265b197b", "net:[4026531840]",
                    7, 42, java.util.Map.of("ListenOverflows", 99L));
            Thread reader = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    try {
                        String text = new String(Files.readAllBytes(store.file()), StandardCharsets.UTF_8);
                        CounterState.decode(text); // throws on half a file
                    } catch (IOException | StateFormatException e) {
                        throw new AssertionError("read " + i + ": " + e, e);
                    }
                }
            });
            reader.setUncaughtExceptionHandler((t, e) -> before[0] = 0);
            reader.start();
            for (int i = 0; i < 200; i++) {
                store.write(i % 2 == 0 ? later : state(KEY));
            }
            reader.join(10_000);
            assertTrue(before[0] != 0, "the reader never saw a partial file");
        }
    }

    @Test
    void aFifoInPlaceOfTheStateOrTheLockIsRefusedWithoutBlocking() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            mkfifo(store.file());
            // An open for reading would block until a writer comes: refused before opening.
            StateException e = assertThrows(StateException.class, store::previous);
            assertTrue(e.getMessage().contains("a FIFO, socket or device"), e.getMessage());
        }
        Path lock = directory().resolve(StateKey.fileName("other") + ".lock");
        mkfifo(lock);
        StateException e = assertThrows(StateException.class, () -> StateStore.open(root, uid, "other", soon()));
        assertTrue(e.getMessage().contains(lock + " is not a regular file"), e.getMessage());
    }

    private static void mkfifo(Path path) throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo " + path);
    }

    @Test
    void aGroupWritableDirectoryOfOursIsRefused() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            assertTrue(Files.isDirectory(directory()));
        }
        Files.setPosixFilePermissions(directory(), PosixFilePermissions.fromString("rwxrwx---"));
        StateException e = assertThrows(StateException.class, () -> StateStore.open(root, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("writable by it alone") && e.getMessage().contains("rwxrwx---"),
                e.getMessage());
    }

    @Test
    void aSharedDirectoryNeedsTheStickyBit() throws Exception {
        Path shared = Files.createDirectory(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        StateException e = assertThrows(StateException.class, () -> StateStore.open(shared, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("without the sticky bit"), e.getMessage());
        Files.setAttribute(shared, "unix:mode", 01777);
        try (StateStore store = StateStore.open(shared, uid, KEY, soon())) {
            assertEquals(PreviousState.NONE, store.previous(), "sticky, as /tmp: others cannot rename our directory");
        }
        e = assertThrows(StateException.class, () -> StateStore.open(Path.of("relative/dir"), uid, KEY, soon()));
        assertTrue(e.getMessage().contains("not an absolute path"), e.getMessage());
    }

    @Test
    void aDirectoryOrFileGivenAwayToAnotherUserIsRefused() throws Exception {
        assumeTrue(uid == 0, "needs root to give a directory or a file away");
        Path shared = Files.createDirectory(root.resolve("theirs"));
        Files.setAttribute(shared, "unix:uid", 65534);
        StateException e = assertThrows(StateException.class, () -> StateStore.open(shared, uid, KEY, soon()));
        assertTrue(e.getMessage().contains("belongs to uid 65534, who could replace"), e.getMessage());

        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            store.write(state(KEY));
            Files.setAttribute(store.file(), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
            e = assertThrows(StateException.class, store::previous);
            assertTrue(e.getMessage().contains("belongs to uid 65534"), e.getMessage());
        }
        Path lock = directory().resolve(StateKey.fileName(KEY) + ".lock");
        Files.setAttribute(lock, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        e = assertThrows(StateException.class, () -> StateStore.open(root, uid, KEY, soon()));
        assertTrue(e.getMessage().contains(lock + " belongs to uid 65534"), e.getMessage());
    }

    @Test
    void aLockRemovedWhileHeldKeepsTheHolderFromWriting() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            Files.delete(directory().resolve(StateKey.fileName(KEY) + ".lock"));
            // Another run can now make and lock a new file: this one must not store what it measured.
            StateException e = assertThrows(StateException.class, () -> store.write(state(KEY)));
            assertTrue(e.getMessage().contains("was removed while this run held it"), e.getMessage());
            assertTrue(Files.notExists(store.file()), "nothing written");
        }
    }

    @Test
    void aTemporaryFileLeftByAKilledRunIsRemovedByTheNextWrite() throws Exception {
        try (StateStore store = StateStore.open(root, uid, KEY, soon())) {
            Path stale = Files.writeString(store.file().resolveSibling(store.file().getFileName() + ".new-4242-1f"),
                    "half");
            Path otherCheck = Files.writeString(directory().resolve("state-0000000000000000.new-4242-1f"), "half");
            store.write(state(KEY));
            assertTrue(Files.notExists(stale), "this state's leftover goes");
            assertTrue(Files.exists(otherCheck), "another check's (under its own lock) stays");
        }
    }
}
