package org.checksocketbacklog.netlink;

/**
 * A netlink exchange that failed: a refused socket, a kernel error reply, a malformed or truncated
 * reply, a timeout. The message is one plain sentence fit for an UNKNOWN status line.
 */
public class NetlinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final boolean unavailable;

    public NetlinkException(String message) {
        this(message, 0);
    }

    public NetlinkException(String message, int errno) {
        this(errno == 0 ? message : message + ": " + Errno.describe(errno), errno, false);
    }

    private NetlinkException(String message, int errno, boolean unavailable) {
        super(message);
        this.errno = errno;
        this.unavailable = unavailable;
    }

    /** Netlink cannot be used at all here, for a reason that is not an errno (no native library). */
    public static NetlinkException unavailable(String message) {
        return new NetlinkException(message, 0, true);
    }

    /** The kernel's errno, or 0 when the failure is not an errno (a malformed reply, say). */
    public int errno() {
        return errno;
    }

    /**
     * Whether the kernel (or a seccomp or container policy in front of it) refused sock_diag as such,
     * rather than failing part-way: the cases in which reading /proc instead gives the same answer.
     * EPROTONOSUPPORT/EAFNOSUPPORT: no NETLINK_SOCK_DIAG; ENOENT/EOPNOTSUPP: no handler for the family
     * (unix_diag or inet_diag not built); EACCES/EPERM: a policy said no.
     */
    public boolean refused() {
        if (unavailable) {
            return true;
        }
        switch (errno) {
            case Errno.EPROTONOSUPPORT:
            case Errno.EAFNOSUPPORT:
            case Errno.ENOENT:
            case Errno.EOPNOTSUPP:
            case Errno.EACCES:
            case Errno.EPERM:
                return true;
            default:
                return false;
        }
    }
}
