package org.checksocketbacklog.procfs;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The /proc files the check reads, under a root that tests point elsewhere. This class does the
 * reading; what each file means is in its own parser (Sysctl, Cpuinfo, Netstat, ProcNetUnix,
 * ProcNetTcp), text in, record out.
 */
public final class ProcFiles {
    private final Path root;
    /** "net" (the process's namespace), or "thread-self/net" (the reading thread's). */
    private final String net;
    private final String self;

    public ProcFiles(Path root) {
        this(root, "net", "self");
    }

    private ProcFiles(Path root, String net, String self) {
        this.root = root;
        this.net = net;
        this.self = self;
    }

    /**
     * The files as the calling thread sees them, for a thread that entered another network
     * namespace: /proc/net is /proc/self/net, the namespace of the process's main thread, while
     * /proc/thread-self/net is the caller's (and /proc/sys/net follows the caller anyway).
     */
    public ProcFiles forThisThread() {
        return new ProcFiles(root, "thread-self/net", "thread-self");
    }

    public Path somaxconnPath() {
        return root.resolve("sys/net/core/somaxconn");
    }

    public Path cpuinfoPath() {
        return root.resolve("cpuinfo");
    }

    private Path netUnixPath() {
        return root.resolve(net + "/unix");
    }

    private Path netTcpPath(boolean ipv6) {
        return root.resolve(net + (ipv6 ? "/tcp6" : "/tcp"));
    }

    public Path maxSynBacklogPath() {
        return root.resolve("sys/net/ipv4/tcp_max_syn_backlog");
    }

    public Path syncookiesPath() {
        return root.resolve("sys/net/ipv4/tcp_syncookies");
    }

    public Path netstatPath() {
        return root.resolve(net + "/netstat");
    }

    /** net.core.somaxconn of this network namespace: the cap listen() puts on every backlog. */
    public int somaxconn() throws ProcFileException {
        return Sysctl.number(read(somaxconnPath()), somaxconnPath());
    }

    /** The "processor" lines of /proc/cpuinfo. */
    public int cpuinfoProcessors() throws ProcFileException {
        return Cpuinfo.processors(read(cpuinfoPath()), cpuinfoPath());
    }

    /** What /proc/net/unix says of these listeners (see {@link ProcNetUnix#claims}). */
    public Map<Long, ProcNetUnix.Claims> netUnixClaims(Map<Long, ProcNetUnix.Expected> listeners)
            throws ProcFileException {
        try (FileInputStream in = open(netUnixPath())) {
            return ProcNetUnix.claims(in, netUnixPath().toString(), listeners);
        } catch (IOException e) {
            throw new ProcFileException("cannot read " + netUnixPath() + ": " + e.getMessage(), e);
        }
    }

    /** Every listener /proc/net/unix shows (see {@link ProcNetUnix#listeners}). */
    public List<ProcNetUnix.Group> netUnixListeners() throws ProcFileException {
        try (FileInputStream in = open(netUnixPath())) {
            return ProcNetUnix.listeners(in, netUnixPath().toString());
        } catch (IOException e) {
            throw new ProcFileException("cannot read " + netUnixPath() + ": " + e.getMessage(), e);
        }
    }

    /** LISTEN and SYN_RECV rows; none for tcp6 when the kernel runs without IPv6 (no file). */
    public List<ProcNetTcp.Row> netTcp(boolean ipv6) throws ProcFileException {
        Path path = netTcpPath(ipv6);
        if (ipv6 && !Files.exists(path)) {
            return List.of();
        }
        return ProcNetTcp.parse(read(path), path.toString());
    }

    public int tcpMaxSynBacklog() throws ProcFileException {
        return Sysctl.number(read(maxSynBacklogPath()), maxSynBacklogPath());
    }

    public int tcpSyncookies() throws ProcFileException {
        return Sysctl.number(read(syncookiesPath()), syncookiesPath());
    }

    /** The TcpExt counters of /proc/net/netstat among {@code wanted}, in that order; absent ones left out. */
    public Map<String, Long> tcpExtCounters(String[] wanted) throws ProcFileException {
        return Netstat.tcpExt(read(netstatPath()), netstatPath().toString(), wanted);
    }

    /**
     * The kernel's random id of this boot (/proc/sys/kernel/random/boot_id): counters kept from a
     * previous run are comparable only within one boot.
     */
    public String bootId() throws ProcFileException {
        Path path = root.resolve("sys/kernel/random/boot_id");
        String id = read(path).trim();
        if (!ProcIdentity.isBootId(id)) {
            throw new ProcFileException(path + " holds " + "\"" + id + "\"" + ", not a boot id");
        }
        return id;
    }

    /**
     * This process's network namespace as the kernel names it ("net:[4026531840]", the link
     * /proc/self/ns/net): its counters and sockets are that namespace's.
     */
    public String networkNamespace() throws ProcFileException {
        Path path = root.resolve(self + "/ns/net");
        try {
            String link = Files.readSymbolicLink(path).toString();
            if (!ProcIdentity.isNamespaceLink(link)) {
                throw new ProcFileException(path + " points to " + "\"" + link + "\"" + ", not a network namespace");
            }
            return link;
        } catch (IOException | UnsupportedOperationException e) {
            throw new ProcFileException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The processes holding these sockets (/proc/PID/fd), and how many could not be looked at. */
    public SocketHolders.Found socketHolders(Set<Long> inodes, long deadlineNanos) {
        return SocketHolders.find(root, inodes, deadlineNanos);
    }

    /**
     * The cgroup v2 paths of these cgroup ids (those of TCP sockets), found by walking the cgroup2
     * mount that /proc/self/mountinfo names; empty where none is mounted.
     */
    public Map<Long, String> cgroupPaths(Set<Long> ids, long deadlineNanos) {
        String[] mount;
        try {
            mount = CgroupPaths.mount(read(root.resolve("self/mountinfo")));
        } catch (ProcFileException e) {
            return Map.of();
        }
        return mount == null ? Map.of() : CgroupPaths.find(Path.of(mount[1]), mount[0], ids, deadlineNanos);
    }

    /** The effective uid of this process, the second field of the Uid line of /proc/self/status. */
    public long effectiveUid() throws ProcFileException {
        Path path = root.resolve("self/status");
        return ProcIdentity.effectiveUid(read(path), path);
    }

    static String read(Path path) throws ProcFileException {
        return read(path, StandardCharsets.UTF_8);
    }

    /**
     * Reads a whole /proc file with plain sequential reads. Not {@code Files.readAllBytes}: /proc files
     * report size 0, and for /proc/sys files its size-driven reads return only the first byte
     * ("4" for a somaxconn of 4096).
     */
    private static String read(Path path, Charset charset) throws ProcFileException {
        try (FileInputStream in = open(path)) {
            return new String(in.readAllBytes(), charset);
        } catch (IOException e) {
            throw new ProcFileException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The file opened for plain sequential reads, or an error that says why it cannot be. */
    private static FileInputStream open(Path path) throws ProcFileException {
        if (Files.isDirectory(path)) {
            throw new ProcFileException("cannot read " + path + ": it is a directory");
        }
        try {
            return new FileInputStream(path.toFile());
        } catch (FileNotFoundException e) {
            // The JDK puts the reason in parentheses: "(No such file or directory)", "(Permission denied)".
            String message = e.getMessage();
            int reason = message == null ? -1 : message.lastIndexOf(" (");
            String why = reason < 0 ? "not found" : message.substring(reason + 2, message.length() - 1);
            throw new ProcFileException("cannot read " + path + ": " + why
                    + (Files.exists(path) ? "" : " (is /proc mounted?)"));
        }
    }
}
