package org.checksocketbacklog.arguments;

/** What --list writes: a line per listener, for a configuration to take in. */
public enum ListFormat {
    /** "-s '/run/php/www.sock'", "-p '127.0.0.1:8080'": shell words, for scripts and command lines. */
    SELECTORS("selectors"),
    /** Host variables for an Icinga 2 {@code apply Service for}: one service per listener. */
    ICINGA2("icinga2"),
    /** Nagios service definitions, one per listener. */
    NAGIOS("nagios");

    private final String word;

    ListFormat(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
