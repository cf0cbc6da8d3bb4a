package org.checksocketbacklog.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Unix socket names for tests. */
public final class Names {
    private Names() {
    }

    /** A name as the output writes it: "@name" for an abstract one (UTF-8), a path otherwise. */
    public static UnixName written(String written) {
        byte[] bytes = written.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            return UnixName.ofSunPath(bytes);
        }
        if (written.startsWith("@")) {
            bytes[0] = 0;
            return UnixName.ofSunPath(bytes);
        }
        return UnixName.ofSunPath(Arrays.copyOf(bytes, bytes.length + 1));
    }

    /** A name from raw sun_path bytes, as sock_diag gives them. */
    public static UnixName raw(int... bytes) {
        byte[] sunPath = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            sunPath[i] = (byte) bytes[i];
        }
        return UnixName.ofSunPath(sunPath);
    }
}
