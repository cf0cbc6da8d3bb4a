package org.checksocketbacklog.evaluation;

import org.checksocketbacklog.plugin.Status;

/**
 * A selector that matched no listening socket.
 *
 * @param selector as the operator gave it ("/run/php/*.sock", "8080")
 * @param state    the --missing-state
 */
public record MissingSelector(String selector, Status state) implements Item {
}
