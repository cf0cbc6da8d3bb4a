package org.checksocketbacklog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The launcher's exit base: a whole number from 0 to 100, anything else as if it were absent. */
class MainTest {
    @Test
    void exitBaseIsTheLaunchersNumberOrNothing() {
        assertEquals(0, Main.exitBase(null), "java -jar: exit 0..3");
        assertEquals(10, Main.exitBase("10"), "the launcher's");
        assertEquals(0, Main.exitBase("0"));
        assertEquals(100, Main.exitBase("100"));
        // Out of range (124 + 3 would look like timeout(1)'s own codes, 128+ like a signal) or not a number.
        for (String bad : new String[] {"101", "125", "-1", "", " 10", "ten", "10.0", "99999999999"}) {
            assertEquals(0, Main.exitBase(bad), bad);
        }
    }
}
