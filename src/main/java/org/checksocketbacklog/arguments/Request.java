package org.checksocketbacklog.arguments;

/** What the command line asks for. */
public sealed interface Request {
    record Help() implements Request {
    }

    record Version() implements Request {
    }

    record Check(CheckConfig config) implements Request {
    }
}
