package org.checksocketbacklog.check;

import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.plugin.Glob;

/**
 * Which listeners the -s selectors pick, and which selectors picked none.
 *
 * @param listeners the selected listeners, in the order they were given
 * @param unmatched the selectors that matched no listener, in command-line order
 */
record Selection(List<Listener> listeners, List<Glob> unmatched) {
    static Selection of(List<Glob> selectors, List<Listener> listeners) {
        if (selectors.isEmpty()) {
            return new Selection(listeners, List.of());
        }
        boolean[] used = new boolean[selectors.size()];
        List<Listener> selected = new ArrayList<>();
        for (Listener listener : listeners) {
            boolean picked = false;
            for (int i = 0; i < selectors.size(); i++) {
                if (selectors.get(i).matches(listener.name())) {
                    used[i] = true;
                    picked = true;
                }
            }
            if (picked) {
                selected.add(listener);
            }
        }
        List<Glob> unmatched = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) {
            if (!used[i]) {
                unmatched.add(selectors.get(i));
            }
        }
        return new Selection(selected, unmatched);
    }
}
