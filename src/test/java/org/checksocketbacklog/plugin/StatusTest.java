package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusTest {

    @ParameterizedTest(name = "{0} exits with {1}")
    @CsvSource({"OK, 0", "WARNING, 1", "CRITICAL, 2", "UNKNOWN, 3"})
    void exitCodesFollowThePluginApi(Status status, int exitCode) {
        assertEquals(exitCode, status.exitCode());
    }

    @ParameterizedTest(name = "{0} worse {1} = {2}")
    @CsvSource({
        "OK, OK, OK",
        "OK, UNKNOWN, UNKNOWN",
        "OK, WARNING, WARNING",
        "OK, CRITICAL, CRITICAL",
        "UNKNOWN, OK, UNKNOWN",
        "UNKNOWN, UNKNOWN, UNKNOWN",
        "UNKNOWN, WARNING, WARNING",
        "UNKNOWN, CRITICAL, CRITICAL",
        "WARNING, OK, WARNING",
        "WARNING, UNKNOWN, WARNING",
        "WARNING, WARNING, WARNING",
        "WARNING, CRITICAL, CRITICAL",
        "CRITICAL, OK, CRITICAL",
        "CRITICAL, UNKNOWN, CRITICAL",
        "CRITICAL, WARNING, CRITICAL",
        "CRITICAL, CRITICAL, CRITICAL",
    })
    void worseRanksOkBelowUnknownBelowWarningBelowCritical(Status a, Status b, Status expected) {
        assertEquals(expected, a.worse(b));
    }

    @Test
    void worseRejectsNull() {
        assertThrows(NullPointerException.class, () -> Status.OK.worse(null));
    }

    @Test
    void aCriticalSocketOutranksAnUnknownOne() {
        assertEquals(Status.CRITICAL, Status.worst(List.of(Status.UNKNOWN, Status.CRITICAL, Status.OK)));
    }

    @Test
    void anUnknownSocketOutranksAnOkOneButNotAWarning() {
        assertEquals(Status.UNKNOWN, Status.worst(List.of(Status.OK, Status.UNKNOWN, Status.OK)));
        assertEquals(Status.WARNING, Status.worst(List.of(Status.UNKNOWN, Status.WARNING)));
    }

    @Test
    void worstOfNothingIsOk() {
        assertEquals(Status.OK, Status.worst(List.of()));
    }

    @ParameterizedTest(name = "\"{0}\" parses as {1}")
    @CsvSource({
        "OK, OK", "ok, OK", "Ok, OK", "0, OK",
        "WARNING, WARNING", "warning, WARNING", "wArNiNg, WARNING", "1, WARNING",
        "CRITICAL, CRITICAL", "critical, CRITICAL", "Critical, CRITICAL", "2, CRITICAL",
        "UNKNOWN, UNKNOWN", "unknown, UNKNOWN", "3, UNKNOWN",
    })
    void parseAcceptsNamesInAnyCaseAndExitCodeDigits(String text, Status expected) {
        assertEquals(expected, Status.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "4", "-1", "00", "01", "ok ", " ok", "warn", "crit", "okay", "crıtıcal", "ＯＫ", "OK\n"})
    void parseRefusesAnythingElse(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Status.parse(text));
        assertEquals("invalid status " + Texts.quoted(text) + ": expected OK, WARNING, CRITICAL, UNKNOWN or 0-3",
                e.getMessage());
    }

    @Test
    void parseRefusesNullWithAPlainMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Status.parse(null));
        assertEquals("missing status: expected OK, WARNING, CRITICAL, UNKNOWN or 0-3", e.getMessage());
    }

    /** Messages carry the text as given; the output sanitizer (ReportTest) makes it one safe line, once. */
    @Test
    void parseMessageQuotesTheTextAsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Status.parse("a\nb|c"));
        assertEquals("invalid status \"a\nb|c\": expected OK, WARNING, CRITICAL, UNKNOWN or 0-3", e.getMessage());
    }
}
