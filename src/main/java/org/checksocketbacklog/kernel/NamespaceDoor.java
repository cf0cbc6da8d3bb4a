package org.checksocketbacklog.kernel;

/**
 * Moves the calling thread into a network namespace: the one way into another namespace, which
 * the check's caller provides (setns through JNA) and tests can replace.
 */
public interface NamespaceDoor {
    /** Why a namespace could not be entered. */
    enum Refusal {
        /** Its file is gone: the namespace ended (its last process exited, ip netns delete). */
        VANISHED,
        /** Not permitted: entering needs CAP_SYS_ADMIN (root). */
        DENIED,
        /** Anything else (not a network namespace, no JNA). */
        FAILED
    }

    /** Thrown when the thread stays where it was. */
    final class EntryRefused extends Exception {
        private static final long serialVersionUID = 1L;
        private final Refusal refusal;

        public EntryRefused(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Enters the network namespace of {@code file} (/run/netns/NAME, /proc/PID/ns/net, ...). */
    void enter(String file) throws EntryRefused;
}
