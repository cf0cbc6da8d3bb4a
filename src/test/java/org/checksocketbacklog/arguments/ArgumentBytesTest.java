package org.checksocketbacklog.arguments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentBytesTest {
    @TempDir
    Path dir;

    /** /proc/self/cmdline: every argument NUL-terminated, the JVM's own first. */
    private Path cmdline(byte[]... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] arg : args) {
            bytes.write(arg);
            bytes.write(0);
        }
        Path file = dir.resolve("cmdline");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void bytesTheJvmReplacedAreReadBackFromTheKernel() throws Exception {
        byte[] ff = {'/', 'r', '/', (byte) 0xff};
        byte[] fe = {'/', 'r', '/', (byte) 0xfe};
        Path cmdline = cmdline(text("java"), text("-jar"), text("x.jar"), text("-s"), ff, text("-s"), fe);
        String lossy = new String(ff, StandardCharsets.UTF_8);
        String[] recovered = ArgumentBytes.recover(new String[] {"-s", lossy, "-s", new String(fe, StandardCharsets.UTF_8)},
                cmdline);
        assertArrayEquals(new String[] {"-s", "/r/\udcff", "-s", "/r/\udcfe"}, recovered);
    }

    @Test
    void argumentsWithoutReplacementCharactersAreTakenAsGiven() throws Exception {
        String[] args = {"-s", "/run/caf\u00e9.sock"};
        assertSame(args, ArgumentBytes.recover(args, dir.resolve("absent")));
    }

    @Test
    void aKernelCopyThatDoesNotLineUpIsNotUsed() throws Exception {
        String[] args = {"-s", "/r/\ufffd"};
        Path other = cmdline(text("java"), text("-s"), text("/other/\u00ff"));
        assertSame(args, ArgumentBytes.recover(args, other));
        assertSame(args, ArgumentBytes.recover(args, dir.resolve("absent")), "no copy at all");
    }
}
