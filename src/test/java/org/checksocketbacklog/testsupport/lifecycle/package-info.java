/**
 * What the unix and TCP socket helpers share about their lifetime: bounded waits for the kernel
 * to show a state ({@link org.checksocketbacklog.testsupport.lifecycle.KernelWait}), release, once,
 * of everything a helper made even when one step fails
 * ({@link org.checksocketbacklog.testsupport.lifecycle.Releasable},
 * {@link org.checksocketbacklog.testsupport.lifecycle.Cleanup}), one listener with what it made
 * ({@link org.checksocketbacklog.testsupport.lifecycle.OwnedSockets}) and all listeners of one
 * test, undone in reverse order ({@link org.checksocketbacklog.testsupport.lifecycle.ListenerOwner}).
 */
package org.checksocketbacklog.testsupport.lifecycle;
