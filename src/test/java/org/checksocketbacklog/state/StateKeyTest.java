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
    void theRunsOfOneCheckShareAKeyWhateverTheOrderOfItsSelectors() {
        assertEquals(StateKey.of(List.of("/run/a", "/run/b"), List.of("80", "443"), List.of(), NS),
                StateKey.of(List.of("/run/b", "/run/a"), List.of("443", "80"), List.of(), NS));
    }

    @Test
    void differentChecksAndNamespacesHaveDifferentKeys() {
        String key = StateKey.of(List.of("/run/a"), List.of(), List.of(), NS);
        assertNotEquals(key, StateKey.of(List.of("/run/a"), List.of(), List.of(), "net:[4026532177]"));
        assertNotEquals(key, StateKey.of(List.of(), List.of("/run/a"), List.of(), NS), "a socket is not a port");
        assertNotEquals(key, StateKey.of(List.of("/run/a"), List.of(), List.of("/run/a"), NS));
        assertNotEquals(StateKey.of(List.of("a\",\"b"), List.of(), List.of(), NS),
                StateKey.of(List.of("a", "b"), List.of(), List.of(), NS), "quotes inside a selector are escaped");
    }

    @Test
    void aKeyIsOneLineWhateverTheSelectorsHold() {
        String key = StateKey.of(List.of("/run/a\nkey forged", "@x\u0000y", "\\"), List.of(), List.of(), NS);
        assertFalse(key.contains("\n") || key.contains("\u0000"), key);
        assertTrue(key.contains("\\u000a") && key.contains("\\\\"), key);
    }

    @Test
    void theFileNameIsAStableHashOfTheKey() {
        String name = StateKey.fileName(StateKey.of(List.of(), List.of("80"), List.of(), NS));
        assertTrue(name.matches("state-[0-9a-f]{16}"), name);
        assertEquals(name, StateKey.fileName(StateKey.of(List.of(), List.of("80"), List.of(), NS)));
        assertEquals("state-cbf29ce484222325", StateKey.fileName(""), "FNV-1a of nothing is its offset basis");
    }
}
