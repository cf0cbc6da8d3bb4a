package org.checksocketbacklog.netlink;

/**
 * One TCP socket as inet_diag reports it: a listener, or a request socket in SYN-RECV.
 *
 * @param family       AF_INET (2) or AF_INET6 (10)
 * @param state        idiag_state: 10 LISTEN, 3 SYN_RECV (request sockets are reported as 3, never 12)
 * @param localAddress idiag_src in network byte order: 4 bytes for AF_INET, 16 for AF_INET6
 * @param localPort    idiag_sport
 * @param device       idiag_if: the device a listener is bound to (0 for none), or the interface a
 *                     request socket was filed under
 * @param inode        idiag_inode (0 for request sockets)
 * @param pending      idiag_rqueue: for a listener, established children not yet accepted
 * @param backlog      idiag_wqueue: for a listener, the effective listen() backlog
 * @param v6only       INET_DIAG_SKV6ONLY: an AF_INET6 listener that does not take IPv4 clients
 * @param cgroupId     INET_DIAG_CGROUP_ID: the cgroup v2 the socket was created in; 0 when the
 *                     kernel (before 5.7) sent none
 */
public record InetListenerRecord(int family, int state, byte[] localAddress, int localPort, int device, long inode,
        long pending, long backlog, boolean v6only, long cgroupId) {
}
