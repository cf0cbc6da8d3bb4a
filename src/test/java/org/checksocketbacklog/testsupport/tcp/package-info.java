/**
 * Real TCP listeners on loopback in the states the plugin measures (accept queue, overflowing
 * clients, request sockets held by TCP_DEFER_ACCEPT, established pairs), and the
 * {@code sockaddr_in}/{@code sockaddr_in6} bytes they use. The {@code *Test} classes here prove
 * that the helpers build what they claim (docs/kernel-facts.md section 2).
 */
package org.checksocketbacklog.testsupport.tcp;
