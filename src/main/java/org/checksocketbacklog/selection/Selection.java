package org.checksocketbacklog.selection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixNameFilter;

/**
 * Which listeners the selectors pick, which selectors are missing (matched none), and which
 * listeners the operator named: bound to a path or abstract name given without wildcards, or on a
 * -p port, rather than found by a glob or a whole-host scan. When output must be cut, named
 * listeners keep their perfdata first.
 *
 * @param listeners the selected listeners, each once, less the excluded ones
 * @param missing   the selectors that matched no listener, as given, -s ones first; a selector whose
 *                  listeners were all excluded is not missing
 * @param named     the inodes of the named listeners among {@code listeners}
 */
public record Selection(List<Listener> listeners, List<String> missing, Set<Long> named) {
    /**
     * @param sockets  the -s selectors; with no -s and no -p, every listener is selected
     * @param ports    the -p selectors
     * @param excluded the --exclude selectors: listeners they match are left out
     */
    public static Selection of(List<Glob> sockets, List<PortSelector> ports, Exclusions excluded,
            List<Listener> listeners) {
        // Each listener once, by inode: a record's own hashCode is generated at run time
        // (ObjectMethods), which no class archive can hold, and this runs on every start-up.
        Set<Long> inodes = new HashSet<>();
        Set<Long> named = new HashSet<>();
        List<Listener> selected = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Long> left = excluded.inodes(listeners);
        if (sockets.isEmpty() && ports.isEmpty()) {
            for (Listener listener : listeners) {
                if (!left.contains(listener.inode())) {
                    selected.add(listener);
                }
            }
            return new Selection(selected, missing, named);
        }
        for (Glob glob : sockets) {
            boolean matched = false;
            for (Listener listener : listeners) {
                if (listener instanceof UnixListener && glob.matches(((UnixListener) listener).name())) {
                    matched = true;
                    if (!left.contains(listener.inode()) && inodes.add(listener.inode())) {
                        selected.add(listener);
                    }
                    if (glob.isLiteral()) {
                        named.add(listener.inode());
                    }
                }
            }
            if (!matched) {
                missing.add(glob.pattern());
            }
        }
        for (PortSelector port : ports) {
            List<TcpListener> matches = port.select(listeners);
            for (Listener listener : matches) {
                if (!left.contains(listener.inode()) && inodes.add(listener.inode())) {
                    selected.add(listener);
                }
                named.add(listener.inode());
            }
            if (matches.isEmpty()) {
                missing.add(port.text());
            }
        }
        return new Selection(selected, missing, named);
    }

    /**
     * The unix listeners worth reading for these -s selectors: those whose name one of them may
     * match ({@link Glob#mayMatchSunPath}), or all when there are none.
     */
    public static UnixNameFilter unixNames(List<Glob> sockets) {
        if (sockets.isEmpty()) {
            return UnixNameFilter.ALL;
        }
        Glob[] globs = sockets.toArray(new Glob[0]);
        return new UnixNameFilter() {
            @Override
            public boolean accepts(byte[] sunPath) {
                for (Glob glob : globs) {
                    if (glob.mayMatchSunPath(sunPath)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    /**
     * The --exclude selectors, each a -s pattern or a -p selector.
     *
     * @param sockets patterns of unix sockets to leave out
     * @param ports   TCP listeners to leave out
     */
    /**
     * This selection with the listeners the --process and --unit selectors picked added (each once,
     * named, unless excluded), and the owner selectors that picked none as missing.
     *
     * @param owned     the listeners held by a selected process or unit
     * @param unmatched the owner selectors, as the output names them ("--process nginx"), that held none
     * @param all       every listener read, for the exclusions
     */
    public Selection withOwned(List<Listener> owned, List<String> unmatched, Exclusions excluded, List<Listener> all) {
        Set<Long> left = excluded.inodes(all);
        Set<Long> inodes = new HashSet<>();
        List<Listener> selected = new ArrayList<>(listeners);
        for (Listener listener : listeners) {
            inodes.add(listener.inode());
        }
        Set<Long> alsoNamed = new HashSet<>(named);
        for (Listener listener : owned) {
            if (!left.contains(listener.inode()) && inodes.add(listener.inode())) {
                selected.add(listener);
            }
            alsoNamed.add(listener.inode());
        }
        List<String> stillMissing = new ArrayList<>(missing);
        stillMissing.addAll(unmatched);
        return new Selection(selected, stillMissing, alsoNamed);
    }

    public record Exclusions(List<Glob> sockets, List<PortSelector> ports) {
        public static final Exclusions NONE = new Exclusions(List.of(), List.of());

        /** The inodes of the listeners they leave out: those a -s pattern matches, and those a -p selector would pick. */
        Set<Long> inodes(List<Listener> listeners) {
            Set<Long> left = new HashSet<>();
            if (sockets.isEmpty() && ports.isEmpty()) {
                return left;
            }
            for (Listener listener : listeners) {
                if (listener instanceof UnixListener) {
                    for (Glob glob : sockets) {
                        if (glob.matches(((UnixListener) listener).name())) {
                            left.add(listener.inode());
                        }
                    }
                }
            }
            for (PortSelector port : ports) {
                for (TcpListener listener : port.select(listeners)) {
                    left.add(listener.inode());
                }
            }
            return left;
        }
    }
}
