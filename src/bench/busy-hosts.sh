#!/usr/bin/env bash
# busy-hosts.sh - what a busy host costs the check: whole-process wall time and peak RSS of one
# check on hosts with many sockets, connections and listeners, beside the same check on an idle
# host, a JVM hello world and `ss` reading the same tables.
#
# Every host state is built by this script in a network namespace of its own (unix and TCP
# sockets are listed per namespace, so nothing else on the machine is counted), measured, and
# removed before the next one. An idle namespace (one unix listener @one, one TCP listener
# 127.0.0.1:7777) lives for the whole run. For each state the variants run round-robin, RUNS
# times after WARMUP unrecorded rounds, so that drift in machine load hits all of them alike:
#
#   hello          a hello-world class on the same JDK, in the idle namespace (the floor)
#   idle check     the check with the state's arguments, in the idle namespace
#   busy check     the same check in the busy namespace
#   ss ...         iproute2's ss reading the same tables in the busy namespace
#
# and it prints, per state, median wall ms, the ratio to the floor and to the idle check, median
# peak RSS (MiB, from /usr/bin/time %M) and the check's stdout size, with the issue's targets.
#
# States (-s, comma-separated; default all):
#   unix100k    100,000 established unix sockets (50,000 socketpairs), check -s @one
#   tcp100k     100,000 established loopback TCP connections (200,000 sockets, 11 processes of
#               at most 20,000 descriptors each), check -p 127.0.0.1:7777
#   full100k    unix100k, with @one's queue full and 4 clients blocked in connect(): the one
#               state that makes the check read /proc/net/unix (8 MB of text here)
#   listen5k    5,000 unix listeners, check -s @one
#   whole6k     5,000 unix and 1,000 TCP listeners, check without a selector (the whole host;
#               its output stays within the default --max-output budget)
#   mixed       20,000 established unix sockets, 10,000 TCP connections, 2,000 unix and 300 TCP
#               listeners, 50 of them with a queue that is not empty (three full); check -s @one -p 7777
#
# Usage: src/bench/busy-hosts.sh [-n RUNS] [-w WARMUP] [-d DIST] [-s STATES] [-o FILE]
#   -n RUNS    measured rounds per state (default 15)
#   -w WARMUP  unrecorded rounds per state (default 3)
#   -d DIST    the dist directory (default: target/dist next to src/), measured in place
#   -o FILE    also write every run as CSV: state,variant,run,wall_us,rss_kib,stdout_bytes
#   JAVA_HOME  the JDK to measure (default: the java on PATH); the launcher uses it too
#
# Needs root (ip netns), bash 5 (EPOCHREALTIME), python3, iproute2 (ip, ss), util-linux
# (nsenter) and /usr/bin/time (Debian package "time"). Everything it creates is removed on exit,
# also on error or Ctrl-C: the namespaces, the processes holding sockets (each also exits by
# itself after 30 minutes) and the temp dir. Every check gets -t 10.
set -u

runs=15
warmup=3
dist=
states=unix100k,tcp100k,full100k,listen5k,whole6k,mixed
raw=
while getopts 'n:w:d:s:o:h' opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warmup=$OPTARG ;;
        d) dist=$OPTARG ;;
        s) states=$OPTARG ;;
        o) raw=$OPTARG ;;
        *) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 2 ;;
    esac
done

die() { echo "busy-hosts.sh: $*" >&2; exit 2; }

[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or newer (EPOCHREALTIME)"
[ "$(id -u)" = 0 ] || die "needs root, to create network namespaces"
for tool in python3 ip ss nsenter; do
    command -v "$tool" >/dev/null || die "needs $tool"
done
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
here=$(cd -- "$(dirname -- "$0")" && pwd)
[ -n "$dist" ] || dist=$here/../../target/dist
dist=$(cd -- "$dist" 2>/dev/null && pwd) || die "no dist directory (run mvn package first)"
launcher=$dist/check_socket_backlog
[ -x "$launcher" ] || die "$dist has no launcher (run mvn package first)"
if [ -z "${JAVA_HOME:-}" ]; then
    java_on_path=$(command -v java) || die "set JAVA_HOME or put java on PATH"
    JAVA_HOME=$(dirname -- "$(dirname -- "$(readlink -f -- "$java_on_path")")")
fi
export JAVA_HOME
java=$JAVA_HOME/bin/java
javac=$JAVA_HOME/bin/javac
[ -x "$javac" ] || javac=$(command -v javac) || die "no javac (needed to compile the hello-world floor)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/csb-busy.XXXXXX") || die "mktemp failed"
idle_ns=csb-bench-idle-$$
busy_ns=
# stop_holders NS: ends the socket holders started in namespace NS (their pids are in $tmp/pids.NS).
stop_holders() {
    local pid pids=()
    [ -r "$tmp/pids.$1" ] && mapfile -t pids <"$tmp/pids.$1"
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null
    done
    rm -f -- "$tmp/pids.$1"
}
cleanup() {
    if [ -n "$busy_ns" ]; then
        stop_holders "$busy_ns"
        ip netns delete "$busy_ns" 2>/dev/null
    fi
    stop_holders "$idle_ns"
    ip netns delete "$idle_ns" 2>/dev/null
    rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The socket holder: one process that makes sockets, says "ready" on stdout, and keeps them until
# it is killed (or 30 minutes pass). Its descriptors stay under the 20,000 a process may have.
cat >"$tmp/hold.py" <<'PY'
import os, resource, signal, socket, sys, threading, time

def listeners_unix(n, prefix):
    return [listen_unix(prefix + str(i), 16) for i in range(n)]

def listen_unix(name, backlog):
    s = socket.socket(socket.AF_UNIX)
    s.bind("\0" + name)
    s.listen(backlog)
    return s

def listen_tcp(port, backlog):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(backlog)
    return s

def tcp_pairs(n, port):
    # Connected and accepted: both ends ESTABLISHED, nothing left in the accept queue.
    server = listen_tcp(port, 512)
    kept = [server]
    for i in range(n):
        client = socket.create_connection(("127.0.0.1", port))
        peer, _ = server.accept()
        kept += [client, peer]
    return kept

def queued(name, backlog, clients, blocked):
    """A unix listener with `clients` connections in its queue (at most backlog + 1 fit) and
    `blocked` more clients, each a thread asleep in a blocking connect() on the full queue: what
    /proc/net/unix shows as the listener's RefCount above 2."""
    s = listen_unix(name, backlog)
    kept = [s]
    for i in range(clients):
        c = socket.socket(socket.AF_UNIX)
        c.connect("\0" + name)
        kept.append(c)
    for i in range(blocked):
        c = socket.socket(socket.AF_UNIX)
        kept.append(c)
        threading.Thread(target=connect_quietly, args=(c, "\0" + name), daemon=True).start()
    return kept

def connect_quietly(c, address):
    try:
        c.connect(address)
    except OSError:
        pass

resource.setrlimit(resource.RLIMIT_NOFILE, (19900, 19900))
kept = []
args = sys.argv[1:]
while args:
    what = args.pop(0)
    if what == "unix-pairs":
        for i in range(int(args.pop(0))):
            kept += socket.socketpair()
    elif what == "tcp-pairs":
        n, port = int(args.pop(0)), int(args.pop(0))
        kept += tcp_pairs(n, port)
    elif what == "unix-listeners":
        n, prefix = int(args.pop(0)), args.pop(0)
        kept += listeners_unix(n, prefix)
    elif what == "tcp-listeners":
        n, first = int(args.pop(0)), int(args.pop(0))
        kept += [listen_tcp(first + i, 16) for i in range(n)]
    elif what == "queued":
        name, backlog, clients, blocked = args.pop(0), int(args.pop(0)), int(args.pop(0)), int(args.pop(0))
        kept += queued(name, backlog, clients, blocked)
    elif what == "tcp-queued":
        port, clients = int(args.pop(0)), int(args.pop(0))
        server = listen_tcp(port, 64)
        kept.append(server)
        kept += [socket.create_connection(("127.0.0.1", port)) for i in range(clients)]
    else:
        sys.exit("hold.py: unknown " + what)
print("ready", len(kept), flush=True)
signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
time.sleep(1800)
PY

# hold NS ARGS...: starts a holder in namespace NS and waits (at most 300 s) until it is ready.
hold() {
    local ns=$1 out pid t
    shift
    out=$(mktemp "$tmp/hold.XXXXXX")
    ip netns exec "$ns" python3 "$tmp/hold.py" "$@" >"$out" 2>&1 &
    pid=$!
    echo "$pid" >>"$tmp/pids.$ns"
    for ((t = 0; t < 3000; t++)); do
        grep -q '^ready' "$out" 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || die "a socket holder failed: $(tail -n 3 "$out")"
        sleep 0.1
    done
    die "a socket holder was not ready within 300 s"
}

# new_ns NAME [EHASH]: a namespace with lo up; with EHASH, a TCP established hash of its own with
# that many buckets (net.ipv4.tcp_child_ehash_entries, set for the moment of its creation only).
new_ns() {
    local saved
    if [ -n "${2:-}" ]; then
        saved=$(cat /proc/sys/net/ipv4/tcp_child_ehash_entries)
        sysctl -q -w net.ipv4.tcp_child_ehash_entries="$2"
    fi
    ip netns add "$1" || die "cannot create network namespace $1"
    [ -n "${2:-}" ] && sysctl -q -w net.ipv4.tcp_child_ehash_entries="$saved"
    ip -n "$1" link set lo up
    # 55,000 ephemeral ports above the servers' (1100 and up), so that 100,000 connections fit
    # across a few server ports.
    ip netns exec "$1" sysctl -q -w net.ipv4.ip_local_port_range="10000 65535"
    # The same capacity as the host, so that idle and busy checks compute the same usage.
    ip netns exec "$1" sysctl -q -w net.core.somaxconn="$(cat /proc/sys/net/core/somaxconn)"
}

# The idle namespace gets an established hash of its own: the kernel's is shared by every
# namespace created without one, and a TCP dump walks all of it, so the busy namespace's 200,000
# sockets would otherwise slow the idle check too. (With 1,024 buckets the idle walk is even a
# little cheaper than a real idle host's, which only makes the ratios below stricter.)
new_ns "$idle_ns" 1024
hold "$idle_ns" queued one 16 0 0 tcp-queued 7777 0

mkdir -p "$tmp/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
    >"$tmp/hello/Hello.java"
"$javac" -d "$tmp/hello" "$tmp/hello/Hello.java" || die "javac failed"

# Builds state $1 in a fresh busy namespace; sets check_args and ss_args.
build() {
    busy_ns=csb-bench-busy-$$-$1
    new_ns "$busy_ns"
    local i
    case $1 in
        unix100k)
            hold "$busy_ns" queued one 16 0 0 tcp-queued 7777 0
            for i in 1 2 3 4 5 6; do hold "$busy_ns" unix-pairs 8334; done
            check_args=(-s @one) ss_args=(-lxn) ;;
        full100k)
            hold "$busy_ns" queued one 16 17 4 tcp-queued 7777 0
            for i in 1 2 3 4 5 6; do hold "$busy_ns" unix-pairs 8334; done
            check_args=(-s @one) ss_args=(-xn) ;;
        tcp100k)
            hold "$busy_ns" queued one 16 0 0 tcp-queued 7777 0
            for i in $(seq 1 11); do hold "$busy_ns" tcp-pairs 9091 $((1100 + i)); done
            check_args=(-p 127.0.0.1:7777) ss_args=(-ltn) ;;
        listen5k)
            hold "$busy_ns" queued one 16 0 0 tcp-queued 7777 0 unix-listeners 5000 bench-l-
            check_args=(-s @one) ss_args=(-lxn) ;;
        whole6k)
            hold "$busy_ns" queued one 16 0 0 tcp-queued 7777 0 unix-listeners 4999 bench-l- \
                tcp-listeners 999 2000
            check_args=() ss_args=(-lxtn) ;;
        mixed)
            hold "$busy_ns" queued one 16 0 0 tcp-queued 7777 3 unix-listeners 1950 bench-l- \
                tcp-listeners 297 2000
            for i in 1 2; do hold "$busy_ns" unix-pairs 5000; done
            for i in 1 2; do hold "$busy_ns" tcp-pairs 5000 $((1100 + i)); done
            for i in $(seq 1 50); do hold "$busy_ns" queued "bench-q$i" 16 $((i % 17)) 0; done
            check_args=(-s @one -p 7777) ss_args=(-lxtn) ;;
        *) die "unknown state $1" ;;
    esac
    ss_label="ss ${ss_args[*]}"
}

# One run: NS LABEL CMD...; records wall µs, peak RSS KiB and stdout bytes for LABEL.
run_once() {
    local ns=$1 label=$2 record=$3 t0 t1 rss
    shift 3
    t0=${EPOCHREALTIME/./}
    nsenter --net="/run/netns/$ns" /usr/bin/time -f '%M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
    t1=${EPOCHREALTIME/./}
    [ "$record" = 1 ] || return 0
    rss=$(tail -n 1 "$tmp/time")
    echo $((t1 - t0)) >>"$tmp/wall.$label"
    echo "$rss" >>"$tmp/rss.$label"
    wc -c <"$tmp/out" >>"$tmp/bytes.$label"
    [ -z "$raw" ] || printf '%s,"%s",%d,%d,%d,%d\n' "$state" "$label" "$r" $((t1 - t0)) "$rss" \
        "$(wc -c <"$tmp/out")" >>"$raw"
}

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null)
echo "JDK $jdk_version ($JAVA_HOME); $(nproc) CPUs; kernel $(uname -r); $runs rounds after $warmup, medians"
[ -z "$raw" ] || echo 'state,variant,run,wall_us,rss_kib,stdout_bytes' >"$raw"

IFS=, read -r -a state_list <<<"$states"
for state in "${state_list[@]}"; do
    build "$state"
    idle_line=$(nsenter --net="/run/netns/$idle_ns" "$launcher" "${check_args[@]}" -t 10 | head -n 1)
    busy_line=$(nsenter --net="/run/netns/$busy_ns" "$launcher" "${check_args[@]}" -t 10 | head -n 1)
    echo
    echo "== $state: check ${check_args[*]:-(no selector)}; the busy namespace holds" \
        "$(ip netns exec "$busy_ns" ss -Haxn | wc -l) unix and $(ip netns exec "$busy_ns" ss -Hatn | wc -l) TCP sockets"
    echo "   idle: ${idle_line:0:150}"
    echo "   busy: ${busy_line:0:150}"
    rm -f "$tmp"/wall.* "$tmp"/rss.* "$tmp"/bytes.*
    for ((r = 0; r < warmup + runs; r++)); do
        record=$((r >= warmup))
        run_once "$idle_ns" hello "$record" "$java" -cp "$tmp/hello" Hello
        run_once "$idle_ns" idle "$record" "$launcher" "${check_args[@]}" -t 10
        run_once "$busy_ns" busy "$record" "$launcher" "${check_args[@]}" -t 10
        run_once "$busy_ns" ss "$record" ss "${ss_args[@]}"
    done
    hello=$(median "$tmp/wall.hello")
    idle=$(median "$tmp/wall.idle")
    printf '   %-28s %9s %8s %8s %9s %10s\n' variant "wall ms" "x hello" "x idle" "RSS MiB" "stdout B"
    for label in hello idle busy ss; do
        wall=$(median "$tmp/wall.$label")
        name=$label
        case $label in
            hello) name="JVM hello world" ;;
            idle) name="check, idle host" ;;
            busy) name="check, this host" ;;
            ss) name="$ss_label, this host" ;;
        esac
        awk -v n="$name" -v w="$wall" -v h="$hello" -v i="$idle" -v m="$(median "$tmp/rss.$label")" \
            -v b="$(median "$tmp/bytes.$label")" \
            'BEGIN { printf "   %-28s %9.1f %8.2f %8.2f %9.1f %10d\n", n, w / 1000, w / h, w / i, m / 1024, b }'
    done
    busy=$(median "$tmp/wall.busy")
    rss=$(median "$tmp/rss.busy")
    case $state in
        whole6k) limit_ratio=1.5 limit_mib=64 ;;
        full100k) limit_ratio= limit_mib= ;;
        *) limit_ratio=1.1 limit_mib=48 ;;
    esac
    if [ -z "$limit_ratio" ]; then
        awk -v b="$busy" -v i="$idle" -v m="$rss" 'BEGIN { printf "   no target: a full queue makes the check read /proc/net/unix, which the kernel writes whole (%.2fx, %.1f MiB)\n", b / i, m / 1024 }'
    else
        awk -v b="$busy" -v i="$idle" -v m="$rss" -v lr="$limit_ratio" -v lm="$limit_mib" 'BEGIN {
            printf "   target: at most %.1fx the idle check and %d MiB: %s (%.2fx, %.1f MiB)\n", lr, lm,
                (b / i <= lr && m / 1024 <= lm) ? "met" : "NOT MET", b / i, m / 1024 }'
    fi
    stop_holders "$busy_ns"
    ip netns delete "$busy_ns"
    busy_ns=
done
