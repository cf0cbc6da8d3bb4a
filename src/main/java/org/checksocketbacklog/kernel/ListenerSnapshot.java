package org.checksocketbacklog.kernel;

import java.util.List;

/**
 * The listeners of one family that one reading of the kernel found, and where they came from.
 *
 * @param fallbackReason why sock_diag was not used (its refusal, in words), or null when it was used
 *                       or not wanted
 */
public record ListenerSnapshot<L extends Listener>(List<L> listeners, Source source, String fallbackReason) {
}
