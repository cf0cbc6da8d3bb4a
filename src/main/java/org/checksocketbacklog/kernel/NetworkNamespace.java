package org.checksocketbacklog.kernel;

/**
 * A network namespace to read: what to open to enter it, and what to call it.
 *
 * @param name the name its sockets carry in the output, stable across checks (the /run/netns
 *             name, else its owner's from the cgroup of a process in it, else "netns-INODE");
 *             null for the check's own namespace, whose sockets keep their plain names
 * @param file the file to enter it by (/run/netns/NAME, /proc/PID/ns/net, or the path given);
 *             null for the own namespace, which needs no entering
 * @param link the kernel's name for it, "net:[INODE]", which tells namespaces apart
 */
public record NetworkNamespace(String name, String file, String link) {
    public boolean own() {
        return name == null;
    }
}
