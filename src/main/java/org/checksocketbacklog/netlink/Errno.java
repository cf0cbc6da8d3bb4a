package org.checksocketbacklog.netlink;

/**
 * The errno values this plugin can meet, with the words an operator reads in an UNKNOWN line.
 * A table rather than strerror(3): replies decoded from recorded fixtures carry errno values too,
 * and their messages must not depend on a native call.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int ENOBUFS = 105;

    private Errno() {
    }

    /** "EACCES (Permission denied)", or "errno 123" for values outside the table. */
    public static String describe(int errno) {
        switch (errno) {
            case EPERM: return "EPERM (Operation not permitted)";
            case ENOENT: return "ENOENT (No such file or directory)";
            case ESRCH: return "ESRCH (No such process)";
            case EINTR: return "EINTR (Interrupted system call)";
            case EAGAIN: return "EAGAIN (Resource temporarily unavailable)";
            case ENOMEM: return "ENOMEM (Cannot allocate memory)";
            case EACCES: return "EACCES (Permission denied)";
            case EINVAL: return "EINVAL (Invalid argument)";
            case EMFILE: return "EMFILE (Too many open files)";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT (Protocol not supported)";
            case EOPNOTSUPP: return "EOPNOTSUPP (Operation not supported)";
            case EAFNOSUPPORT: return "EAFNOSUPPORT (Address family not supported by protocol)";
            case ENOBUFS: return "ENOBUFS (No buffer space available)";
            default: return "errno " + errno;
        }
    }
}
