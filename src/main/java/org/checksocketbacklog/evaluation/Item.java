package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/** Something the result judged: a socket, or a selector that found none. */
public sealed interface Item permits SocketItem, MissingSelector {
    Status state();
}
