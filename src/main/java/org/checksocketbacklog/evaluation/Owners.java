package org.checksocketbacklog.evaluation;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds the listeners that the output describes: the processes with a descriptor for each
 * socket, found in /proc/PID/fd, and what could not be seen.
 *
 * @param byInode           each described socket's holders, by inode; a socket no visible process
 *                          holds has none
 * @param hiddenProcesses   processes whose descriptors this user may not read (another user's,
 *                          unless the check runs as root): a socket may be theirs
 * @param lookedFor         the inodes whose holders were looked for (the sockets the output
 *                          describes as not OK, or every one with -v); nothing is said of others
 * @param unscanned         processes not looked at: the look is bounded in time
 * @param queuedClients     for a described unix listener with connections queued, the inode of each
 *                          queued connection's client, whose holders are in {@code byInode} too
 * @param createdIn         for a described TCP socket that no visible process holds, the systemd unit
 *                          or container whose cgroup the socket was created in (INET_DIAG_CGROUP_ID,
 *                          which any user may read): the service, though not its process
 */
public record Owners(Map<Long, List<Owner>> byInode, int hiddenProcesses, Set<Long> lookedFor, int unscanned,
        Map<Long, long[]> queuedClients, Map<Long, String> createdIn) {
    /**
     * One process holding a socket.
     *
     * @param pid     its process id
     * @param command its command name, as ps -o comm shows it (/proc/PID/comm)
     * @param unit    the systemd unit or container that owns it, from its cgroup, or null
     */
    public record Owner(long pid, String command, String unit) {
    }

    public List<Owner> of(long inode) {
        List<Owner> owners = byInode.get(inode);
        return owners == null ? List.of() : owners;
    }
}
