package org.checksocketbacklog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Main's two decisions made before the arguments are parsed. */
class MainTest {
    /** --source proc is the way to run without JNA: no spelling of it may load JNA early. */
    @Test
    void anyArgumentThatMentionsProcKeepsJnaFromLoadingEarly() {
        for (String[] args : new String[][] {{"--source", "proc"}, {"--source=proc"}, {"--sour=PROC"}, {"--source", "Proc"},
            {"-s", "/run/a.sock", "--source", "proc"}, {"--source", "pRoC", "-v"}}) {
            assertEquals(true, Main.mentionsProc(args), String.join(" ", args));
        }
        assertEquals(false, Main.mentionsProc(new String[] {"-s", "/run/a.sock", "--source", "auto"}));
        assertEquals(false, Main.mentionsProc(new String[] {}));
        assertEquals(false, Main.mentionsProc(new String[] {"pro", "c", ""}));
    }

    /** The launcher's exit base: a whole number from 0 to 100, anything else as if it were absent. */
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
