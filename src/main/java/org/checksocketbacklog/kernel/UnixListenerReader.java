package org.checksocketbacklog.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.netlink.SockDiagSession;
import org.checksocketbacklog.netlink.UnixDiag;
import org.checksocketbacklog.netlink.UnixListenerRecord;
import org.checksocketbacklog.procfs.ProcFileException;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.procfs.ProcNetUnix;

/**
 * Reads the AF_UNIX listeners: queue lengths from sock_diag, or everything from /proc/net/unix when
 * sock_diag is refused. Blocked connectors are invisible to sock_diag; {@link #countBlocked} reads
 * them from /proc/net/unix, for the listeners whose queue is full (nobody else can be blocked).
 */
public final class UnixListenerReader {
    private final ProcFiles proc;
    private final NetlinkTransport.Opener opener;

    public UnixListenerReader(ProcFiles proc, NetlinkTransport.Opener opener) {
        this.proc = proc;
        this.opener = opener;
    }

    /**
     * The listeners; from sock_diag, with nobody counted as blocked yet, and only those whose name
     * {@code names} accepts (from /proc/net/unix, all of them).
     */
    public ListenerSnapshot<UnixListener> read(SourcePreference preference, UnixNameFilter names)
            throws KernelReadException {
        try (SockDiagSession session = new SockDiagSession(opener)) {
            return read(preference, names, session);
        }
    }

    /** The same, on a session the caller keeps open for more dumps (the samples of one check). */
    public ListenerSnapshot<UnixListener> read(SourcePreference preference, UnixNameFilter names,
            SockDiagSession session) throws KernelReadException {
        if (preference == SourcePreference.PROC) {
            return fromProc(null);
        }
        List<UnixListenerRecord> records;
        try {
            records = UnixDiag.decodeListeners(session.dump(UnixDiag.listenerRequest()));
        } catch (NetlinkException e) {
            if (preference == SourcePreference.AUTO && e.refused()) {
                return fromProc(e.getMessage());
            }
            throw new KernelReadException(e.getMessage(), e);
        }
        // A dump is not a snapshot: under churn it can repeat a listener. The inode identifies it.
        Map<Long, UnixListener> byInode = new LinkedHashMap<>();
        for (UnixListenerRecord record : records) {
            SocketKind kind = SocketKind.ofUnixType(record.type());
            if (kind != null && names.accepts(record.name()) && !byInode.containsKey(record.inode())) {
                byInode.put(record.inode(), UnixListener.ofSockDiag(UnixName.ofSunPath(record.name()), kind,
                        record.inode(), record.pending(), record.backlog()));
            }
        }
        return new ListenerSnapshot<>(new ArrayList<>(byInode.values()), Source.SOCK_DIAG, null);
    }

    /**
     * The clients queued on the given listeners: the inode of each connection's client socket, from
     * one dump with UNIX_DIAG_ICONS, made only when the output describes a listener with a queue.
     */
    public Map<Long, long[]> queuedClients(Set<Long> listeners, SockDiagSession session) throws KernelReadException {
        List<UnixListenerRecord> records;
        try {
            records = UnixDiag.decodeListeners(session.dump(UnixDiag.listenerRequest(false, true)));
        } catch (NetlinkException e) {
            throw new KernelReadException(e.getMessage(), e);
        }
        Map<Long, long[]> clients = new LinkedHashMap<>();
        for (UnixListenerRecord record : records) {
            if (listeners.contains(record.inode()) && record.clients().length > 0) {
                clients.put(record.inode(), record.clients());
            }
        }
        return clients;
    }

    /**
     * The listeners bound to the given socket files, by the files' identity rather than their
     * names: a container that bind-mounts a host directory binds /run/php/www.sock in its mount
     * namespace, and the host sees the same file as /srv/php/www.sock. One dump with the socket
     * files (UNIX_DIAG_VFS), only when a selected path matched no listener by name.
     *
     * @param files (device as stat gives it, inode) of each socket file, by the path selected
     * @return each path's listener, named by that path, or nothing for a path no listener holds
     */
    public Map<String, UnixListener> readByFile(Map<String, long[]> files, SockDiagSession session)
            throws KernelReadException {
        List<UnixListenerRecord> records;
        try {
            records = UnixDiag.decodeListeners(session.dump(UnixDiag.listenerRequest(true)));
        } catch (NetlinkException e) {
            throw new KernelReadException(e.getMessage(), e);
        }
        Map<String, UnixListener> found = new LinkedHashMap<>();
        for (UnixListenerRecord record : records) {
            SocketKind kind = SocketKind.ofUnixType(record.type());
            if (kind == null || record.fileInode() == 0) {
                continue;
            }
            for (Map.Entry<String, long[]> file : files.entrySet()) {
                if (file.getValue()[0] == record.fileDeviceAsStat() && file.getValue()[1] == record.fileInode()
                        && !found.containsKey(file.getKey())) {
                    byte[] path = UnixName.encode(file.getKey());
                    byte[] sunPath = java.util.Arrays.copyOf(path, path.length + 1); // with its NUL
                    found.put(file.getKey(), UnixListener.ofSockDiag(UnixName.ofSunPath(sunPath), kind,
                            record.inode(), record.pending(), record.backlog()));
                }
            }
        }
        return found;
    }

    /**
     * The given listeners with the blocked clients of the full ones counted from /proc/net/unix,
     * which is read once, and only if one of them has its blocked clients still to count. When the
     * file cannot be read, they stay uncounted and {@link BlockedCount#unreadable} says why: the
     * verdict on a full queue stands without them.
     */
    public BlockedCount countBlocked(List<UnixListener> listeners) {
        Map<Long, ProcNetUnix.Expected> expected = new HashMap<>();
        for (UnixListener listener : listeners) {
            if (listener.blocked().isEmpty()) {
                expected.put(listener.inode(), new ProcNetUnix.Expected(unixType(listener.kind()),
                        listener.name().procText()));
            }
        }
        if (expected.isEmpty()) {
            return new BlockedCount(listeners, null);
        }
        Map<Long, ProcNetUnix.Claims> claims;
        try {
            claims = proc.netUnixClaims(expected);
        } catch (ProcFileException e) {
            return new BlockedCount(listeners, e.getMessage());
        }
        List<UnixListener> counted = new ArrayList<>(listeners.size());
        for (UnixListener listener : listeners) {
            if (!expected.containsKey(listener.inode())) {
                counted.add(listener);
                continue;
            }
            ProcNetUnix.Claims claim = claims.get(listener.inode());
            // No line at all: it closed after the dump, and nobody waits on a closed listener.
            counted.add(claim == null ? listener.withBlocked(0, 0)
                    : listener.withBlocked(claim.blocked(), claim.extraLines()));
        }
        return new BlockedCount(counted, null);
    }

    /**
     * @param listeners  the listeners, the full ones with their blocked clients counted if they could be
     * @param unreadable why /proc/net/unix could not be read, or null
     */
    public record BlockedCount(List<UnixListener> listeners, String unreadable) {
    }

    private ListenerSnapshot<UnixListener> fromProc(String fallbackReason) throws KernelReadException {
        List<ProcNetUnix.Group> groups;
        try {
            groups = proc.netUnixListeners();
        } catch (ProcFileException e) {
            throw new KernelReadException(e.getMessage(), e);
        }
        List<UnixListener> listeners = new ArrayList<>(groups.size());
        for (ProcNetUnix.Group group : groups) {
            listeners.add(new UnixListener(UnixName.ofProcText(group.printedName()), SocketKind.ofUnixType(group.type()),
                    group.inodes(), group.pending(), OptionalLong.empty(), OptionalLong.of(group.blocked()),
                    group.extraLines()));
        }
        return new ListenerSnapshot<>(listeners, Source.PROC, fallbackReason);
    }

    private static int unixType(SocketKind kind) {
        return kind == SocketKind.UNIX_SEQPACKET ? ProcNetUnix.SOCK_SEQPACKET : ProcNetUnix.SOCK_STREAM;
    }
}
