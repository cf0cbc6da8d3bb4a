package org.checksocketbacklog.testsupport.unix;

import org.checksocketbacklog.testsupport.libc.TestLibc;

/** The two connection-oriented AF_UNIX types that have a listen queue. */
public enum SocketType {
    STREAM(TestLibc.SOCK_STREAM, "u_str"),
    SEQPACKET(TestLibc.SOCK_SEQPACKET, "u_seq");

    private final int kernelType;
    private final String ssNetid;

    SocketType(int kernelType, String ssNetid) {
        this.kernelType = kernelType;
        this.ssNetid = ssNetid;
    }

    /** SOCK_* value, also the "Type" column of /proc/net/unix. */
    public int kernelType() {
        return kernelType;
    }

    /** Netid column of {@code ss -x}. */
    public String ssNetid() {
        return ssNetid;
    }
}
