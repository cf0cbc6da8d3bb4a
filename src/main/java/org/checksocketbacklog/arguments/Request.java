package org.checksocketbacklog.arguments;

/** What the command line asks for. */
public sealed interface Request {
    record Help() implements Request {
    }

    record Version() implements Request {
    }

    record Check(CheckConfig config) implements Request {
    }

    /** --list: the selected listeners, written for a configuration, instead of a check. */
    record ListListeners(CheckConfig config, ListFormat format) implements Request {
    }
}
