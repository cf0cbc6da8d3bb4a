#!/usr/bin/env bash
# startup.sh - start-up cost of check_socket_backlog: whole-process wall time, peak RSS and CPU time.
#
# Nagios, NRPE or cron start one JVM per check, so the cost that matters is that of one short
# process. This script measures, for one JDK, the medians over N runs (after W warm-up runs,
# variants interleaved round-robin so that drift in machine load hits all of them alike) of:
#
#   floor         a hello-world class, default flags (compiled on the fly with that JDK's javac)
#   floor+flags   the same class with the JVM flags the launcher passes (no app archive)
#   launcher      the real check through target/dist/check_socket_backlog
#   <variants>    the launcher's own java command line with one flag changed, run without sh
#
# and prints one table: median wall ms, ratio to the floor of the same run, delta to the launcher,
# median peak RSS (MB, from /usr/bin/time %M) and median user+sys CPU ms.
#
# Usage: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 src/bench/startup.sh [-n RUNS] [-w WARMUP]
#            [-d DIST] [-k] [-a 'CHECK ARGS'] [-q] [-o FILE] [-c OTHER_DIST]... [-x 'NAME|+OPT -PREFIX ...']...
#   -n RUNS     measured runs per variant (default 30)
#   -w WARMUP   warm-up runs per variant, not counted (default 5)
#   -d DIST     the dist directory (default: target/dist next to src/)
#   -a ARGS     arguments of the check (default: -s @<a listener this script opens> -t 5)
#   -q          quick: only floor, floor+flags, launcher, the launcher without its archive and the
#               previous launcher's flags (plus any -x variants)
#   -k          measure DIST in place, with the archive it has (default: a private copy of DIST,
#               with a fresh archive for this JDK made by the launcher's training mode)
#   -o FILE     also write every run as CSV: variant,run,wall_us,rss_kib,cpu_ms
#   -c OTHER    also the launcher of another dist directory (a copy of an older build, say), with
#               an archive for this JDK made by its own training mode, interleaved with the rest:
#               a before/after comparison that the machine's drift hits alike
#   -x SPEC     an extra variant: NAME|EDITS, EDITS being words +OPT (add OPT), -PREFIX (drop every
#               launcher option that starts with PREFIX) or env:VAR=VALUE (set VAR for the JVM),
#               e.g. -x 'Xss512k|+-Xss512k' -x 'one malloc arena|env:MALLOC_ARENA_MAX=1'
#
# Needs bash 5 (EPOCHREALTIME), /usr/bin/time (Debian package "time") and, for the default
# listener, python3. Everything it creates lives in one temp dir, removed on exit; the listener
# it starts sleeps at most 900 s and is killed on exit. Every run is bounded: the check gets -t 5.
set -u

runs=30
warmup=5
dist=
check_args=
quick=0
keep_archive=0
raw=
extra=()
others=()
while getopts 'n:w:d:a:qkx:o:c:h' opt; do
    case $opt in
        n) runs=$OPTARG ;;
        w) warmup=$OPTARG ;;
        d) dist=$OPTARG ;;
        a) check_args=$OPTARG ;;
        q) quick=1 ;;
        k) keep_archive=1 ;;
        o) raw=$OPTARG ;;
        x) extra+=("$OPTARG") ;;
        c) others+=("$OPTARG") ;;
        *) sed -n '2,/^set -u/p' "$0" | sed 's/^# \{0,1\}//;$d'; exit 2 ;;
    esac
done

die() { echo "startup.sh: $*" >&2; exit 2; }

[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or newer (EPOCHREALTIME)"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install time)"
here=$(cd -- "$(dirname -- "$0")" && pwd)
[ -n "$dist" ] || dist=$here/../../target/dist
dist=$(cd -- "$dist" 2>/dev/null && pwd) || die "no dist directory (run mvn package first)"
if ! [ -x "$dist/check_socket_backlog" ] || ! [ -r "$dist/lib/check-socket-backlog.jar" ]; then
    die "$dist has no launcher or jar (run mvn package first)"
fi

if [ -z "${JAVA_HOME:-}" ]; then
    java_on_path=$(command -v java) || die "set JAVA_HOME or put java on PATH"
    JAVA_HOME=$(dirname -- "$(dirname -- "$(readlink -f -- "$java_on_path")")")
fi
java=$JAVA_HOME/bin/java
[ -x "$java" ] || die "no $java"
javac=$JAVA_HOME/bin/javac
[ -x "$javac" ] || javac=$(command -v javac) || die "no javac (needed to compile the hello-world floor)"
jdk_version=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release" 2>/dev/null)
jdk_feature=${jdk_version%%[.+-]*}
[ -n "$jdk_feature" ] || die "cannot read JAVA_RUNTIME_VERSION from $JAVA_HOME/release"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/csb-startup.XXXXXX") || die "mktemp failed"
listener_pid=
cleanup() {
    [ -n "$listener_pid" ] && kill "$listener_pid" 2>/dev/null
    rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A private copy of dist/ (mtimes kept), so that a rebuild during the run cannot change what is
# measured, with the launcher's archive for this JDK made the way `mvn package` makes it (a training
# run of the check without options). With -k: dist/ in place, with whatever archive it has.
if [ $keep_archive = 0 ]; then
    cp -a -- "$dist" "$tmp/dist" || die "cannot copy $dist"
    dist=$tmp/dist
    JAVA_HOME=$JAVA_HOME "$dist/check_socket_backlog" --train-archive >/dev/null 2>&1 \
        || echo "startup.sh: the launcher made no archive for this JDK" >&2
fi
launcher=$dist/check_socket_backlog
jar=$dist/lib/check-socket-backlog.jar

# A listener to check, so that the check goes the whole way (sock_diag dump, report of one socket).
if [ -z "$check_args" ]; then
    if command -v python3 >/dev/null 2>&1; then
        name=csb-bench-$$
        python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.bind("\0"+sys.argv[1]); s.listen(5); time.sleep(900)' "$name" &
        listener_pid=$!
        check_args="-s @$name -t 5"
        sleep 0.3
    else
        check_args="-t 5"
    fi
fi
read -r -a check_argv <<<"$check_args"

# The floor: a hello world compiled by this JDK.
mkdir -p "$tmp/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
    >"$tmp/hello/Hello.java"
"$javac" -d "$tmp/hello" "$tmp/hello/Hello.java" || die "javac failed"

# The launcher's java command line, one word a line, from its --show-java (the java command of a
# check, without the timeout(1) around it). The variants below run it without sh, and so without
# -Dcheck_socket_backlog.exit_base: java then exits 0..3 and says nothing on stderr, as java -jar
# does (with it, main() exits 10..13 and names the state it writes on stderr, for the launcher).
mapfile -t launcher_argv < <(JAVA_HOME=$JAVA_HOME "$launcher" --show-java "${check_argv[@]}")
lopts=()
for a in "${launcher_argv[@]:1}"; do
    [ "$a" = -jar ] && break
    case $a in -Dcheck_socket_backlog.exit_base=*) continue ;; esac
    lopts+=("$a")
done
[ ${#lopts[@]} -lt ${#launcher_argv[@]} ] || die "cannot read the launcher's java command line"
launcher_archive=
for a in "${lopts[@]}"; do
    case $a in -XX:SharedArchiveFile=*|-XX:AOTCache=*) launcher_archive=${a#*=} ;; esac
done

# Options of the launcher minus those starting with any of the given prefixes.
without() {
    local a p keep
    for a in "${lopts[@]}"; do
        keep=1
        for p in "$@"; do
            case $a in "$p"*) keep=0 ;; esac
        done
        [ $keep = 1 ] && printf '%s\n' "$a"
    done
}

names=()
kinds=()    # cmd: argv file; launcher: through the sh launcher
n_variants=0
add() {     # add NAME KIND ARG...; KIND launcher runs with JAVA_HOME, cmd with LC_ALL as the launcher sets
    names+=("$1")
    kinds+=("$2")
    if [ "$2" = launcher ]; then
        echo "JAVA_HOME=$JAVA_HOME" >"$tmp/env.$n_variants"
    else
        printf '%s\n' LC_ALL=C.UTF-8 "${env_extra[@]}" >"$tmp/env.$n_variants"
    fi
    shift 2
    printf '%s\n' "$@" >"$tmp/argv.$n_variants"
    n_variants=$((n_variants + 1))
}
env_extra=()
# check NAME OPT...: the java command of the check with these JVM options, -jar form.
check() {
    local name=$1
    shift
    add "$name" cmd "$java" "$@" -jar "$jar" "${check_argv[@]}"
}
# edited NAME EDITS: the launcher's options edited by +OPT / -PREFIX / env:VAR=VALUE words.
edited() {
    local name=$1 w words drops=() adds=()
    env_extra=()
    read -r -a words <<<"$2"
    for w in "${words[@]}"; do
        case $w in
            +*) adds+=("${w#+}") ;;
            -*) drops+=("$w") ;;
            env:*) env_extra+=("${w#env:}") ;;
        esac
    done
    local opts
    if [ ${#drops[@]} -gt 0 ]; then
        mapfile -t opts < <(without "${drops[@]}")
    else
        opts=("${lopts[@]}")
    fi
    check "$name" "${opts[@]}" "${adds[@]}"
    env_extra=()
}

mapfile -t floor_opts < <(without -XX:SharedArchiveFile= -XX:AOTCache= -Djna.)
add "floor (hello, default flags)" cmd "$java" -cp "$tmp/hello" Hello
add "floor + launcher flags" cmd "$java" "${floor_opts[@]}" -cp "$tmp/hello" Hello
add "launcher (check_socket_backlog)" launcher "$launcher" "${check_argv[@]}"
# Other dists' launchers (-c): a private copy each, trained like ours; launchers from before
# issue 7 train with CHECK_SOCKET_BACKLOG_TRAIN=1 instead of --train-archive.
n_other=0
for other in "${others[@]}"; do
    n_other=$((n_other + 1))
    other_dir=$tmp/other.$n_other
    cp -a -- "$other" "$other_dir" || die "cannot copy $other"
    if grep -q -- '--train-archive' "$other_dir/check_socket_backlog"; then
        JAVA_HOME=$JAVA_HOME "$other_dir/check_socket_backlog" --train-archive >/dev/null 2>&1
    else
        CHECK_SOCKET_BACKLOG_TRAIN=1 JAVA_HOME=$JAVA_HOME "$other_dir/check_socket_backlog" >/dev/null 2>&1
    fi || echo "startup.sh: the launcher of $other made no archive for this JDK" >&2
    add "launcher of $other" launcher "$other_dir/check_socket_backlog" "${check_argv[@]}"
done
check "same java command without sh" "${lopts[@]}"
if [ -n "$launcher_archive" ]; then
    edited "no app archive (default CDS)" "-XX:SharedArchiveFile= -XX:AOTCache= -Xlog:cds -Xlog:aot"
fi
# The launcher before docs/startup.md's changes: no archive, ldconfig run by JNA, two C1 threads.
edited "previous launcher flags (no archive, ...)" "-XX:SharedArchiveFile= -XX:AOTCache= -Xlog:cds -Xlog:aot \
    -Djna.platform -XX:CICompilerCount -XX:CompileThresholdScaling"

if [ $quick = 0 ]; then
    # What each kept flag is worth: the launcher's command line without it.
    # (CICompilerCount=1 needs TieredStopAtLevel=1: the JVM refuses one compiler thread with C2 on.)
    edited "without -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1" "-XX:TieredStopAtLevel -XX:CICompilerCount"
    edited "without -XX:CICompilerCount=1" "-XX:CICompilerCount"
    if [ "$jdk_feature" -ge 25 ]; then
        edited "without -XX:CompileThresholdScaling=10" "-XX:CompileThresholdScaling"
    else
        edited "+ -XX:CompileThresholdScaling=10 (kept on JDK 25+ only)" "+-XX:CompileThresholdScaling=10"
    fi
    edited "without -XX:+UseSerialGC (G1)" "-XX:+UseSerialGC"
    edited "without -XX:-UsePerfData" "-XX:-UsePerfData"
    edited "without -Djna.platform.library.path" "-Djna.platform.library.path"
    # java -jar with only what the plugin needs to run quietly and without unpacking JNA.
    mapfile -t needed < <(without -XX: -Xlog:cds -Xlog:aot -Djna.platform)
    check "plain: no tuning flags, no archive" "${needed[@]}"

    # Candidates that were measured and rejected (see docs/startup.md).
    edited "+ -Xint" "+-Xint"
    edited "+ -Xss256k" "+-Xss256k"
    edited "+ -Xms8m -Xmx64m" "+-Xms8m +-Xmx64m"
    edited "+ -Xmn4m" "+-Xmn4m"
    edited "+ -XX:MaxMetaspaceSize=32m" "+-XX:MaxMetaspaceSize=32m"
    edited "+ -XX:ReservedCodeCacheSize=16m" "+-XX:ReservedCodeCacheSize=16m"
    edited "+ MALLOC_ARENA_MAX=2 (glibc)" "env:MALLOC_ARENA_MAX=2"
    edited "+ -XX:-BytecodeVerificationRemote (diagnostic)" \
        "+-XX:+UnlockDiagnosticVMOptions +-XX:-BytecodeVerificationRemote"
    edited "+ -Xverify:none" "+-Xverify:none"
    edited "+ -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0" \
        "+-XX:+UnlockDiagnosticVMOptions +-XX:ArchiveRelocationMode=0"
    # -cp instead of -jar: the same class path (the jar's manifest Class-Path applies to both).
    add "-cp instead of -jar" cmd "$java" "${lopts[@]}" -cp "$jar" org.checksocketbacklog.Main "${check_argv[@]}"

    # Other archive kinds, made here from training runs with the launcher's flags.
    mapfile -t base < <(without -XX:SharedArchiveFile= -XX:AOTCache= -Xlog)
    base=(-Xlog:disable "${base[@]}")
    quiet=(-Xlog:disable -Xlog:all=error:stderr '-Xlog:cds*=off:stderr')
    [ "$jdk_feature" -ge 25 ] && quiet+=('-Xlog:aot*=off:stderr')
    train() { "$java" "$@" -jar "$jar" "${check_argv[@]}" >/dev/null 2>&1; }
    train "${base[@]}" -XX:ArchiveClassesAtExit="$tmp/dynamic.jsa"
    [ -r "$tmp/dynamic.jsa" ] && check "archive: dynamic AppCDS (ArchiveClassesAtExit)" \
        "${base[@]}" "${quiet[@]}" -XX:SharedArchiveFile="$tmp/dynamic.jsa"
    train "${base[@]}" -XX:DumpLoadedClassList="$tmp/classes.lst"
    "$java" -Xlog:disable "${base[@]}" -Xshare:dump -XX:SharedClassListFile="$tmp/classes.lst" \
        -XX:SharedArchiveFile="$tmp/static.jsa" -cp "$jar" >/dev/null 2>&1
    [ -r "$tmp/static.jsa" ] && check "archive: static AppCDS (-Xshare:dump)" \
        "${base[@]}" "${quiet[@]}" -XX:SharedArchiveFile="$tmp/static.jsa"
    if [ "$jdk_feature" -ge 19 ]; then
        # Created by the first run, then reused; what a self-maintaining archive would give.
        check "archive: -XX:+AutoCreateSharedArchive" "${base[@]}" "${quiet[@]}" \
            -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$tmp/auto.jsa"
    fi
    if [ "$jdk_feature" -ge 25 ]; then
        train "${base[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$tmp/app.aotconf"
        "$java" "${base[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$tmp/app.aotconf" \
            -XX:AOTCache="$tmp/app.aot" -jar "$jar" >/dev/null 2>&1
        [ -r "$tmp/app.aot" ] && check "archive: AOT cache (JEP 483/514)" \
            "${base[@]}" "${quiet[@]}" -XX:AOTCache="$tmp/app.aot"
        # With adapter caching (the JVM's default, which the launcher turns off on JDK 25).
        mapfile -t adapters < <(printf '%s\n' "${base[@]}" | grep -v '^-XX:+UnlockDiagnosticVMOptions$\|^-XX:-AOTAdapterCaching$')
        train "${adapters[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$tmp/adapters.aotconf"
        "$java" "${adapters[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$tmp/adapters.aotconf" \
            -XX:AOTCache="$tmp/adapters.aot" -jar "$jar" >/dev/null 2>&1
        [ -r "$tmp/adapters.aot" ] && check "archive: AOT cache with adapter caching" \
            "${adapters[@]}" "${quiet[@]}" -XX:AOTCache="$tmp/adapters.aot"
        # A cache that does not match (here: trained with SerialGC, run with G1): what is lost.
        mapfile -t g1 < <(printf '%s\n' "${base[@]}" | grep -v '^-XX:+UseSerialGC$')
        [ -r "$tmp/app.aot" ] && check "archive: AOT cache, run with G1 (mismatch)" \
            "${g1[@]}" "${quiet[@]}" -XX:+UseG1GC -XX:AOTCache="$tmp/app.aot"
    fi
    # The check's own cost centres, for the Java side: no JNA at all, and no archive + -Xshare:off.
    add "check --source proc (no JNA)" cmd "$java" "${lopts[@]}" -jar "$jar" "${check_argv[@]}" --source proc
    edited "-Xshare:off (no CDS at all)" "-Xshare -XX:SharedArchiveFile= -XX:AOTCache= +-Xshare:off"
fi

for spec in "${extra[@]}"; do
    edited "${spec%%|*}" "${spec#*|}"
done

# One run of variant $1: appends wall µs, max RSS KiB and CPU ms to the variant's result files.
# Every variant runs as /usr/bin/time env VAR=VALUE... COMMAND: env execs the command in the same
# process, so %M is the command's peak RSS, and its exec costs all rows alike.
run_once() {
    local v=$1 record=$2 t0 t1 rss user sys
    local -a argv envs
    mapfile -t argv <"$tmp/argv.$v"
    mapfile -t envs <"$tmp/env.$v"
    t0=${EPOCHREALTIME/./}
    /usr/bin/time -f '%M %U %S' -o "$tmp/time" env "${envs[@]}" "${argv[@]}" >"$tmp/out" 2>"$tmp/err"
    t1=${EPOCHREALTIME/./}
    [ "$record" = 1 ] || return 0
    # The last line: GNU time puts "Command exited with non-zero status N" before it.
    read -r rss user sys < <(tail -n 1 "$tmp/time")
    echo $((t1 - t0)) >>"$tmp/wall.$v"
    echo "$rss" >>"$tmp/rss.$v"
    awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d\n", (u + s) * 1000 + 0.5 }' >>"$tmp/cpu.$v"
    [ -z "$raw" ] || printf '"%s",%d,%d,%d,%d\n' "${names[$v]}" "$3" $((t1 - t0)) "$rss" "$(tail -n 1 "$tmp/cpu.$v")" >>"$raw"
}

# Checked once before timing: exit status (0 or the check's state 0..3) and an empty stderr.
status=()
for ((v = 0; v < n_variants; v++)); do
    mapfile -t argv <"$tmp/argv.$v"
    mapfile -t envs <"$tmp/env.$v"
    env "${envs[@]}" "${argv[@]}" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    note=
    [ $rc -le 3 ] || note="exit $rc"
    [ -s "$tmp/err" ] && note="${note:+$note, }stderr: $(head -c 60 "$tmp/err" | tr '\n' ' ')"
    status[v]=$note
    [ $v = 2 ] && head -n 1 "$tmp/out" >"$tmp/launcher-line"
done

echo "JDK: $JAVA_HOME ($jdk_version); $(nproc) CPUs; $runs runs after $warmup warm-up, medians" >&2
echo "check: ${check_argv[*]}" >&2
echo "launcher output: $(cat "$tmp/launcher-line")" >&2
echo "launcher java options: ${lopts[*]}" >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
[ -z "$raw" ] || echo 'variant,run,wall_us,rss_kib,cpu_ms' >"$raw"
for ((r = 0; r < warmup + runs; r++)); do
    for ((v = 0; v < n_variants; v++)); do
        run_once "$v" $((r >= warmup)) $((r - warmup))
    done
    [ -t 2 ] && printf '\rround %d/%d ' $((r + 1)) $((warmup + runs)) >&2
done
[ -t 2 ] && printf '\r%20s\r' '' >&2
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# Interquartile range, to show how noisy the machine was.
iqr() {
    sort -n "$1" | awk '{ a[NR] = $1 } END { lo = int(NR / 4 + 0.5); if (lo < 1) lo = 1; hi = int(NR * 3 / 4 + 0.5); if (hi < 1) hi = 1; print a[hi] - a[lo] }'
}
floor=$(median "$tmp/wall.0")
launcher_wall=$(median "$tmp/wall.2")
printf '| %-62s | %8s | %6s | %6s | %8s | %8s | %7s |\n' "JDK $jdk_version: variant" "wall ms" "IQR" "×floor" "Δ launch" "RSS MB" "CPU ms"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "---------:" "-------:" "-------:" "---------:" "---------:" "--------:"
for ((v = 0; v < n_variants; v++)); do
    w=$(median "$tmp/wall.$v")
    m=$(median "$tmp/rss.$v")
    c=$(median "$tmp/cpu.$v")
    label=${names[$v]}
    [ -n "${status[$v]}" ] && label="$label [${status[$v]}]"
    q=$(iqr "$tmp/wall.$v")
    awk -v l="$label" -v w="$w" -v q="$q" -v f="$floor" -v L="$launcher_wall" -v m="$m" -v c="$c" 'BEGIN {
        printf "| %-62s | %8.1f | %6.1f | %6.2f | %+8.1f | %8.1f | %7.0f |\n", l, w / 1000, q / 1000, w / f, (w - L) / 1000, m / 1024, c }'
done
