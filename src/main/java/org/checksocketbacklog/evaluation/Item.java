package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/** Something the result judged: a socket, a selector that found none, or the overflows since the previous run. */
public sealed interface Item permits SocketItem, MissingSelector, Overflows {
    Status state();
}
