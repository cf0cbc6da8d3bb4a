package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/**
 * A selector that matched no listening socket, or a network namespace selector that named none.
 *
 * @param selector as the operator gave it ("/run/php/*.sock", "8080", "netns web")
 * @param state    the --missing-state
 * @param hint     what else is known about it
 * @param detail   for {@link Hint#NO_NAMESPACE}, why no namespace was found; else null
 */
public record MissingSelector(String selector, Status state, Hint hint, String detail) implements Item {
    public enum Hint {
        /** Nothing listens on it. */
        NONE,
        /**
         * Nothing listens on it in the namespaces read, though the path is a socket file: its service
         * died and left the file, or it listens in another network namespace (a container that shares
         * the directory with the host).
         */
        SOCKET_FILE,
        /** The same, when every namespace of the host was read (--all-netns): the file is stale. */
        STALE_SOCKET_FILE,
        /** A --netns or --netns-pid that names no network namespace (a container that is not running). */
        NO_NAMESPACE
    }

    public MissingSelector(String selector, Status state) {
        this(selector, state, Hint.NONE, null);
    }
}
