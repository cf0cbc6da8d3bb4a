package org.checksocketbacklog.testsupport.libc;

import java.util.function.IntSupplier;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc functions that {@link TestLibc} and {@link TcpLibc} call, bound once for both.
 *
 * <p>Interface mapping (not direct mapping) because {@code fcntl} is variadic, which direct
 * mapping does not support. Every function declares {@link LastErrorException}, so a -1 return
 * arrives as an exception carrying errno, which {@link #call} passes on as an
 * {@link ErrnoException}.
 */
final class Libc {
    interface Functions extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] addr, int addrLen) throws LastErrorException;

        int listen(int fd, int backlog) throws LastErrorException;

        int connect(int fd, byte[] addr, int addrLen) throws LastErrorException;

        int accept(int fd, Pointer addr, Pointer addrLen) throws LastErrorException;

        int fcntl(int fd, int cmd, Object... arg) throws LastErrorException;

        int getsockname(int fd, byte[] addr, int[] addrLen) throws LastErrorException;

        int getpeername(int fd, byte[] addr, int[] addrLen) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

        int getsockopt(int fd, int level, int name, byte[] value, int[] len) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        int unlink(byte[] path) throws LastErrorException;

        int gettid();

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;
    }

    static final Functions C = Native.load("c", Functions.class);

    private Libc() {
    }

    /** Runs one libc call; a -1 return, which JNA throws, becomes an {@link ErrnoException}. */
    static int call(String name, IntSupplier libcCall) {
        try {
            return libcCall.getAsInt();
        } catch (LastErrorException e) {
            throw new ErrnoException(name, e.getErrorCode(), e);
        }
    }
}
