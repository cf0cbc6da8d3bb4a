package org.checksocketbacklog.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertEquals(Status.CRITICAL, Status.UNKNOWN.worse(Status.CRITICAL).worse(Status.OK));
    }

    @Test
    void anUnknownSocketOutranksAnOkOneButNotAWarning() {
        assertEquals(Status.UNKNOWN, Status.OK.worse(Status.UNKNOWN).worse(Status.OK));
        assertEquals(Status.WARNING, Status.UNKNOWN.worse(Status.WARNING));
    }
}
