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
import org.checksocketbacklog.procfs.ProcText;

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
     * @param leftOut    how many namespaces --all-netns left out as ones any user can make
     */
    public record Found(List<NetworkNamespace> namespaces, List<String> unresolved, int leftOut) {
    }

    /** A process's namespace: at most this many processes of one namespace are asked for its owner. */
    static final int OWNER_CANDIDATES = 8;

    /**
     * @param selectors --netns values (a name under /run/netns, or a path), as given
     * @param pids      --netns-pid values
     * @param all       --all-netns: the own namespace, every /run/netns one, and every namespace of a
     *                  process that a system container or service owns; not the namespaces any user
     *                  can make (unshare -rn, rootless containers): anyone could put any listener
     *                  there, to pass for a service that is down, or make thousands to slow the check
     * @throws KernelReadException when the own namespace cannot be read, or a namespace --all-netns
     *                             found cannot be entered by any path (a /run/netns name that does not
     *                             survive decoding, with no process in it): never a silent partial read
     */
    public Found find(List<String> selectors, List<Long> pids, boolean all) throws KernelReadException {
        String own = link(proc.resolve("self/ns/net"));
        if (own == null) {
            throw new KernelReadException("cannot read " + proc.resolve("self/ns/net") + ", the check's own network "
                    + "namespace; is /proc mounted?");
        }
        Object nsfs = nsfsDevice();
        Map<String, String> runNames = new TreeMap<>();
        Map<String, Path> runFiles = new LinkedHashMap<>();
        runNetns(nsfs, runNames, runFiles);
        // link -> file to enter it by, in the order found; names chosen at the end.
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, List<Long>> pidsOf = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        boolean ownSelected = all;
        boolean scanned = false;
        int leftOut = 0;
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
                    addPid(pidsOf, link, pid);
                }
            }
        }
        for (long pid : pids) {
            Path file = proc.resolve(Long.toString(pid)).resolve("ns/net");
            String link = link(file);
            if (link == null) {
                unresolved.add("pid " + pid + ": " + (Files.exists(proc.resolve(Long.toString(pid)))
                        ? "cannot read " + file + " (permission denied; another user's process needs root)"
                        : "no such process"));
            } else if (link.equals(own)) {
                ownSelected = true;
            } else {
                files.putIfAbsent(link, file.toString());
                addPid(pidsOf, link, pid);
            }
        }
        if (all) {
            scanProcesses(own, pidsOf);
            scanned = true;
            for (Map.Entry<String, Path> named : runFiles.entrySet()) {
                String link = named.getKey();
                if (link.equals(own)) {
                    continue;
                }
                if (runNetns.resolve(runNames.get(link)).equals(named.getValue())) {
                    files.putIfAbsent(link, named.getValue().toString());
                } else if (pidsOf.containsKey(link)) {
                    // A name that does not survive decoding (not valid in this locale): enter by a process.
                    files.putIfAbsent(link, proc.resolve(Long.toString(pidsOf.get(link).get(0))).resolve("ns/net")
                            .toString());
                } else {
                    throw new KernelReadException("cannot enter the network namespace " + named.getValue()
                            + ": its name is not valid text here and no process is in it; rename it (ip netns)");
                }
            }
            for (Map.Entry<String, List<Long>> entry : pidsOf.entrySet()) {
                if (files.containsKey(entry.getKey())) {
                    continue;
                }
                if (systemOwner(entry.getValue()) != null) {
                    files.put(entry.getKey(), proc.resolve(Long.toString(entry.getValue().get(0))).resolve("ns/net")
                            .toString());
                } else {
                    leftOut++;
                }
            }
        }
        // Names: /run/netns names first (root gave them), then owners, then the inode, each once.
        TreeMap<String, NetworkNamespace> byName = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (String link : files.keySet()) {
            String name = runNames.get(link);
            if (name != null && !byName.containsKey(name)) {
                names.put(link, name);
                byName.put(name, null);
            }
        }
        for (String link : files.keySet()) {
            if (names.containsKey(link)) {
                continue;
            }
            if (!pidsOf.containsKey(link) && !scanned) {
                scanProcesses(own, pidsOf); // a path outside /run/netns: a process in it names its owner
                scanned = true;
            }
            String name = pidsOf.containsKey(link) ? systemOwner(pidsOf.get(link)) : null;
            if (name != null && !byName.containsKey(name)) {
                names.put(link, name);
                byName.put(name, null);
            }
        }
        for (String link : files.keySet()) {
            if (!names.containsKey(link)) {
                String inode = link.substring("net:[".length(), link.length() - 1);
                String name = "netns-" + inode;
                for (int i = 2; byName.containsKey(name); i++) {
                    name = "netns-" + inode + "-" + i;
                }
                names.put(link, name);
                byName.put(name, null);
            }
        }
        for (Map.Entry<String, String> entry : files.entrySet()) {
            String name = names.get(entry.getKey());
            byName.put(name, new NetworkNamespace(name, entry.getValue(), entry.getKey()));
        }
        List<NetworkNamespace> namespaces = new ArrayList<>(byName.size() + 1);
        if (ownSelected || selectors.isEmpty() && pids.isEmpty()) {
            namespaces.add(new NetworkNamespace(null, null, own));
        }
        namespaces.addAll(byName.values());
        return new Found(namespaces, unresolved, leftOut);
    }

    private static void addPid(Map<String, List<Long>> pidsOf, String link, long pid) {
        List<Long> list = pidsOf.get(link);
        if (list == null) {
            list = new ArrayList<>(2);
            pidsOf.put(link, list);
        }
        if (list.size() < OWNER_CANDIDATES && !list.contains(pid)) {
            list.add(pid);
        }
    }

    /** The first system owner (a container, a service) of these processes, or null. */
    private String systemOwner(List<Long> pids) {
        for (long pid : pids) {
            String owner = owner(pid);
            if (owner != null) {
                return owner;
            }
        }
        return null;
    }

    /** The namespaces of every process, a few processes of each. */
    private void scanProcesses(String own, Map<String, List<Long>> pidsOf) {
        int seen = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                long pid = ProcText.decimal(entry.getFileName().toString());
                if (pid < 0) {
                    continue;
                }
                if (++seen > MAX_PROCESSES) {
                    break;
                }
                String link = link(entry.resolve("ns/net"));
                if (link != null && !link.equals(own)) {
                    addPid(pidsOf, link, pid);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // What was seen so far is what there is to read.
        }
    }

    /**
     * /run/netns: each namespace's name and the file it was listed as (which keeps the name's
     * bytes, when they are not valid text). The files are nsfs bind mounts, whose inode is the
     * namespace's; anything else there (a FIFO, a file whose mount is gone) names nothing.
     */
    private void runNetns(Object nsfs, Map<String, String> names, Map<String, Path> files) {
        if (nsfs == null || !Files.isDirectory(runNetns)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(runNetns)) {
            for (Path entry : entries) {
                if (!nsfs.equals(device(entry))) {
                    continue;
                }
                String link = link(entry);
                if (link == null) {
                    continue;
                }
                // One name a namespace; one that survives decoding before one that does not.
                String name = entry.getFileName().toString();
                boolean exact = runNetns.resolve(name).equals(entry);
                if (!names.containsKey(link) || exact && !runNetns.resolve(names.get(link)).equals(files.get(link))) {
                    names.put(link, name);
                    files.put(link, entry);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // No names: the namespaces are still found by their processes.
        }
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
        if (file.getNameCount() != proc.getNameCount() + 3 || !file.startsWith(proc)) {
            return null;
        }
        long pid = ProcText.decimal(file.getName(proc.getNameCount()).toString());
        return pid < 0 ? null : pid;
    }

    private String owner(long pid) {
        try {
            return CgroupOwner.of(Files.readString(proc.resolve(Long.toString(pid)).resolve("cgroup")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
