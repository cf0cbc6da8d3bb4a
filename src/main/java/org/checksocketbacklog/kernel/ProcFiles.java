package org.checksocketbacklog.kernel;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The /proc files the check reads, under a root that tests (and {@code PROC_ROOT}-style debugging)
 * can point elsewhere.
 */
public final class ProcFiles {
    private final Path root;

    public ProcFiles(Path root) {
        this.root = root;
    }

    public Path somaxconnPath() {
        return root.resolve("sys/net/core/somaxconn");
    }

    public Path cpuinfoPath() {
        return root.resolve("cpuinfo");
    }

    public Path netUnixPath() {
        return root.resolve("net/unix");
    }

    /** net.core.somaxconn of this network namespace: the cap listen() puts on every backlog. */
    public int somaxconn() throws KernelReadException {
        return number(somaxconnPath());
    }

    /** A sysctl file holding one non-negative number. */
    private static int number(Path path) throws KernelReadException {
        String text = read(path).trim();
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new KernelReadException(path + " holds \"" + text + "\", not a non-negative number");
        }
    }

    /**
     * The processors listed in /proc/cpuinfo, as the original check counted them
     * ({@code grep processor /proc/cpuinfo | wc -l}), but only lines that start with the
     * "processor" key, so that a "model name ... processor" line cannot count twice.
     */
    public int cpuinfoProcessors() throws KernelReadException {
        Path path = cpuinfoPath();
        String text = read(path);
        int count = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (text.startsWith("processor", start)) {
                int after = start + "processor".length();
                if (after < end && (text.charAt(after) == ' ' || text.charAt(after) == '\t' || text.charAt(after) == ':')) {
                    count++;
                }
            }
            start = end + 1;
        }
        if (count == 0) {
            throw new KernelReadException(path + " lists no \"processor\" lines; give the CPU count with --cpus N");
        }
        return count;
    }

    /** /proc/net/unix, one char per byte: the kernel prints socket names as raw bytes. */
    public String netUnixLatin1() throws KernelReadException {
        return read(netUnixPath(), StandardCharsets.ISO_8859_1);
    }

    public Path netTcpPath(boolean ipv6) {
        return root.resolve(ipv6 ? "net/tcp6" : "net/tcp");
    }

    /** LISTEN and SYN_RECV rows; none for tcp6 when the kernel runs without IPv6 (no file). */
    public List<ProcNetTcp.Row> netTcp(boolean ipv6) throws KernelReadException {
        Path path = netTcpPath(ipv6);
        if (ipv6 && !Files.exists(path)) {
            return List.of();
        }
        return ProcNetTcp.parse(read(path), path.toString());
    }

    /** net.ipv4.tcp_max_syn_backlog, net.ipv4.tcp_syncookies and the TcpExt overflow counters. */
    public TcpHostFigures tcpHostFigures() throws KernelReadException {
        Path netstat = root.resolve("net/netstat");
        return new TcpHostFigures(
                number(root.resolve("sys/net/ipv4/tcp_max_syn_backlog")),
                number(root.resolve("sys/net/ipv4/tcp_syncookies")),
                TcpHostFigures.parseNetstat(read(netstat), netstat.toString()));
    }

    /**
     * Reads a whole /proc file with plain sequential reads. Not {@code Files.readAllBytes}: /proc files
     * report size 0, and for /proc/sys files its size-driven reads return only the first byte
     * ("4" for a somaxconn of 4096).
     */
    static String read(Path path) throws KernelReadException {
        return read(path, StandardCharsets.UTF_8);
    }

    private static String read(Path path, java.nio.charset.Charset charset) throws KernelReadException {
        if (Files.isDirectory(path)) {
            throw new KernelReadException("cannot read " + path + ": it is a directory");
        }
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            return new String(in.readAllBytes(), charset);
        } catch (FileNotFoundException e) {
            // The JDK puts the reason in parentheses: "(No such file or directory)", "(Permission denied)".
            String message = e.getMessage();
            int reason = message == null ? -1 : message.lastIndexOf(" (");
            String why = reason < 0 ? "not found" : message.substring(reason + 2, message.length() - 1);
            throw new KernelReadException("cannot read " + path + ": " + why
                    + (Files.exists(path) ? "" : " (is /proc mounted?)"));
        } catch (IOException e) {
            throw new KernelReadException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
