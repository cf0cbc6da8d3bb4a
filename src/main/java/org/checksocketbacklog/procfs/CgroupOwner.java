package org.checksocketbacklog.procfs;

/**
 * A name for what owns a process, from its /proc/PID/cgroup: a container engine's scope or a
 * systemd service, names that survive a restart of the process (a container keeps its id across
 * restarts, a unit its name), unlike a PID or a namespace inode. Text in, name out.
 *
 * <p>The path read is the unified hierarchy's ("0::/...") or, on a hybrid host, the systemd one
 * ("N:name=systemd:/..."). Its last component names the owner:
 * <ul>
 *   <li>{@code docker-ID.scope} (Docker) gives {@code docker-} and the first 12 hex digits of the
 *       id, as {@code docker ps} shows it; {@code libpod-ID.scope} (Podman) {@code podman-ID12};
 *       {@code cri-containerd-ID.scope} and {@code crio-ID.scope} (Kubernetes) {@code containerd-ID12}
 *       and {@code crio-ID12};</li>
 *   <li>{@code lxc.payload.NAME} (LXC) gives {@code lxc-NAME};</li>
 *   <li>{@code NAME.service} gives the unit name, {@code NAME.service} (systemd PrivateNetwork=).</li>
 * </ul>
 * Anything else (a login session, the root cgroup) names nothing stable, and nothing under
 * {@code /user.slice} names anything, as a user's own systemd lets that user pick any unit name:
 * null.
 */
public final class CgroupOwner {
    private CgroupOwner() {
    }

    /** The owner's name for the process whose /proc/PID/cgroup is {@code text}, or null. */
    public static String of(String text) {
        String unified = null;
        String systemd = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("0::")) {
                unified = line.substring(3);
            }
            int first = line.indexOf(':');
            if (first > 0 && line.startsWith(":name=systemd:", first)) {
                systemd = line.substring(first + ":name=systemd:".length());
            }
        }
        // On a hybrid host the unified hierarchy holds nothing ("0::/"): systemd's says where it is.
        return ofPath(unified != null && !unified.equals("/") ? unified : systemd != null ? systemd : unified);
    }

    /**
     * The owner's name for the cgroup at {@code path} ("/system.slice/nginx.service"), or null: a
     * socket's cgroup (INET_DIAG_CGROUP_ID) as well as a process's.
     */
    public static String ofPath(String path) {
        // Below user.slice, a user's own systemd names units and scopes as that user likes
        // ("docker-<64 hex>.scope" included): nothing there may pass for a system container or
        // service, nor take its name.
        if (path == null || path.equals("/user.slice") || path.startsWith("/user.slice/")) {
            return null;
        }
        int at = ownerComponent(path.split("/"));
        return at < 0 ? null : owner(path.split("/")[at]);
    }

    /**
     * Which component of a cgroup path names its owner: the outermost that names one. Slices name
     * nothing (Kubernetes puts the container's scope under the pod's slices), and below the owner
     * the names are the owner's to choose: a service with Delegate=yes, or a container with a
     * systemd of its own (LXC, nspawn), may make a sub-cgroup called postgresql.service, which must
     * neither take that unit's name nor be selected by --unit postgresql.service. -1 for none.
     */
    private static int ownerComponent(String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (owner(parts[i]) != null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether the process whose /proc/PID/cgroup is {@code text} runs in the systemd unit (or
     * scope) {@code unit}, outside user.slice, where any user may name a unit as they like.
     */
    public static boolean inUnit(String text, String unit) {
        for (String line : text.split("\n")) {
            String path = null;
            if (line.startsWith("0::")) {
                path = line.substring(3);
            } else {
                int first = line.indexOf(':');
                if (first > 0 && line.startsWith(":name=systemd:", first)) {
                    path = line.substring(first + ":name=systemd:".length());
                }
            }
            if (path != null && inUnitPath(path, unit)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the cgroup at {@code path} is {@code unit}'s or below it, outside user.slice: its
     * owner (see {@link #ownerComponent}) is that unit, by its cgroup name (nginx.service,
     * docker-ID.scope) or by the name the output gives it (docker-ID12).
     */
    public static boolean inUnitPath(String path, String unit) {
        if (path.equals("/user.slice") || path.startsWith("/user.slice/")) {
            return false;
        }
        String[] parts = path.split("/");
        int at = ownerComponent(parts);
        return at >= 0 && (parts[at].equals(unit) || owner(parts[at]).equals(unit));
    }

    private static String owner(String part) {
        String id;
        if ((id = scopeId(part, "docker-")) != null) {
            return "docker-" + id;
        }
        if ((id = scopeId(part, "libpod-")) != null) {
            return "podman-" + id;
        }
        if ((id = scopeId(part, "cri-containerd-")) != null) {
            return "containerd-" + id;
        }
        if ((id = scopeId(part, "crio-")) != null) {
            return "crio-" + id;
        }
        if (part.startsWith("lxc.payload.") && part.length() > "lxc.payload.".length() && isWord(part.substring(12))) {
            return "lxc-" + part.substring("lxc.payload.".length());
        }
        if (part.endsWith(".service") && part.length() > ".service".length()
                && isWord(part.substring(0, part.length() - ".service".length()))) {
            return part;
        }
        return null;
    }

    /** The first 12 of the 64 hex digits in PREFIX + id + ".scope", or null. */
    private static String scopeId(String part, String prefix) {
        if (!part.startsWith(prefix) || !part.endsWith(".scope")) {
            return null;
        }
        String id = part.substring(prefix.length(), part.length() - ".scope".length());
        if (id.length() < 12) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return id.substring(0, 12);
    }

    /** Letters, digits and - _ . @ : what unit and container names are made of. */
    private static boolean isWord(String text) {
        if (text.isEmpty() || text.length() > 128) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '@')) {
                return false;
            }
        }
        return true;
    }
}
