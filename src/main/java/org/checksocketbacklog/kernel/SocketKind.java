package org.checksocketbacklog.kernel;

/** What kind of listening socket a figure belongs to. */
public enum SocketKind {
    UNIX_STREAM("unix stream"),
    UNIX_SEQPACKET("unix seqpacket"),
    TCP4("tcp4"),
    TCP6("tcp6");

    private final String description;

    SocketKind(String description) {
        this.description = description;
    }

    /** The kernel's SOCK_* type number of a unix socket; null for types that cannot listen. */
    public static SocketKind ofUnixType(int sockType) {
        switch (sockType) {
            case 1: return UNIX_STREAM;
            case 5: return UNIX_SEQPACKET;
            default: return null;
        }
    }

    public String description() {
        return description;
    }
}
