package org.checksocketbacklog.netlink;

/**
 * One AF_UNIX listener as sock_diag reports it.
 *
 * @param name    UNIX_DIAG_NAME, the raw sun_path bytes: "path\0", or "\0name" for an abstract name;
 *                empty when the kernel sent none
 * @param inode   udiag_ino
 * @param type    udiag_type: SOCK_STREAM (1) or SOCK_SEQPACKET (5)
 * @param pending udiag_rqueue: connections made but not yet accepted
 * @param backlog udiag_wqueue: the effective listen() backlog
 * @param fileInode  udiag_vfs_ino, the socket file's inode, when asked for and bound to a path; else 0
 * @param fileDevice udiag_vfs_dev, its file system's device as the kernel encodes it (major << 20 |
 *                   minor); else 0
 * @param clients    UNIX_DIAG_ICONS, when asked for: the inode of each queued connection's client
 *                   (0 for one whose client is gone); else empty
 */
public record UnixListenerRecord(byte[] name, long inode, int type, long pending, long backlog, long fileInode,
        long fileDevice, long[] clients) {
    public UnixListenerRecord(byte[] name, long inode, int type, long pending, long backlog) {
        this(name, inode, type, pending, backlog, 0, 0, new long[0]);
    }

    /**
     * The device as stat(2) gives it (st_dev, new_encode_dev): the kernel's 12-bit major and 20-bit
     * minor, rearranged as glibc's makedev does.
     */
    public long fileDeviceAsStat() {
        long major = fileDevice >>> 20;
        long minor = fileDevice & 0xfffff;
        return (minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12);
    }
}
