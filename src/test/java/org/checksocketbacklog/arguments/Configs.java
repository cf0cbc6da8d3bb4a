package org.checksocketbacklog.arguments;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Configurations for tests, parsed from command lines as the plugin parses them. */
public final class Configs {
    private Configs() {
    }

    public static CheckConfig config(String... args) throws UsageException {
        return assertInstanceOf(Request.Check.class, Arguments.parse(args)).config();
    }
}
