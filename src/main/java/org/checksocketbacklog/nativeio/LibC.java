package org.checksocketbacklog.nativeio;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The libc calls the plugin needs, and nothing else: the only class that touches JNA.
 *
 * <p>Through JNA's {@link Function} objects rather than a mapped interface or direct mapping
 * ({@code Native.register}): direct mapping works out a libffi type for every parameter of every
 * method up front, which initialises {@code Structure} and builds dynamic proxies for its
 * annotations (no class archive can hold them), about 20 ms of every start-up on JDK 17; a
 * Function call passes its arguments as they are. {@link Function#THROW_LAST_ERROR} makes JNA read
 * errno right after the call, before anything else in the JVM can overwrite it, and throw it as a
 * {@link LastErrorException}.
 *
 * <p>The functions take ints, strings, int arrays, byte arrays and a {@code size_t}; the size is passed and the
 * {@code ssize_t} result read at the platform's width ({@link Native#SIZE_T_SIZE}).
 */
final class LibC {
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    /** Linux 5.14+: the network namespace's 64-bit cookie, unique for the boot (never reused, unlike its inode). */
    static final int SO_NETNS_COOKIE = 71;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_TRUNC = 0x20;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int O_NOCTTY = 0x100;
    static final int CLONE_NEWNET = 0x40000000;

    private static final boolean WIDE_SIZE = Native.SIZE_T_SIZE == 8;
    private static final NativeLibrary C = NativeLibrary.getInstance("c");
    private static final Function SOCKET = function("socket");
    private static final Function SETSOCKOPT = function("setsockopt");
    private static final Function GETSOCKOPT = function("getsockopt");
    private static final Function SEND = function("send");
    private static final Function RECV = function("recv");
    private static final Function CLOSE = function("close");
    private static final Function OPEN = function("open");
    private static final Function SETNS = function("setns");

    private LibC() {
    }

    private static Function function(String name) {
        return C.getFunction(name, Function.THROW_LAST_ERROR);
    }

    /** Loads JNA and libc now: everything the first call would otherwise do first. */
    static void load() {
        // Class initialisation has done it by the time this runs.
    }

    static int socket(int domain, int type, int protocol) throws LastErrorException {
        return SOCKET.invokeInt(new Object[] {domain, type, protocol});
    }

    static int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException {
        return SETSOCKOPT.invokeInt(new Object[] {fd, level, name, value, length});
    }

    /** {@code length} holds the value's size in and the size written out (socklen_t, an int on Linux). */
    static int getsockopt(int fd, int level, int name, byte[] value, int[] length) throws LastErrorException {
        return GETSOCKOPT.invokeInt(new Object[] {fd, level, name, value, length});
    }

    static long send(int fd, byte[] buffer, int length, int flags) throws LastErrorException {
        return sized(SEND, new Object[] {fd, buffer, size(length), flags});
    }

    static long recv(int fd, byte[] buffer, int length, int flags) throws LastErrorException {
        return sized(RECV, new Object[] {fd, buffer, size(length), flags});
    }

    /** {@code path} as the kernel takes it: the bytes of the string and a NUL (JNA passes a String so). */
    static int open(String path, int flags) throws LastErrorException {
        return OPEN.invokeInt(new Object[] {path, flags});
    }

    static int setns(int fd, int type) throws LastErrorException {
        return SETNS.invokeInt(new Object[] {fd, type});
    }

    static int close(int fd) throws LastErrorException {
        return CLOSE.invokeInt(new Object[] {fd});
    }

    /** A size_t argument: JNA passes a Long as 64 bits and an Integer as 32. */
    private static Object size(int length) {
        return WIDE_SIZE ? (Object) Long.valueOf(length) : (Object) Integer.valueOf(length);
    }

    /** A call that returns ssize_t, as a long. */
    private static long sized(Function function, Object[] arguments) throws LastErrorException {
        return WIDE_SIZE ? function.invokeLong(arguments) : function.invokeInt(arguments);
    }
}
