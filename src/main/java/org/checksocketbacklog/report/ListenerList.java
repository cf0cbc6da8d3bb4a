package org.checksocketbacklog.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checksocketbacklog.arguments.ListFormat;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.selection.Glob;

/**
 * --list: the host's listeners as a configuration takes them in, so that each socket becomes a
 * service of its own, with its own state history and graphs. Every listener is written as the
 * selector that picks it and nothing else (-s with its exact name, wildcards escaped; -p with its
 * address and port), once: the listeners of one name, or of one SO_REUSEPORT group, are one.
 *
 * <p>A socket name is anyone's to choose, so each format escapes what its reader would take as
 * syntax, and leaves a listener out, with a comment saying so, where the format cannot carry it.
 * Service names are made from the selector by an escape that loses nothing ({@link #hexEscaped}):
 * were two sockets' names to give one service name, one service would hide the other socket, and
 * anyone can bind an abstract name to shadow another's.
 */
public final class ListenerList {
    /**
     * Nagios's default illegal_object_name_chars, the comment character, and the backslash, which
     * {@link #hexEscaped} escapes too.
     */
    private static final String NAGIOS_ILLEGAL = "`~!$%^&*|'\"<>?,()=;\\";

    private ListenerList() {
    }

    /** One listener as an option and its value: "-s" and an exact pattern, or "-p" and ADDR:PORT. */
    record Selector(String option, String value) {
        /** The Icinga 2 CheckCommand variable of the option. */
        String icingaVariable() {
            return option.equals("-s") ? "socket_backlog_socket" : "socket_backlog_port";
        }
    }

    public static String render(List<Listener> listeners, ListFormat format) {
        List<Selector> selectors = selectors(listeners);
        StringBuilder out = new StringBuilder();
        switch (format) {
            case SELECTORS:
                for (Selector selector : selectors) {
                    out.append(selector.option()).append(' ').append(shellWord(selector.value())).append('\n');
                }
                break;
            case ICINGA2:
                out.append("/* check_socket_backlog --list icinga2: in a Host object, one service per listener with\n"
                        + " *   apply Service \"backlog \" for (name => config in host.vars.socket_backlog_listeners) {\n"
                        + " *     check_command = \"socket_backlog\"\n"
                        + " *     vars += config\n"
                        + " *   }\n"
                        + " */\n");
                for (Selector selector : selectors) {
                    String value = icingaString(selector.value(), true);
                    // "!" separates host and service in an Icinga 2 object name: not in the service's.
                    String key = hexEscaped(selector.value(), "!\\", false);
                    out.append("vars.socket_backlog_listeners[").append(icingaString(key, false))
                            .append("] = { ").append(selector.icingaVariable()).append(" = [ ").append(value)
                            .append(" ] }\n");
                }
                break;
            case NAGIOS:
                nagios(selectors, out);
                break;
            default:
                throw new IllegalArgumentException(format.toString());
        }
        return out.toString();
    }

    static List<Selector> selectors(List<Listener> listeners) {
        // Unix names first, then TCP by port and address: the order of the check's own output.
        Map<String, Selector> unix = new TreeMap<>();
        Map<String, Selector> tcp = new TreeMap<>();
        for (Listener listener : listeners) {
            if (listener instanceof UnixListener) {
                String pattern = Glob.literalOf(((UnixListener) listener).name());
                unix.putIfAbsent(pattern, new Selector("-s", pattern));
            } else {
                TcpListener socket = (TcpListener) listener;
                String key = String.format("%05d %s", socket.endpoint().port(), socket.endpoint().displayName());
                tcp.putIfAbsent(key, new Selector("-p", socket.endpoint().displayName()));
            }
        }
        List<Selector> selectors = new ArrayList<>(unix.values());
        selectors.addAll(tcp.values());
        return selectors;
    }

    /**
     * {@code pattern} (an exact -s pattern or a -p ADDR:PORT) with each character of {@code chars}
     * (which must hold the backslash), and a trailing blank if {@code trailingBlank}, written as
     * \xNN. Nothing is lost: every backslash of the result starts an escape, so it reads back one
     * way, and two patterns never give one name.
     */
    static String hexEscaped(String pattern, String chars, boolean trailingBlank) {
        StringBuilder escaped = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (chars.indexOf(c) >= 0 || trailingBlank && c == ' ' && i == pattern.length() - 1) {
                escaped.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** One shell word: single quotes, a single quote inside as '\''. */
    static String shellWord(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * An Icinga 2 string literal of {@code text}; with {@code macros}, one whose value is
     * {@code text} once Icinga 2 resolves the macros of a command argument in it.
     */
    static String icingaString(String text, boolean macros) {
        StringBuilder literal = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': literal.append("\\\""); break;
                case '\\': literal.append("\\\\"); break;
                case '$': literal.append(macros ? "$$" : "$"); break; // a macro's delimiter in arguments
                default: literal.append(c);
            }
        }
        return literal.append('"').toString();
    }

    /**
     * Service definitions on a template the operator defines once (host_name, intervals, contacts):
     * the listing is the same whatever Nagios calls this host. The value goes through $ARG1$ into
     * the command line, which Nagios hands to /bin/sh: one single-quoted word, $ doubled, ; escaped.
     * A name with ! (which separates $ARGn$) cannot be passed and is left out, said so.
     */
    private static void nagios(List<Selector> selectors, StringBuilder out) {
        out.append("# check_socket_backlog --list nagios: one service per listener, on a template that names the\n"
                + "# host (define service { name socket-backlog-service; use generic-service; host_name HOST;\n"
                + "# register 0 }) and the packaged command check_socket_backlog.\n");
        for (Selector selector : selectors) {
            if (selector.value().indexOf('!') >= 0) {
                out.append("# left out: a listener whose name holds \"!\", which separates Nagios's $ARGn$\n");
                continue;
            }
            // Nagios strips a value's trailing blanks: a name ending in one must keep it visibly.
            String description = "backlog " + hexEscaped(selector.value(), NAGIOS_ILLEGAL, true);
            String argument = (selector.option() + " " + shellWord(selector.value())).replace("$", "$$")
                    .replace(";", "\\;");
            out.append("define service {\n")
                    .append("    use                     socket-backlog-service\n")
                    .append("    service_description     ").append(description).append('\n')
                    .append("    check_command           check_socket_backlog!").append(argument).append('\n')
                    .append("}\n");
        }
    }
}
