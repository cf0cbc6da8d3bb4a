package org.checksocketbacklog.testsupport.tcp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import org.checksocketbacklog.testsupport.libc.TcpLibc;

/**
 * Where a test TCP listener binds. Clients only ever connect over loopback, whatever the bind
 * address (see {@link #acceptsPeer(InetAddress)}).
 */
public enum TcpBind {
    /** 127.0.0.1; ss prints {@code 127.0.0.1:PORT}. */
    IPV4_LOOPBACK(new byte[] {127, 0, 0, 1}, StandardProtocolFamily.INET),
    /**
     * ::1. inet6_bind() sets v6only by itself for any specific, non-v4-mapped address
     * (docs/kernel-facts.md 2.7), so no IPv4 client can reach it; ss prints {@code [::1]:PORT}.
     */
    IPV6_LOOPBACK(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, StandardProtocolFamily.INET6),
    /**
     * :: with IPV6_V6ONLY=0: one AF_INET6 socket that also takes IPv4 connections, whose
     * children and request sockets carry v4-mapped addresses (::ffff:127.0.0.1) and appear in
     * /proc/net/tcp6. ss prints the local address as {@code *:PORT}. It listens on every
     * interface, but the helpers connect to it over loopback only.
     */
    DUAL_STACK_ANY(new byte[16], StandardProtocolFamily.INET6);

    private static final byte[] V4_LOOPBACK = {127, 0, 0, 1};

    private final byte[] address;
    private final StandardProtocolFamily family;

    TcpBind(byte[] address, StandardProtocolFamily family) {
        this.address = address;
        this.family = family;
    }

    public InetAddress bindAddress() {
        return byAddress(address);
    }

    public StandardProtocolFamily family() {
        return family;
    }

    /** AF_INET or AF_INET6, for socket(2). */
    public int kernelFamily() {
        return family == StandardProtocolFamily.INET ? TcpLibc.AF_INET : TcpLibc.AF_INET6;
    }

    /**
     * The address clients use unless a test names one: the listener's own loopback address, and
     * 127.0.0.1 for the dual-stack listener, because IPv4 clients on an IPv6 socket are the case
     * worth exercising there (pass ::1 explicitly for the other).
     */
    public InetAddress defaultPeer() {
        return this == IPV6_LOOPBACK ? bindAddress() : byAddress(V4_LOOPBACK);
    }

    /**
     * Whether a client connecting to {@code peer} reaches this listener, and {@code peer} is a
     * loopback address (127.0.0.0/8 or ::1): the tests' network rule.
     */
    public boolean acceptsPeer(InetAddress peer) {
        if (!peer.isLoopbackAddress()) {
            return false;
        }
        return switch (this) {
            case IPV4_LOOPBACK -> peer.equals(bindAddress());
            case IPV6_LOOPBACK -> peer.equals(bindAddress());
            case DUAL_STACK_ANY -> true;
        };
    }

    /** Whether {@code peer} needs an AF_INET client socket. */
    static boolean isIpv4(InetAddress peer) {
        return peer instanceof Inet4Address;
    }

    private static InetAddress byAddress(byte[] a) {
        try {
            return InetAddress.getByAddress(a.clone());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // lengths are 4 or 16
        }
    }
}
