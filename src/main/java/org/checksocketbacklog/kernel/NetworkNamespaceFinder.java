package org.checksocketbacklog.kernel;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checksocketbacklog.procfs.CgroupOwner;

/**
 * Finds the network namespaces that --netns, --netns-pid and --all-netns name, each once: two
 * selectors (or two processes) in one namespace read it once. /run/netns holds the namespaces
 * `ip netns` made, by name; /proc/PID/ns/net every process's.
 */
public final class NetworkNamespaceFinder {
    /** A --all-netns scan reads at most this many processes' links: bounded on any host. */
    static final int MAX_PROCESSES = 100_000;

    private final Path proc;
    private final Path runNetns;

    public NetworkNamespaceFinder(Path proc, Path runNetns) {
        this.proc = proc;
        this.runNetns = runNetns;
    }

    /**
     * What was found.
     *
     * @param namespaces the namespaces to read, the own one first (when asked for), then by name
     * @param unresolved each selector that names no namespace, with why ("web: no /run/netns/web")
     */
    public record Found(List<NetworkNamespace> namespaces, List<String> unresolved) {
    }

    /**
     * @param selectors --netns values (a name under /run/netns, or a path), as given
     * @param pids      --netns-pid values
     * @param all       --all-netns: the own namespace, every /run/netns one and every process's
     */
    public Found find(List<String> selectors, List<Long> pids, boolean all) throws KernelReadException {
        String own = link(proc.resolve("self/ns/net"));
        if (own == null) {
            throw new KernelReadException("cannot read " + proc.resolve("self/ns/net") + ", the check's own network "
                    + "namespace; is /proc mounted?");
        }
        Object nsfs = nsfsDevice();
        Map<String, String> runNames = runNetnsNames(nsfs);
        // link -> file to enter it by, in the order found; names chosen at the end.
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, Long> somePid = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        boolean ownSelected = all;
        for (String selector : selectors) {
            Path file;
            try {
                file = selector.indexOf('/') >= 0 ? Path.of(selector) : runNetns.resolve(selector);
            } catch (InvalidPathException e) {
                unresolved.add(selector + ": not a path this system can open");
                continue;
            }
            String link = link(file);
            if (link == null) {
                unresolved.add(selector + ": no network namespace at " + file);
            } else if (!Files.isSymbolicLink(file) && (nsfs == null || !nsfs.equals(device(file)))) {
                unresolved.add(selector + ": " + file + " is not a namespace file (nsfs), such as /run/netns/NAME or "
                        + "/proc/PID/ns/net");
            } else if (link.equals(own)) {
                ownSelected = true;
            } else {
                files.putIfAbsent(link, file.toString());
                Long pid = pidOf(file);
                if (pid != null) {
                    somePid.putIfAbsent(link, pid);
                }
            }
        }
        for (long pid : pids) {
            Path file = proc.resolve(Long.toString(pid)).resolve("ns/net");
            String link = link(file);
            if (link == null) {
                unresolved.add("pid " + pid + ": " + (Files.exists(proc.resolve(Long.toString(pid)))
                        ? "cannot read " + file + " (another user's process: reading it needs root)"
                        : "no such process"));
            } else if (link.equals(own)) {
                ownSelected = true;
            } else {
                files.putIfAbsent(link, file.toString());
                somePid.putIfAbsent(link, pid);
            }
        }
        if (all) {
            for (Map.Entry<String, String> named : runNames.entrySet()) {
                if (!named.getKey().equals(own)) {
                    files.putIfAbsent(named.getKey(), runNetns.resolve(named.getValue()).toString());
                }
            }
            scanProcesses(own, files, somePid);
        }
        TreeMap<String, NetworkNamespace> byName = new TreeMap<>();
        for (Map.Entry<String, String> entry : files.entrySet()) {
            String link = entry.getKey();
            String name = runNames.get(link);
            if (name == null) {
                if (!somePid.containsKey(link) && !all) {
                    // A path outside /run/netns: find a process in it, for its owner's name.
                    scanProcesses(own, new LinkedHashMap<>(), somePid);
                }
                Long pid = somePid.get(link);
                name = pid == null ? null : owner(pid);
            }
            if (name == null || byName.containsKey(name)) {
                name = "netns-" + link.substring("net:[".length(), link.length() - 1);
            }
            byName.put(name, new NetworkNamespace(name, entry.getValue(), link));
        }
        List<NetworkNamespace> namespaces = new ArrayList<>(byName.size() + 1);
        if (ownSelected || selectors.isEmpty() && pids.isEmpty()) {
            namespaces.add(new NetworkNamespace(null, null, own));
        }
        namespaces.addAll(byName.values());
        return new Found(namespaces, unresolved);
    }

    /** The namespaces of every process, the first process seen in each. */
    private void scanProcesses(String own, Map<String, String> files, Map<String, Long> somePid) {
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                String pidText = entry.getFileName().toString();
                if (!isDecimal(pidText)) {
                    continue;
                }
                if (++seen > MAX_PROCESSES) {
                    break;
                }
                Path file = entry.resolve("ns/net");
                String link = link(file);
                if (link != null && !link.equals(own)) {
                    files.putIfAbsent(link, file.toString());
                    somePid.putIfAbsent(link, Long.parseLong(pidText));
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // What was seen so far is what there is to read.
        }
    }

    /** /run/netns: namespace link to name. The files are nsfs bind mounts, whose inode is the namespace's. */
    private Map<String, String> runNetnsNames(Object nsfs) {
        Map<String, String> names = new TreeMap<>();
        if (!Files.isDirectory(runNetns)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runNetns)) {
            for (Path entry : entries) {
                // Only namespace files: what else lies there (a FIFO, a stale file whose mount is
                // gone) has another device than nsfs, and names nothing.
                if (nsfs == null || !nsfs.equals(device(entry))) {
                    continue;
                }
                String link = link(entry);
                if (link != null) {
                    names.putIfAbsent(link, entry.getFileName().toString());
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // No names: the namespaces are still found by their processes.
        }
        return names;
    }

    /**
     * "net:[INODE]" for a namespace file: the target of a /proc/PID/ns/net link, or the inode of
     * a bind-mounted one (/run/netns/NAME); null when there is none to read.
     */
    static String link(Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                String target = Files.readSymbolicLink(file).toString();
                return target.startsWith("net:[") && target.endsWith("]") ? target : null;
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            // An nsfs file: the device is the nsfs one, the inode the namespace's.
            Object inode = Files.getAttribute(file, "unix:ino");
            return "net:[" + inode + "]";
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The device of nsfs, the file system of every namespace file: that of /proc/self/ns/net's target. */
    private Object nsfsDevice() {
        try {
            return Files.getAttribute(proc.resolve("self/ns/net"), "unix:dev");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private static Object device(Path file) {
        try {
            return Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private Long pidOf(Path file) {
        // /proc/PID/ns/net
        if (file.getNameCount() == proc.getNameCount() + 3 && file.startsWith(proc)
                && isDecimal(file.getName(proc.getNameCount()).toString())) {
            return Long.parseLong(file.getName(proc.getNameCount()).toString());
        }
        return null;
    }

    private String owner(long pid) {
        try {
            return CgroupOwner.of(Files.readString(proc.resolve(Long.toString(pid)).resolve("cgroup")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isDecimal(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
