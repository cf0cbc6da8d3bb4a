package org.checksocketbacklog.arguments;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.kernel.UnixName;

/**
 * The command line as the bytes it was. The JVM decodes arguments in the locale's charset (UTF-8,
 * as the launcher sets it) and replaces every byte that is not valid UTF-8 by U+FFFD, so
 * {@code -s $'/run/\xff.sock'} and {@code -s $'/run/\xfe.sock'} would arrive as the same text.
 * When an argument holds U+FFFD, the arguments are read again from the kernel's copy of the
 * command line, /proc/self/cmdline (NUL-separated, the program's arguments last), and decoded so
 * that such bytes stand for themselves (U+DC80..U+DCFF, see {@link UnixName#decode}).
 */
public final class ArgumentBytes {
    private ArgumentBytes() {
    }

    /**
     * The arguments with their raw bytes where the JVM lost them; as given when nothing was lost or
     * the kernel's copy does not line up with them (then the lossy text is all there is).
     */
    public static String[] recover(String[] args, Path cmdline) {
        boolean lossy = false;
        for (String arg : args) {
            lossy |= arg.indexOf('\uFFFD') >= 0;
        }
        if (!lossy) {
            return args;
        }
        byte[] bytes;
        try (FileInputStream in = new FileInputStream(cmdline.toFile())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return args;
        }
        List<int[]> spans = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                spans.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            spans.add(new int[] {start, bytes.length});
        }
        if (spans.size() < args.length) {
            return args;
        }
        String[] recovered = new String[args.length];
        int first = spans.size() - args.length;
        for (int i = 0; i < args.length; i++) {
            int[] span = spans.get(first + i);
            // The JVM's own decoding of these very bytes must give the argument it passed, or the
            // kernel's copy is not this command line (a program may rewrite its argv).
            if (!new String(bytes, span[0], span[1] - span[0], StandardCharsets.UTF_8).equals(args[i])) {
                return args;
            }
            recovered[i] = UnixName.decode(bytes, span[0], span[1]);
        }
        return recovered;
    }
}
