package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/**
 * Something the result judged: a socket, a selector that found none, the overflows since the
 * previous run, or a misconfiguration found.
 */
public sealed interface Item permits SocketItem, MissingSelector, Overflows, Finding {
    Status state();
}
