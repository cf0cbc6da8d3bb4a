package org.checksocketbacklog.nativeio;

import com.sun.jna.LastErrorException;
import org.checksocketbacklog.kernel.NamespaceDoor;
import org.checksocketbacklog.netlink.Errno;

/**
 * Moves the calling thread into another network namespace (setns(2) on the namespace's file):
 * the sockets it opens afterwards, and /proc/thread-self/net and /proc/sys/net as it reads them,
 * are that namespace's. Only the calling thread moves; the rest of the process stays where it is.
 */
public final class NetworkNamespaceEntry implements NamespaceDoor {
    public NetworkNamespaceEntry() {
    }

    @Override
    public void enter(String file) throws EntryRefused {
        try {
            enterNamespace(file);
        } catch (EntryException e) {
            throw new EntryRefused(e.vanished() ? Refusal.VANISHED : e.denied() ? Refusal.DENIED : Refusal.FAILED,
                    e.getMessage());
        }
    }

    /** Why entering failed: the errno and what it means for the operator. */
    public static final class EntryException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        EntryException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        /** The namespace file is gone (the namespace's last process ended, or a wrong path). */
        public boolean vanished() {
            return errno == Errno.ENOENT || errno == Errno.ESRCH;
        }

        /** Not allowed: entering a network namespace needs CAP_SYS_ADMIN in it (root). */
        public boolean denied() {
            return errno == Errno.EPERM || errno == Errno.EACCES;
        }
    }

    /**
     * Enters the network namespace of {@code file} (/run/netns/NAME, /proc/PID/ns/net).
     *
     * @throws EntryException when the file cannot be opened or is no network namespace, or the
     *                        thread may not enter it
     */
    public static void enterNamespace(String file) throws EntryException {
        int fd;
        try {
            // Non-blocking and no controlling tty: whatever the path really is (a FIFO planted in
            // /run/netns, a terminal), opening it returns at once; setns then refuses what is no
            // namespace (EINVAL).
            fd = LibC.open(file, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK | LibC.O_NOCTTY);
        } catch (LastErrorException e) {
            throw new EntryException("cannot open " + file + ": " + Errno.describe(e.getErrorCode()), e.getErrorCode());
        } catch (LinkageError | OutOfMemoryError e) {
            throw new EntryException("cannot load JNA's native library to enter " + file + " (" + e + ")", 0);
        }
        try {
            LibC.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            throw new EntryException(errno == Errno.EINVAL ? file + " is not a network namespace"
                    : "cannot enter the network namespace " + file + ": " + Errno.describe(errno), errno);
        } finally {
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // The fd is gone either way.
            }
        }
    }
}
