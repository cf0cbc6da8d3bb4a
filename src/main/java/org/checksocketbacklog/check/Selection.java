package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.plugin.Glob;

/**
 * Which listeners the -s and -p selectors pick, and which selectors picked none.
 *
 * @param listeners the selected listeners, each once
 * @param unmatched the selectors that matched no listener, as given, -s ones first
 */
record Selection(List<Listener> listeners, List<String> unmatched) {
    static Selection of(CheckConfig config, List<Listener> listeners) {
        if (config.sockets().isEmpty() && config.ports().isEmpty()) {
            return new Selection(listeners, List.of());
        }
        Set<Listener> selected = new LinkedHashSet<>();
        List<String> unmatched = new ArrayList<>();
        for (Glob glob : config.sockets()) {
            boolean matched = false;
            for (Listener listener : listeners) {
                if (listener.endpoint() == null && glob.matches(listener.name())) {
                    selected.add(listener);
                    matched = true;
                }
            }
            if (!matched) {
                unmatched.add(glob.pattern());
            }
        }
        for (PortSelector port : config.ports()) {
            List<Listener> matches = port.select(listeners);
            selected.addAll(matches);
            if (matches.isEmpty()) {
                unmatched.add(port.text());
            }
        }
        return new Selection(new ArrayList<>(selected), unmatched);
    }
}
