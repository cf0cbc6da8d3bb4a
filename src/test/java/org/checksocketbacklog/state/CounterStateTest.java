package org.checksocketbacklog.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CounterStateTest {
    static CounterState sample() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("ListenOverflows", 12L);
        counters.put("ListenDrops", -1L); // 2^64 - 1: counters are unsigned
        counters.put("TCPReqQFullDrop", 0L);
        return new CounterState("netns=net:[4026531840] arguments=[\"-p\",\"80\"]",
                "97f1a6cd-6459-4988-a7b5-cbb9265b197b", "net:[4026531840]", -2L, 1796166868358L, counters);
    }

    @Test
    void whatIsWrittenIsReadBackWhole() throws StateFormatException {
        CounterState state = sample();
        String text = state.encode();
        assertEquals(state, CounterState.decode(text));
        assertTrue(text.contains("counter ListenDrops 18446744073709551615\n"), text);
        assertTrue(text.contains("netns_cookie 18446744073709551614\n"), "the cookie is unsigned too: " + text);
        assertTrue(text.endsWith("\nend\n"), text);
    }

    @ParameterizedTest(name = "damaged: {0}")
    @ValueSource(strings = {"cut", "no end", "extra line", "negative", "letters", "leading zero", "too big",
        "duplicate counter", "bad counter name", "empty time", "missing key", "end not last", "empty",
        "cut in the first line", "no cookie"})
    void aDamagedFileOfOursIsToldFromAForeignOne(String damage) {
        String text = sample().encode();
        String damaged = switch (damage) {
            case "cut" -> text.substring(0, text.length() - 12);
            case "no end" -> text.replace("end\n", "");
            case "extra line" -> text + "counter X 1\n";
            case "negative" -> text.replace("ListenOverflows 12", "ListenOverflows -12");
            case "letters" -> text.replace("ListenOverflows 12", "ListenOverflows 1x");
            case "leading zero" -> text.replace("ListenOverflows 12", "ListenOverflows 012");
            case "too big" -> text.replace("ListenOverflows 12", "ListenOverflows 18446744073709551616");
            case "duplicate counter" -> text.replace("counter ListenDrops", "counter ListenOverflows");
            case "bad counter name" -> text.replace("counter ListenDrops", "counter Listen:Drops");
            case "empty time" -> text.replace("time_ms 1796166868358", "time_ms ");
            case "missing key" -> text.replaceFirst("key [^\n]*\n", "");
            case "end not last" -> text.replace("end\n", "end\ncounter Y 2\n");
            case "empty" -> "";
            case "cut in the first line" -> text.substring(0, 12);
            case "no cookie" -> text.replaceFirst("netns_cookie [^\n]*\n", "");
            default -> throw new IllegalArgumentException(damage);
        };
        StateFormatException e = assertThrows(StateFormatException.class, () -> CounterState.decode(damaged));
        assertFalse(e.foreign(), damage + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "foreign: {0}")
    @ValueSource(strings = {"hello\n", "check_socket_backlog counter state 2\nkey x\n", "{\"json\": true}"})
    void aFileThatIsNotOursIsForeign(String text) {
        StateFormatException e = assertThrows(StateFormatException.class, () -> CounterState.decode(text));
        assertTrue(e.foreign(), e.getMessage());
    }
}
