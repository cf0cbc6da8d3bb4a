package org.checksocketbacklog.arguments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.plugin.InvalidValueException;
import org.checksocketbacklog.plugin.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OptionValuesTest {
    @ParameterizedTest(name = "\"{0}\" parses as {1}")
    @CsvSource({
        "OK, OK", "ok, OK", "Ok, OK", "0, OK",
        "WARNING, WARNING", "warning, WARNING", "wArNiNg, WARNING", "1, WARNING",
        "CRITICAL, CRITICAL", "critical, CRITICAL", "Critical, CRITICAL", "2, CRITICAL",
        "UNKNOWN, UNKNOWN", "unknown, UNKNOWN", "3, UNKNOWN",
    })
    void stateAcceptsNamesInAnyCaseAndExitCodeDigits(String text, Status expected) {
        assertEquals(expected, OptionValues.state(text));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "4", "-1", "00", "01", "ok ", " ok", "warn", "crit", "okay", "cr\u0131t\u0131cal",
        "\uff2f\uff2b", "OK\n", "\u0663"})
    void stateRefusesAnythingElseQuotingItAsGiven(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> OptionValues.state(text));
        assertEquals("invalid status \"" + text + "\": expected OK, WARNING, CRITICAL, UNKNOWN or 0-3", e.getMessage());
    }

    @Test
    void basisAndSourceAreAsciiWordsInAnyCase() {
        assertEquals(Basis.SOCKET, OptionValues.basis("Socket"));
        assertEquals(Basis.SOMAXCONN, OptionValues.basis("SOMAXCONN"));
        assertEquals(SourcePreference.SOCK_DIAG, OptionValues.source("SOCK_DIAG"));
        assertEquals(SourcePreference.PROC, OptionValues.source("proc"));
        // The Kelvin sign folds to k in String.equalsIgnoreCase.
        assertEquals("expected somaxconn or socket, not \"soc\u212aet\"",
                assertThrows(InvalidValueException.class, () -> OptionValues.basis("soc\u212aet")).getMessage());
        assertThrows(InvalidValueException.class, () -> OptionValues.source("pr\u2170c"));
    }

    @Test
    void positiveIntegersAreAsciiDigitsWithoutSign() {
        assertEquals(5, OptionValues.positiveInteger("05", 10));
        for (String bad : new String[] {"0", "+5", "-5", "\u0663", "11", "", "1.5"}) {
            InvalidValueException e = assertThrows(InvalidValueException.class,
                    () -> OptionValues.positiveInteger(bad, 10), bad);
            assertEquals("expected a whole number from 1 to 10, not \"" + bad + "\"", e.getMessage());
        }
    }
}
