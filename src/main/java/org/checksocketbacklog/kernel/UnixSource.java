package org.checksocketbacklog.kernel;

/** Where the AF_UNIX listener figures came from; the output names it. */
public enum UnixSource {
    SOCK_DIAG("sock_diag"),
    PROC_NET_UNIX("/proc/net/unix");

    private final String label;

    UnixSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
