package org.checksocketbacklog.testsupport.unix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.checksocketbacklog.testsupport.libc.TestLibc;

/**
 * Raw {@code struct sockaddr_un} bytes: {@code sa_family_t sun_family} (u16, native order,
 * AF_UNIX) followed by {@code sun_path[108]}, truncated to the address length we pass.
 *
 * <p>Path names: the path plus its terminating NUL (the kernel tolerates either form, but with
 * the NUL the length is unambiguous). Abstract names: a leading NUL, then the name bytes, and
 * no trailing NUL, because for abstract sockets every byte up to addrlen is part of the name
 * (so the name may itself contain NULs).
 */
public final class SockAddrUn {
    /** sizeof(sun_path). */
    public static final int SUN_PATH_MAX = 108;

    private final byte[] bytes;
    private final String kernelName;

    private SockAddrUn(byte[] bytes, String kernelName) {
        this.bytes = bytes;
        this.kernelName = kernelName;
    }

    /** A filesystem name; at most 107 bytes in UTF-8 so that the NUL fits. */
    public static SockAddrUn path(String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length > SUN_PATH_MAX - 1) {
            throw new IllegalArgumentException("path must be 1.." + (SUN_PATH_MAX - 1) + " bytes: " + path);
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a path name cannot contain NUL: " + path);
        }
        return new SockAddrUn(build(new byte[0], name, new byte[] {0}), path);
    }

    /**
     * A filesystem name given as raw bytes, which need not be valid UTF-8 (the kernel takes any
     * bytes but NUL); {@link #kernelName()} shows each byte as one ISO-8859-1 char.
     */
    public static SockAddrUn pathBytes(byte[] path) {
        if (path.length == 0 || path.length > SUN_PATH_MAX - 1) {
            throw new IllegalArgumentException("path must be 1.." + (SUN_PATH_MAX - 1) + " bytes");
        }
        for (byte b : path) {
            if (b == 0) {
                throw new IllegalArgumentException("a path name cannot contain NUL");
            }
        }
        return new SockAddrUn(build(new byte[0], path, new byte[] {0}),
                new String(path, StandardCharsets.ISO_8859_1));
    }

    /**
     * An abstract name, given WITHOUT the leading NUL; it may contain NULs. The kernel (ss and
     * /proc/net/unix) shows it as {@code @name} with every NUL printed as {@code @}.
     */
    public static SockAddrUn abstractName(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        if (raw.length > SUN_PATH_MAX - 1) {
            throw new IllegalArgumentException("abstract name longer than 107 bytes: " + name);
        }
        return new SockAddrUn(build(new byte[] {0}, raw, new byte[0]), "@" + name.replace('\0', '@'));
    }

    private static byte[] build(byte[] prefix, byte[] name, byte[] suffix) {
        ByteBuffer b = ByteBuffer.allocate(2 + prefix.length + name.length + suffix.length)
                .order(ByteOrder.nativeOrder());
        b.putShort((short) TestLibc.AF_UNIX).put(prefix).put(name).put(suffix);
        return b.array();
    }

    /** The address bytes; their length is the addrlen to pass. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The name as ss and /proc/net/unix print it: {@code /path} or {@code @name}. */
    public String kernelName() {
        return kernelName;
    }

    @Override
    public String toString() {
        return kernelName;
    }
}
