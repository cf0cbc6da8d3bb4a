package org.checksocketbacklog.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.UnixListener;

/**
 * Which listeners the -s and -p selectors pick, and which selectors are missing: matched none.
 *
 * @param listeners the selected listeners, each once
 * @param missing   the selectors that matched no listener, as given, -s ones first
 */
public record Selection(List<Listener> listeners, List<String> missing) {
    /** With no selectors at all, every listener. */
    public static Selection of(List<Glob> sockets, List<PortSelector> ports, List<Listener> listeners) {
        if (sockets.isEmpty() && ports.isEmpty()) {
            return new Selection(listeners, List.of());
        }
        // Each listener once, by inode: a record's own hashCode is generated at run time
        // (ObjectMethods), which no class archive can hold, and this runs on every start-up.
        Set<Long> inodes = new HashSet<>();
        List<Listener> selected = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Glob glob : sockets) {
            boolean matched = false;
            for (Listener listener : listeners) {
                if (listener instanceof UnixListener && glob.matches(((UnixListener) listener).name())) {
                    if (inodes.add(listener.inode())) {
                        selected.add(listener);
                    }
                    matched = true;
                }
            }
            if (!matched) {
                missing.add(glob.pattern());
            }
        }
        for (PortSelector port : ports) {
            List<TcpListener> matches = port.select(listeners);
            for (Listener listener : matches) {
                if (inodes.add(listener.inode())) {
                    selected.add(listener);
                }
            }
            if (matches.isEmpty()) {
                missing.add(port.text());
            }
        }
        return new Selection(selected, missing);
    }
}
