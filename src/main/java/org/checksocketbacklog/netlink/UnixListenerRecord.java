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
 */
public record UnixListenerRecord(byte[] name, long inode, int type, long pending, long backlog) {
}
