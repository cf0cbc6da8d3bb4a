#!/usr/bin/env bash
# Whole-process wall time of the INSTALLED plugin (the package's launcher, its class archive made by
# postinst, the jars it was installed with) next to a JVM hello world, in the same rounds:
#   src/bench/installed-startup.sh [-n RUNS] [-w WARMUP] [-p PLUGIN]
# RUNS rounds (default 15) after WARMUP (default 2); each round runs, one after the other:
#   floor   java -cp DIR Hello with the default java's default flags (what any JVM costs here)
#   one     PLUGIN -s @csb-bench-PID (an abstract listener this script holds: the whole path of a
#           one-socket check, sock_diag through JNA included)
#   host    PLUGIN with no arguments (every listener of the host, as the snippets' default command)
# and prints, per variant, the median and the interquartile range in ms, and the ratio to the floor.
# Wall time is bash's EPOCHREALTIME around each run (microseconds); `/usr/bin/time -f %e` gives the
# same figures rounded to 10 ms. Needs python3 (the listener) and a JDK's javac (the hello world).
set -euo pipefail

runs=15
warmup=2
plugin=/usr/lib/nagios/plugins/check_socket_backlog
while getopts n:w:p: opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warmup=$OPTARG ;;
        p) plugin=$OPTARG ;;
        *) echo "usage: $0 [-n RUNS] [-w WARMUP] [-p PLUGIN]" >&2; exit 2 ;;
    esac
done
[ "$runs" -ge 1 ] && [ "$runs" -le 1000 ] && [ "$warmup" -ge 0 ] && [ "$warmup" -le 100 ] \
    || { echo "installed-startup: -n 1..1000, -w 0..100" >&2; exit 2; }
[ -x "$plugin" ] || { echo "installed-startup: no $plugin (install the package first)" >&2; exit 1; }

java=$(readlink -f "$(command -v java)")
javac=${java%/java}/javac
[ -x "$javac" ] || javac=$(command -v javac) || { echo "installed-startup: no javac for the hello world" >&2; exit 1; }

tmp=$(mktemp -d)
listener=
cleanup() {
    [ -n "$listener" ] && kill "$listener" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$tmp/Hello.java"
"$javac" -d "$tmp" "$tmp/Hello.java"

name=csb-bench-$$
# At most 900 s, whatever happens to this script.
python3 -c "import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind('\0' + sys.argv[1])
s.listen(16)
print('ready', flush=True)
time.sleep(900)" "$name" >"$tmp/listener.out" &
listener=$!
for _ in $(seq 50); do
    grep -q ready "$tmp/listener.out" 2>/dev/null && break
    sleep 0.1
done

variants=(floor one host)
run() {
    case $1 in
        floor) "$java" -cp "$tmp" Hello ;;
        one) "$plugin" -s "@$name" ;;
        host) "$plugin" ;;
    esac
}
for v in "${variants[@]}"; do
    out=$(run "$v" 2>&1) || true
    echo "# $v: ${out%%$'\n'*}" >&2
done
echo "# java: $java; plugin: $plugin; $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((r = 0; r < warmup + runs; r++)); do
    for v in "${variants[@]}"; do
        t0=${EPOCHREALTIME/./}
        run "$v" >/dev/null 2>&1 || true
        t1=${EPOCHREALTIME/./}
        [ $r -ge "$warmup" ] && echo $((t1 - t0)) >>"$tmp/wall.$v"
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

stats() { # median and IQR in ms
    sort -n "$1" | awk '{ a[NR] = $1 } END {
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        lo = int(NR / 4 + 0.5); if (lo < 1) lo = 1; hi = int(NR * 3 / 4 + 0.5); if (hi < 1) hi = 1
        printf "%.1f %.1f\n", m / 1000, (a[hi] - a[lo]) / 1000 }'
}
read -r floor _ < <(stats "$tmp/wall.floor")
printf '| %-40s | %8s | %6s | %6s |\n' "variant ($runs runs)" "wall ms" "IQR" "×floor"
printf '|%s|%s|%s|%s|\n' "------------------------------------------" "---------:" "-------:" "-------:"
for v in "${variants[@]}"; do
    read -r median iqr < <(stats "$tmp/wall.$v")
    case $v in
        floor) label="hello world (java -cp . Hello)" ;;
        one) label="check_socket_backlog -s @NAME" ;;
        host) label="check_socket_backlog (every listener)" ;;
    esac
    awk -v l="$label" -v m="$median" -v q="$iqr" -v f="$floor" \
        'BEGIN { printf "| %-40s | %8.1f | %6.1f | %6.2f |\n", l, m, q, m / f }'
done
