package org.checksocketbacklog.check;

/** What a socket's usage percentage is a percentage of. */
public enum Basis {
    /**
     * somaxconn x CPUs x 2, the capacity the original documents divided by (and the check they
     * replaced). It is the same for every socket on the host.
     */
    SOMAXCONN("somaxconn"),
    /**
     * backlog + 1 of the socket itself: the queue length at which the kernel starts refusing
     * (EAGAIN for a non-blocking AF_UNIX connect, dropped SYNs for TCP).
     */
    SOCKET("socket");

    private final String optionValue;

    Basis(String optionValue) {
        this.optionValue = optionValue;
    }

    public String optionValue() {
        return optionValue;
    }

    static Basis parse(String text) {
        for (Basis basis : values()) {
            if (basis.optionValue.equalsIgnoreCase(text)) {
                return basis;
            }
        }
        throw new IllegalArgumentException("--basis takes \"somaxconn\" or \"socket\", not \"" + text + "\"");
    }
}
