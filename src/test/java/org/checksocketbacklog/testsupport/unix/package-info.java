/**
 * Real AF_UNIX listeners in the states the plugin measures (queued connections, connectors
 * blocked in connect()), and the {@code sockaddr_un} bytes they are bound with. The
 * {@code *Test} classes here prove that the helpers build what they claim (docs/kernel-facts.md
 * section 1).
 */
package org.checksocketbacklog.testsupport.unix;
