package org.checksocketbacklog.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checksocketbacklog.arguments.ListFormat;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.SocketKind;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixName;
import org.junit.jupiter.api.Test;

/**
 * --list's service names are one per listener: names that differ only where a format would
 * replace or drop something (! in Icinga 2, Nagios's illegal characters and trailing blanks, a
 * backslash next to an escape) still give services of their own, so no socket can hide another.
 */
class ListenerListTest {
    private static final List<String> NAMES = List.of("\0ISC_NAME", "\0ISC!NAME", "\0ISC_NAME #2", "\0ISC\\x21NAME",
            "\0ng_x", "\0ng;x", "\0ng_x #2", "\0trail", "\0trail ", "/tmp/star*", "/tmp/star\\x2a", "/tmp/star\\*",
            "/tmp/a\\", "/tmp/a\\\\");

    private static List<Listener> listeners() {
        List<Listener> listeners = new ArrayList<>();
        long inode = 100;
        for (String name : NAMES) {
            listeners.add(UnixListener.ofSockDiag(UnixName.ofSunPath(name.getBytes(StandardCharsets.UTF_8)),
                    SocketKind.UNIX_STREAM, inode++, 0, 5));
        }
        return listeners;
    }

    private static Set<String> matches(String text, String regex) {
        Set<String> found = new HashSet<>();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void everyListenerGetsAnIcinga2ServiceOfItsOwn() {
        String listing = ListenerList.render(listeners(), ListFormat.ICINGA2);
        Set<String> keys = matches(listing, "^vars\\.socket_backlog_listeners\\[(\".*\")\\] = ");
        assertEquals(NAMES.size(), keys.size(), listing);
        for (String key : keys) {
            assertEquals(-1, key.indexOf('!'), "! separates host and service names: " + key);
        }
    }

    @Test
    void everyListenerGetsANagiosServiceOfItsOwn() {
        String listing = ListenerList.render(listeners(), ListFormat.NAGIOS);
        Set<String> descriptions = new HashSet<>();
        for (String line : listing.split("\n")) {
            if (line.startsWith("    service_description")) {
                // As Nagios reads the value: without the blanks around it.
                descriptions.add(line.substring("    service_description".length()).strip());
            }
        }
        assertEquals(NAMES.size() - 1, descriptions.size(), "all but the one with !, which is left out: " + listing);
        for (String description : descriptions) {
            for (char c : "`~!$%^&*|'\"<>?,()=;".toCharArray()) {
                assertEquals(-1, description.indexOf(c), c + " is illegal in a Nagios object name: " + description);
            }
        }
    }

    @Test
    void theEscapeReadsBackOneWay() {
        assertEquals("a\\x5c\\x2ab", ListenerList.hexEscaped("a\\*b", "*\\", false));
        assertEquals("a\\x5cx2ab", ListenerList.hexEscaped("a\\x2ab", "*\\", false));
        assertEquals("trail\\x20", ListenerList.hexEscaped("trail ", "\\", true));
        assertEquals("in side", ListenerList.hexEscaped("in side", "\\", true), "only a trailing blank");
    }
}
