package org.checksocketbacklog.nativeio;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The libc calls the plugin needs, and nothing else: the only class that touches JNA.
 *
 * <p>Direct mapping ({@code Native.register}) rather than an interface proxy: it binds once at class
 * initialisation and needs no java.lang.reflect.Proxy, which is cheaper on every start-up.
 * {@code throws LastErrorException} makes JNA read errno right after the call, before anything else
 * in the JVM can overwrite it.
 */
final class LibC {
    static {
        Native.register("c");
    }

    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_TRUNC = 0x20;

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    static native int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    static native NativeLong send(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    static native NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;
}
