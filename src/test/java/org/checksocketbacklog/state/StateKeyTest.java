package org.checksocketbacklog.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateKeyTest {
    private static final String NS = "net:[4026531840]";

    @Test
    void theRunsOfOneCommandLineShareAKey() {
        assertEquals(StateKey.of(List.of("-p", "80", "-p", "443", "--overflow-critical", "0"), NS),
                StateKey.of(List.of("-p", "80", "-p", "443", "--overflow-critical", "0"), NS));
    }

    @Test
    void anyOtherOptionOrNamespaceIsAnotherCheck() {
        String key = StateKey.of(List.of("-p", "80", "--overflow-critical", "0"), NS);
        assertNotEquals(key, StateKey.of(List.of("-p", "80", "--overflow-critical", "0"), "net:[4026532177]"));
        assertNotEquals(key, StateKey.of(List.of("-p", "80"), NS), "a service without thresholds does not take the delta");
        assertNotEquals(key, StateKey.of(List.of("-p", "80", "--overflow-critical", "0", "-v"), NS), "nor a run by hand");
        assertNotEquals(StateKey.of(List.of("a\",\"b"), NS), StateKey.of(List.of("a", "b"), NS),
                "quotes inside an argument are escaped");
    }

    @Test
    void aKeyIsOneLineWhateverTheArgumentsHold() {
        String key = StateKey.of(List.of("-s", "/run/a\nkey forged", "-s", "@x\u0000y", "\\"), NS);
        assertFalse(key.contains("\n") || key.contains("\u0000"), key);
        assertTrue(key.contains("\\u000a") && key.contains("\\\\"), key);
    }

    @Test
    void theFileNameIsAStableHashOfTheKey() {
        String name = StateKey.fileName(StateKey.of(List.of("-p", "80"), NS));
        assertTrue(name.matches("state-[0-9a-f]{16}"), name);
        assertEquals(name, StateKey.fileName(StateKey.of(List.of("-p", "80"), NS)));
        assertEquals("state-cbf29ce484222325", StateKey.fileName(""), "FNV-1a of nothing is its offset basis");
    }
}
