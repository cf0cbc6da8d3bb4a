/**
 * Independent readers of the kernel's state that the tests compare the plugin with: {@code ss}
 * (sock_diag through iproute2), /proc/net/unix, /proc/net/tcp{,6}, /proc/net/netstat, /proc/sys
 * and /proc/self/fd. None of them goes through the plugin's code, and each has its own parser
 * test on text copied from a real kernel.
 */
package org.checksocketbacklog.testsupport.oracles;
