#!/usr/bin/env bash
# End-to-end test of the installed package, as a monitoring server uses it. Run as root on Debian 12
# after `mvn -B package` (.ci/run does both):
#   - installs Debian's nrpe, check_nrpe, icinga2 and nagios4, and the .deb just built (again when
#     that version is installed already), and stops unless every installed file is this build's;
#   - puts real sockets into OK, WARNING and CRITICAL states and checks them through check_nrpe and
#     a real nrpe on 127.0.0.1, with fixed arguments and with $ARGn$ passing, and sends that nrpe
#     the option and command injections a client could try;
#   - runs the installed plugin as nagios with no HOME and a read-only, noexec /tmp;
#   - validates the packaged Icinga 2 CheckCommand (icinga2 daemon -C) and Nagios commands
#     (nagios4 -v) inside minimal configurations that use them, and lets both daemons run them;
#   - builds the RPM and checks its contents.
# Prints "N passed, N failed" and exits non-zero on any failure. Everything it starts is stopped,
# everything it creates is removed (the packages stay installed).
set -uo pipefail

top=$(cd -- "$(dirname -- "$0")/../.." && pwd)
work=$(mktemp -d /tmp/csb-e2e.XXXXXX)
chmod 755 "$work"
sock_dir=/run/csb-e2e
port=15666
args_port=15667
tcp_port=18931
plugin=/usr/lib/nagios/plugins/check_socket_backlog
holder=
nrpe_pid=
args_nrpe_pid=
daemon_pid=
passed=0
failed=0

cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null
    [ -n "$nrpe_pid" ] && kill "$nrpe_pid" 2>/dev/null
    [ -n "$args_nrpe_pid" ] && kill "$args_nrpe_pid" 2>/dev/null
    [ -n "$daemon_pid" ] && stop_group "$daemon_pid"
    wait 2>/dev/null
    rm -rf "$work" "$sock_dir" /run/php/csb-e2e.sock
}
trap cleanup EXIT

# stop_group PID: stops a daemon started as `timeout ... &` and all it forked. timeout leads a process
# group of its own; an icinga2 worker has been seen to outlive the TERM sent to timeout alone (and
# run on, parented to init), so the whole group gets TERM, then, after 10 s, KILL.
stop_group() {
    kill -TERM -- "-$1" 2>/dev/null
    for _ in $(seq 50); do
        kill -0 -- "-$1" 2>/dev/null || break
        sleep 0.2
    done
    kill -0 -- "-$1" 2>/dev/null && echo "# process group $1 outlived TERM by 10 s: killed" \
        && kill -KILL -- "-$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

pass() { passed=$((passed + 1)); echo "ok - $1"; }
fail() { failed=$((failed + 1)); echo "FAILED - $1"; [ $# -gt 1 ] && printf '    %s\n' "$2"; }

# expect NAME WANTED_EXIT WANTED_PREFIX COMMAND...: runs COMMAND (a program or a function of this
# script; every one is bounded by its own timeout), checks exit code and first line.
expect() {
    local name=$1 want_exit=$2 want_prefix=$3
    shift 3
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" = "$want_exit" ] && [[ "${out%%$'\n'*}" == "$want_prefix"* ]]; then
        pass "$name"
    else
        fail "$name" "exit $rc (wanted $want_exit), output: ${out%%$'\n'*}"
    fi
}

# hold ARGS...: replaces the socket holder by one with these sockets (see hold_sockets.py).
hold() {
    if [ -n "$holder" ]; then
        kill "$holder" 2>/dev/null
        wait "$holder" 2>/dev/null
        holder=
    fi
    mkdir -p "$sock_dir" /run/php
    python3 "$top/packaging/test/hold_sockets.py" "$@" >"$work/hold.out" 2>"$work/hold.err" </dev/null &
    holder=$!
    for _ in $(seq 100); do
        grep -q '^ready$' "$work/hold.out" && return 0
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.1
    done
    fail "sockets held: $*" "$(cat "$work/hold.err")"
    return 1
}

export DEBIAN_FRONTEND=noninteractive
echo "# installing nrpe, check_nrpe, icinga2, nagios4, rpm and the package"
apt-get update -qq </dev/null >"$work/apt.log" 2>&1
apt-get install -y -qq --no-install-recommends nagios-nrpe-server nagios-nrpe-plugin icinga2-bin \
    icinga2-common nagios4-core rpm python3 util-linux lintian </dev/null >>"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; echo "1 passed, 1 failed"; exit 1; }
deb=$("$top/packaging/build-deb.sh") || { echo "0 passed, 1 failed"; exit 1; }
# What was just built, every time. A plain `apt-get install ./x.deb` does nothing when that version
# is already installed ("already the newest version"), so a second run would test the first run's
# files. --reinstall installs it anyway and, unlike dpkg -i, still resolves its dependencies;
# --allow-downgrades lets an older version replace a newer one; --force-confnew installs the
# packaged NRPE and Nagios conffiles even where an earlier copy was edited (dpkg would otherwise
# prompt, and fail on the closed stdin).
apt-get install -y -qq --no-install-recommends --reinstall --allow-downgrades \
    -o Dpkg::Options::=--force-confnew "$deb" </dev/null >>"$work/apt.log" 2>&1 \
    && pass "the .deb installs ($(basename "$deb"))" || { fail "the .deb installs" "$(tail -5 "$work/apt.log")"; }

# --- what is installed is what was just built --------------------------------------------------
# Every later check runs the installed files: if they are not this build's, stop here.
stale=
# same WHAT BUILT INSTALLED [BUILT_NAME INSTALLED_NAME]: byte for byte, or a failure naming both
# files and their hashes.
same() {
    if cmp -s -- "$2" "$3"; then
        pass "installed $1 is the one just built"
    else
        stale=1
        fail "installed $1 is the one just built" \
            "${5:-$3} (sha256 $(sha "$3")) differs from ${4:-$2} (sha256 $(sha "$2"))"
    fi
}
sha() { if [ -f "$1" ]; then sha256sum <"$1" | cut -c1-16; else echo "none: missing"; fi; }
home=/usr/lib/check-socket-backlog
status=$(dpkg-query -W -f='${Status} ${Version}' check-socket-backlog 2>&1)
[ "$status" = "install ok installed $(dpkg-deb -f "$deb" Version)" ] && pass "dpkg: $status" \
    || { stale=1; fail "dpkg says the built version is installed and configured" "$status"; }
for jar in "$top"/target/dist/lib/*.jar; do
    same "${jar##*/}" "$jar" "$home/lib/${jar##*/}"
done
built_jars=$(cd "$top/target/dist/lib" && ls -- *.jar)
installed_jars=$(cd "$home/lib" && ls -- *.jar)
[ "$built_jars" = "$installed_jars" ] && pass "no other jar in $home/lib" \
    || { stale=1; fail "no other jar in $home/lib" "built: $(echo $built_jars), installed: $(echo $installed_jars)"; }
# The launcher as build-deb.sh packs it, but for the CSB_HOME= line it rewrites (checked below).
grep -v '^CSB_HOME=' "$top/src/main/sh/check_socket_backlog" >"$work/launcher.built"
grep -v '^CSB_HOME=' "$plugin" >"$work/launcher.installed" 2>&1
same "launcher (but for its CSB_HOME line)" "$work/launcher.built" "$work/launcher.installed" \
    "$top/src/main/sh/check_socket_backlog" "$plugin"
same "NRPE snippet" "$top/packaging/nrpe/check_socket_backlog.cfg" /etc/nagios/nrpe.d/check_socket_backlog.cfg
same "Nagios commands" "$top/packaging/nagios/check_socket_backlog.cfg" /etc/nagios-plugins/config/check_socket_backlog.cfg
same "Icinga 2 CheckCommand" "$top/packaging/icinga2/check_socket_backlog.conf" \
    /usr/share/icinga2/include/plugins-contrib.d/check_socket_backlog.conf
# And every file the .deb holds (man page, JNA stub, docs) is on disk as packed.
dpkg-deb -x "$deb" "$work/deb"
differ=$(cd "$work/deb" && find . -type f | while read -r f; do cmp -s -- "$f" "/${f#./}" || echo "/${f#./}"; done)
packed=$(cd "$work/deb" && find . -type f | wc -l)
[ -z "$differ" ] && [ "$packed" -gt 0 ] && pass "all $packed files of the .deb are installed as packed" \
    || { stale=1; fail "all files of the .deb are installed as packed" "different or missing: $(echo $differ)"; }
if [ -n "$stale" ]; then
    echo "FAILED - the installed package is not the one just built: every check below would test other files; stopping"
    echo "$passed passed, $failed failed"
    exit 1
fi

# --- the package's files ------------------------------------------------------------------------
[ -x "$plugin" ] && pass "launcher at $plugin" || fail "launcher at $plugin"
grep -q '^CSB_HOME=/usr/lib/check-socket-backlog$' "$plugin" && pass "launcher home fixed at install" \
    || fail "launcher home fixed at install"
man -w check_socket_backlog >/dev/null 2>&1 && pass "man check_socket_backlog finds the page" \
    || fail "man check_socket_backlog finds the page"
archives=$(find /usr/lib/check-socket-backlog/cds -name '*.jsa' -o -name '*.aot' 2>/dev/null)
[ -n "$archives" ] && pass "postinst made a class archive for the default Java: ${archives##*/}" \
    || fail "postinst made a class archive for the default Java"

# The .deb as lintian and a reader of its documents see it (packaging/README.md, "Debian package").
lint=$(lintian --pedantic --fail-on error,warning,pedantic "$deb" 2>"$work/lintian.err")
[ $? = 0 ] && [ -z "$lint" ] && pass "lintian --pedantic reports nothing" \
    || fail "lintian --pedantic reports nothing" "$(echo $lint; grep -v 'root privileges' "$work/lintian.err")"
docs=$("$top/packaging/test/deb-docs.sh" "$deb" 2>&1) && pass "${docs##*$'\n'}" \
    || fail "every relative link of the installed documents resolves" "$(echo $docs)"

# --- nrpe on 127.0.0.1 with the packaged snippet ---------------------------------------------------
# Debian's nrpe for the fixed commands; for $ARGn$ passing, which Debian's nrpe refuses by build,
# nrpe built from Debian's source with --enable-command-args (build-nrpe-with-args.sh).
# --extra-opts: a fixed NRPE command (dont_blame_nrpe=0 is enough) whose settings are in an ini
# file, a good section and a bad one.
cat >"$work/csb.ini" <<INI
# e2e: the settings of this host
[check_socket_backlog]
socket = $sock_dir/app.sock
basis = socket
warning = 50

[bad]
socket = $sock_dir/app.sock
basis
INI
chmod 644 "$work/csb.ini"
start_nrpe() { # start_nrpe BINARY PORT CONFIG
    cat >"$3" <<CFG
pid_file=$work/nrpe-$2.pid
log_file=$work/nrpe-$2.daemon.log
server_address=127.0.0.1
server_port=$2
nrpe_user=nagios
nrpe_group=nagios
allowed_hosts=127.0.0.1
dont_blame_nrpe=1
command_timeout=30
connection_timeout=60
include_dir=/etc/nagios/nrpe.d/
command[csb_e2e_ini]=$plugin --extra-opts=@$work/csb.ini
command[csb_e2e_ini_bad]=$plugin --extra-opts=bad@$work/csb.ini
CFG
    touch "$work/nrpe-$2.pid" "$work/nrpe-$2.daemon.log" && chown nagios "$work/nrpe-$2.pid" "$work/nrpe-$2.daemon.log"
    "$1" -c "$3" -f >"$work/nrpe-$2.log" 2>&1 &
    started=$!
    for _ in $(seq 50); do
        /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p "$2" >/dev/null 2>&1 && break
        sleep 0.2
    done
}
start_nrpe /usr/sbin/nrpe $port "$work/nrpe.cfg"
nrpe_pid=$started
expect "Debian's nrpe answers on 127.0.0.1:$port" 0 "NRPE v" /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p $port
# What the README's troubleshooting quotes: Debian's nrpe, built without argument support, and -a.
expect "Debian's nrpe refuses check_nrpe -a as the README says" 3 \
    "CHECK_NRPE: Receive header underflow - only 0 bytes received (4 expected)." \
    /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p $port -t 20 -c check_socket_backlog_args -a /run/php/www.sock 50 80
echo "# building nrpe with command arguments from Debian's source package"
if args_nrpe=$("$top/packaging/test/build-nrpe-with-args.sh" "$work/nrpe-src" 2>"$work/nrpe-build.log"); then
    start_nrpe "$args_nrpe" $args_port "$work/nrpe-args.cfg"
    args_nrpe_pid=$started
fi
expect "nrpe with command arguments answers on 127.0.0.1:$args_port" 0 "NRPE v" \
    /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p $args_port

via_nrpe() { /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p $port -t 20 "$@"; }
via_nrpe_args() { /usr/lib/nagios/plugins/check_nrpe -H 127.0.0.1 -p $args_port -t 20 "$@"; }
app=$sock_dir/app.sock
# backlog 9 holds 10: with --basis socket each queued connection is 10%.
for state in "0 0 OK" "6 1 WARNING" "9 2 CRITICAL"; do
    set -- $state
    hold unix "$app" 9 "$1" unix /run/php/csb-e2e.sock 9 "$1" tcp $tcp_port 9 "$1" || continue
    expect "check_nrpe \$ARG passing, $1 of 10 queued: $3" "$2" "BACKLOG $3 - " \
        via_nrpe_args -c check_socket_backlog_args -a "$app" 50 80
    expect "check_nrpe fixed arguments (php-fpm glob), $1 of 10: $3" "$2" "BACKLOG $3 - " \
        via_nrpe -c check_socket_backlog_php
    expect "check_nrpe TCP port, $1 of 10: $3" "$2" "BACKLOG $3 - " \
        via_nrpe_args -c check_socket_backlog_port -a $tcp_port 50 80
done
out=$(via_nrpe_args -c check_socket_backlog_args -a "$app" 50 80)
[[ $out == *"$app:pending=9;;;0;10 $app:usage=90%;50;80;0;100"* ]] && pass "perfdata passes through NRPE" \
    || fail "perfdata passes through NRPE" "$out"
hold unix "$app" 9 10 || true
expect "a full queue is CRITICAL through NRPE" 2 "BACKLOG CRITICAL - $app usage 100% (critical above 80), queue full (10 of 10)" \
    via_nrpe_args -c check_socket_backlog_args -a "$app" 50 80
expect "a socket nobody listens on is CRITICAL through NRPE" 2 "BACKLOG CRITICAL - $sock_dir/none.sock not listening" \
    via_nrpe_args -c check_socket_backlog_args -a "$sock_dir/none.sock" 50 80
expect "bad thresholds through NRPE are UNKNOWN" 3 "BACKLOG UNKNOWN - invalid arguments: -w/--warning" \
    via_nrpe_args -c check_socket_backlog_args -a "$app" 90:10 80
expect "default command of the snippet (every listener; one queue is full)" 2 "BACKLOG CRITICAL - " \
    via_nrpe -c check_socket_backlog
hold unix "$app" 9 6 || true
expect "a fixed NRPE command with --extra-opts: the ini file's socket and thresholds" 1 \
    "BACKLOG WARNING - $app usage 60% (warning above 50)" via_nrpe -c csb_e2e_ini
expect "a bad line of an --extra-opts section is UNKNOWN, naming the file and the line" 3 \
    "BACKLOG UNKNOWN - invalid arguments: --extra-opts: $work/csb.ini line 9: --basis needs a value" \
    via_nrpe -c csb_e2e_ini_bad
expect "an --extra-opts section that is not in the file is UNKNOWN" 3 \
    "BACKLOG UNKNOWN - invalid arguments: --extra-opts: $work/csb.ini has no section [nosuch]" \
    "$plugin" --extra-opts=nosuch@"$work/csb.ini"

# --- $ARGn$ from a client that tries to inject options or commands ---------------------------------
# The snippet puts every $ARGn$ in single quotes, bound to its option (--warning='$ARG2$'): whatever
# a client sends is one argument of that option, which the plugin rejects with the value shown (or,
# for --socket, takes as a name). What could end the quoting or run a command, NRPE refuses before
# running anything: ' and the rest of its default nasty_metachars, and $( . Each attempt below would,
# unquoted, turn the CRITICAL of a socket nobody listens on into OK, add a socket, or run a command
# that creates the marker file.
none=$sock_dir/none.sock
spaced="$sock_dir/with space.sock"
marker_dir=$work/marker
mkdir -m 1777 "$marker_dir"    # writable for nagios: whatever an injected command could do, it could do here
marker=$marker_dir/pwned
args_log=$work/nrpe-$args_port.daemon.log
invalid='BACKLOG UNKNOWN - invalid arguments:'
args_cmd() { via_nrpe_args -c check_socket_backlog_args -a "$@"; }
port_cmd() { via_nrpe_args -c check_socket_backlog_port -a "$@"; }
# refused NAME REASON ARG...: NRPE turns the request away (check_nrpe: UNKNOWN) and its log says why.
refused() {
    local name=$1 reason=$2 before out rc
    shift 2
    before=$(grep -c -F -- "$reason" "$args_log")
    out=$(args_cmd "$@" 2>&1)
    rc=$?
    if [ "$rc" = 3 ] && [[ $out == "CHECK_NRPE: "* ]] \
            && [ "$(grep -c -F -- "$reason" "$args_log")" -gt "$before" ]; then
        pass "$name"
    else
        fail "$name" "exit $rc, output: ${out%%$'\n'*}; nrpe log: $(tail -n 1 "$args_log")"
    fi
}
hold unix "$app" 9 9 unix "$spaced" 9 6 || true
expect "injection baseline: $none is CRITICAL" 2 "BACKLOG CRITICAL - $none not listening" \
    args_cmd "$none" 50 80
expect "injection: '50 --missing-state OK' is a bad -w, not an option" 3 \
    "$invalid -w/--warning: invalid range \"50 --missing-state OK\"" args_cmd "$none" '50 --missing-state OK' 80
expect "injection: '50 -s /other' is a bad -w, not a second socket" 3 \
    "$invalid -w/--warning: invalid range \"50 -s /other\"" args_cmd "$app" '50 -s /other' 80
expect "injection: '--missing-state=OK' alone is a bad -w, not an option" 3 \
    "$invalid -w/--warning: invalid range \"--missing-state=OK\"" args_cmd "$none" '--missing-state=OK' 80
expect "injection: '--missing-state=OK' as the socket is only a name nobody listens on" 2 \
    "BACKLOG CRITICAL - --missing-state=OK not listening" args_cmd '--missing-state=OK' 50 80
expect "injection: '$tcp_port --missing-state OK' is a bad -p" 3 \
    "$invalid -p/--port: \"$tcp_port --missing-state OK\"" port_cmd "$tcp_port --missing-state OK" 50 80
expect "injection: '50!--missing-state=OK' is split by NRPE at ! and ends as a bad -c" 3 \
    "$invalid -c/--critical: invalid range \"--missing-state=OK\"" args_cmd "$none" '50!--missing-state=OK' 80
expect "an empty argument: NRPE drops it, the next one moves up, -c is left empty" 3 \
    "$invalid -c/--critical: invalid range \"\"" args_cmd "$none" '' 80
expect "a socket path with a space reaches the plugin as one path" 1 "BACKLOG WARNING - $spaced usage 60%" \
    args_cmd "$spaced" 50 80
expect "shell characters NRPE lets through (\$ \" * ~ # ( )) reach the plugin literally" 3 \
    "$invalid -w/--warning: invalid range \"50\$HOME\"x\"*~#(x)\"" args_cmd "$none" '50$HOME"x"*~#(x)' 80
refused "NRPE refuses \$(touch ...)" "Request contained a bash command substitution" "$none" "\$(touch $marker)" 80
refused "NRPE refuses backticks" "Request contained illegal metachars" "$none" "\`touch $marker\`" 80
refused "NRPE refuses ;id" "Request contained illegal metachars" "$none" "50;id;touch $marker" 80
refused "NRPE refuses a newline" "Request contained illegal metachars" "$none" $'50\ntouch '"$marker" 80
refused "NRPE refuses a ' that would close the quoting" "Request contained illegal metachars" \
    "$none" "50' --missing-state 'OK" 80
refused "NRPE refuses | and >" "Request contained illegal metachars" "$none" "50|tee $marker>$marker" 80
left=$(ls -A "$marker_dir")
[ -z "$left" ] && pass "no attempt ran a command (no marker file)" || fail "no attempt ran a command" "found: $left"

# --- the state directory, as the package made it, used by the nrpe snippet's command ---------------
hold unix "$app" 9 0 tcp $tcp_port 9 0 || true
state_dir=/var/lib/check-socket-backlog
mode=$(stat -c '%a %U:%G' "$state_dir" 2>&1)
[ "$mode" = "1775 root:nagios" ] && pass "the package made $state_dir 1775 root:nagios" \
    || fail "the package made $state_dir 1775 root:nagios" "$mode"
as_nagios() { setpriv --reuid nagios --regid nagios --init-groups env -i PATH=/usr/bin:/bin "$@"; }
nagios_uid=$(id -u nagios)
rm -rf "${state_dir:?}/$nagios_uid"
# The same command line both times: the state is keyed by it, as the Monitoring Plugins key theirs.
expect "as nagios with the state directory: the first run sets the baseline" 0 "BACKLOG OK - " \
    as_nagios "$plugin" -p "$tcp_port" --state-dir "$state_dir" --overflow-critical 0 -v
second=$(as_nagios "$plugin" -p "$tcp_port" --state-dir "$state_dir" --overflow-critical 0 -v 2>&1)
case $second in
    *"overflows since the previous run "*" ago: "*) pass "the second run measures since the first" ;;
    *) fail "the second run measures since the first" "${second%%$'\n'*}" ;;
esac
owner=$(stat -c '%U %a' "$state_dir/$nagios_uid/check_socket_backlog" 2>&1)
[ "$owner" = "nagios 700" ] && pass "nagios's state is its own, 0700" || fail "nagios's state is its own, 0700" "$owner"
if [ -z "$(ss -Hltn 'sport = :80 or sport = :443' 2>/dev/null)" ]; then
    expect "the nrpe snippet's state command runs (nothing listens on 80 and 443 here)" 2 \
        "BACKLOG CRITICAL - 80 not listening; 443 not listening" via_nrpe -c check_socket_backlog_web
else
    web=$(via_nrpe -c check_socket_backlog_web 2>&1)
    case $web in
        "BACKLOG OK - "*|"BACKLOG WARNING - "*|"BACKLOG CRITICAL - "*) pass "the nrpe snippet's state command runs" ;;
        *) fail "the nrpe snippet's state command runs" "${web%%$'\n'*}" ;;
    esac
fi

# --- as nagios, no HOME, read-only noexec /tmp ---------------------------------------------------
hold unix "$app" 9 6 || true
as_nagios_noexec_tmp() {
    unshare -m sh -c 'mount -t tmpfs -o ro,noexec,nosuid tmpfs /tmp && exec setpriv --reuid nagios --regid nagios --init-groups env -i PATH=/usr/bin:/bin "$@"' sh "$@"
}
expect "as nagios, no HOME, /tmp read-only and noexec" 1 "BACKLOG WARNING - $app usage 60% (warning above 50)" \
    as_nagios_noexec_tmp "$plugin" -b socket -s "$app"
err=$(as_nagios_noexec_tmp "$plugin" -b socket -s "$app" 2>&1 >/dev/null)
rc=$?
[ "$rc" = 1 ] && [ -z "$err" ] && pass "nothing on stderr there" || fail "nothing on stderr there" "exit $rc: $err"

# --- Icinga 2: the CheckCommand in a minimal configuration ---------------------------------------
mkdir -p "$work/icinga2"
# What every Icinga 2 configuration here starts with: the constants and the ITL with plugins-contrib.
icinga_base='const PluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
const NodeName = "e2e.example"
const ZoneName = NodeName
const TicketSalt = ""
include <itl>
include <plugins>
include <plugins-contrib>
'
{ echo "$icinga_base"; cat <<'CFG'
object Host "web1" {
  check_command = "dummy"
  address = "127.0.0.1"
}
object Service "php-fpm backlog" {
  host_name = "web1"
  check_command = "socket_backlog"
  vars.socket_backlog_socket = [ "/run/php/*.sock", "@gunicorn" ]
  vars.socket_backlog_port = [ "8080", "[::1]:443" ]
  vars.socket_backlog_basis = "socket"
  vars.socket_backlog_warning = 50
  vars.socket_backlog_critical = 80
  vars.socket_backlog_verbose = true
}
object Service "backlog via nrpe" {
  host_name = "web1"
  check_command = "nrpe"
  vars.nrpe_command = "check_socket_backlog"
}
CFG
} >"$work/icinga2/icinga2.conf"
if icinga2 daemon -C -c "$work/icinga2/icinga2.conf" >"$work/icinga2.log" 2>&1 \
        && grep -q "Finished validating the configuration" "$work/icinga2.log"; then
    pass "icinga2 daemon -C accepts the CheckCommand in use"
else
    fail "icinga2 daemon -C accepts the CheckCommand in use" "$(grep -i -m3 'critical\|error' "$work/icinga2.log")"
fi
# The packaged file is what was loaded: a broken copy in its place must fail validation.
cp /usr/share/icinga2/include/plugins-contrib.d/check_socket_backlog.conf "$work/saved.conf"
echo 'object CheckCommand "socket_backlog" { command = [ PluginDir + "/x" ] }' \
    >>/usr/share/icinga2/include/plugins-contrib.d/check_socket_backlog.conf
icinga2 daemon -C -c "$work/icinga2/icinga2.conf" >/dev/null 2>&1 \
    && fail "icinga2 validation would notice a broken CheckCommand" || pass "icinga2 validation would notice a broken CheckCommand"
cp "$work/saved.conf" /usr/share/icinga2/include/plugins-contrib.d/check_socket_backlog.conf

# The daemon itself runs the check from the CheckCommand: the command line it builds (repeat_key,
# set_if) and the state it gets, in its debug log. The CheckCommand's command is an array, so
# Icinga 2 runs the plugin with that argv and no shell: a value full of shell syntax is one
# argument (the plugin says UNKNOWN), and nothing creates the marker file. $ in a value is Icinga's
# own macro syntax ($$ for a literal one).
hold unix "$app" 9 6 || true
shell_value="80 --missing-state OK; touch $marker \`touch $marker\` | tee $marker 'x'"
{ echo "$icinga_base"; cat <<CFG
object CheckerComponent "checker" { }
object FileLogger "debug" {
  path = "$work/icinga2/debug.log"
  severity = "debug"
}
object Host "web1" {
  check_command = "dummy"
  address = "127.0.0.1"
  enable_active_checks = false
}
object Service "backlog" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_socket = [ "$app", "@csb-e2e-none" ]
  vars.socket_backlog_basis = "socket"
  vars.socket_backlog_missing_state = "ok"
  vars.socket_backlog_verbose = true
}
object Service "shell syntax" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_socket = [ "$none" ]
  vars.socket_backlog_critical = "$shell_value"
}
object Service "dollar" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_socket = [ "$none" ]
  vars.socket_backlog_critical = "80\$\$(touch $marker)"
}
CFG
} >"$work/icinga2/run.conf"
ran_backlog="'--basis' 'socket' '--max-output' '0' '--missing-state' 'ok' '--socket' '$app' '--socket' '@csb-e2e-none' '-v') terminated with exit code"
ran_shell="'--critical' '$shell_value' '--max-output' '0' '--socket' '$none') terminated with exit code"
ran_dollar="'--critical' '80\$(touch $marker)' '--max-output' '0' '--socket' '$none') terminated with exit code"
mkdir -p /run/icinga2/cmd /var/lib/icinga2 /var/cache/icinga2 /var/log/icinga2
chown -R nagios:nagios /run/icinga2 /var/lib/icinga2 /var/cache/icinga2 /var/log/icinga2 "$work/icinga2"
timeout 60 icinga2 daemon -c "$work/icinga2/run.conf" >"$work/icinga2-run.log" 2>&1 &
icinga_pid=$!
daemon_pid=$icinga_pid
for _ in $(seq 200); do
    grep -q -F -- "$ran_backlog" "$work/icinga2/debug.log" 2>/dev/null \
        && grep -q -F -- "$ran_shell" "$work/icinga2/debug.log" && grep -q -F -- "$ran_dollar" "$work/icinga2/debug.log" \
        && break
    sleep 0.2
done
stop_group "$icinga_pid"
daemon_pid=
# icinga_ran NAME LINE_PART EXIT: the plugin's process, as the debug log prints its argv and exit code.
# It reads the debug log named by $icinga_log.
icinga_log=$work/icinga2/debug.log
icinga_ran() {
    local ran
    ran=$(grep -m1 -F -- "$2" "$icinga_log" 2>/dev/null)
    if [[ $ran == *"$2 $3"* ]]; then
        pass "$1"
    else
        fail "$1" "${ran:-$(grep -m3 "check_socket_backlog' " "$icinga_log" 2>/dev/null | tail -3)}"
    fi
}
icinga_ran "icinga2 runs the CheckCommand: repeated -s, set_if -v, WARNING from a 60% queue" "$ran_backlog" 1
icinga_ran "icinga2 passes a value with ; \` | ' and spaces as one argument, no shell: UNKNOWN" "$ran_shell" 3
icinga_ran "icinga2 passes \$\$( as a literal \$( in one argument: UNKNOWN" "$ran_dollar" 3
left=$(ls -A "$marker_dir")
[ -z "$left" ] && pass "no command ran from Icinga 2 values (no marker file)" \
    || fail "no command ran from Icinga 2 values" "found: $left"

# --- Icinga 2: every variable of the CheckCommand, and one service per socket (--list) -------------
# Each socket_backlog_* variable reaches the plugin as its option, through the real daemon: three
# services between them set every one (namespaces and owners need root, which Icinga 2's nagios
# user is not: that service is UNKNOWN, its command line is what is checked). The per-socket
# services come from the packaged apply rule over the host variables that --list icinga2 wrote.
per_a=$sock_dir/per-a.sock
per_b="$sock_dir/per b;\$x.sock"
# Its Nagios service: ; and $ are not allowed in a service_description, and --list writes them (and
# any backslash) as \xNN, which loses nothing.
per_b_nagios="backlog $sock_dir/per b\\x3b\\x24x.sock"
hold unix "$app" 9 6 unix "$per_a" 4 1 unix "$per_b" 4 3 tcp $tcp_port 9 0 || true
listing=$("$plugin" --list icinga2 -s "$sock_dir/per*")
"$plugin" --list nagios -s "$sock_dir/per*" >"$work/nagios-per-socket.cfg"
[ "$(grep -c '^vars.socket_backlog_listeners\[' <<<"$listing")" = 2 ] \
    && pass "--list icinga2 writes one host variable per listener" || fail "--list icinga2 writes one host variable per listener" "$listing"
examples=/usr/share/doc/check-socket-backlog/examples
# The installed apply rule with one line added: a check every second, as Icinga 2 would otherwise
# start each service at a random moment within its default 5-minute interval.
sed 's/^\(\t*\)vars += config$/&\n\1check_interval = 1s/' "$examples/per-socket-services.conf" >"$work/icinga2/per-socket.conf"
[ "$(diff "$examples/per-socket-services.conf" "$work/icinga2/per-socket.conf" | grep -c '^>')" = 1 ] \
    || fail "the per-socket rule is the packaged one plus check_interval" "$(diff "$examples/per-socket-services.conf" "$work/icinga2/per-socket.conf")"
mkdir -p "$work/state"
chown nagios:nagios "$work/state"
{ echo "$icinga_base"; cat <<CFG
object CheckerComponent "checker" { }
object FileLogger "debug" {
  path = "$work/icinga2/every.log"
  severity = "debug"
}
object Host "web1" {
  check_command = "dummy"
  address = "127.0.0.1"
  enable_active_checks = false
$listing
}
include "$work/icinga2/per-socket.conf"
object Service "every variable" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_extra_opts = [ "@$work/csb.ini" ]
  vars.socket_backlog_socket = [ "$app" ]
  vars.socket_backlog_port = [ "$tcp_port" ]
  vars.socket_backlog_exclude = [ "$none" ]
  vars.socket_backlog_warning = 55
  vars.socket_backlog_critical = 85
  vars.socket_backlog_pending_warning = 100
  vars.socket_backlog_pending_critical = 200
  vars.socket_backlog_blocked_warning = 10
  vars.socket_backlog_blocked_critical = 20
  vars.socket_backlog_syn_recv_warning = 30
  vars.socket_backlog_syn_recv_critical = 40
  vars.socket_backlog_basis = "socket"
  vars.socket_backlog_cpus = 2
  vars.socket_backlog_full_state = "warning"
  vars.socket_backlog_findings_state = "ok"
  vars.socket_backlog_missing_state = "ok"
  vars.socket_backlog_source = "auto"
  vars.socket_backlog_samples = 2
  vars.socket_backlog_sample_interval = 10
  vars.socket_backlog_max_output = 4096
  vars.socket_backlog_timeout = 7
  vars.socket_backlog_quiet = true
  vars.socket_backlog_verbose = 2
}
object Service "owners and namespaces" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_process = [ "python3", "nginx" ]
  vars.socket_backlog_unit = [ "csb-e2e.service" ]
  vars.socket_backlog_netns = [ "csb-e2e-none" ]
  vars.socket_backlog_netns_pid = [ 1 ]
  vars.socket_backlog_all_netns = true
  vars.socket_backlog_verbose = 3
}
object Service "overflows" {
  host_name = "web1"
  check_command = "socket_backlog"
  check_interval = 1s
  vars.socket_backlog_port = [ "$tcp_port" ]
  vars.socket_backlog_state_dir = "$work/state"
  vars.socket_backlog_overflow_warning = 5
  vars.socket_backlog_overflow_critical = 10
}
CFG
} >"$work/icinga2/every.conf"
chown -R nagios:nagios "$work/icinga2"
if icinga2 daemon -C -c "$work/icinga2/every.conf" >"$work/icinga2-every.log" 2>&1; then
    pass "icinga2 daemon -C accepts every variable and the packaged per-socket apply rule"
else
    fail "icinga2 daemon -C accepts every variable and the per-socket apply rule" "$(grep -i -m3 'critical\|error' "$work/icinga2-every.log")"
fi
# The command lines expected, as Icinga 2's debug log quotes them: PID N ('/usr/lib/nagios/plugins/
# check_socket_backlog' '--basis' ...) terminated with exit code N. Arguments of the same order
# come in no fixed order when there are many: the every-variable service's line is found by its
# --extra-opts (order -1, always first) and each of its options checked in it.
ran_every="('$plugin' '--extra-opts' '@$work/csb.ini' "
every_options=("'--basis' 'socket'" "'--blocked-critical' '20'" "'--blocked-warning' '10'" "'--cpus' '2'"
    "'--critical' '85'" "'--exclude' '$none'" "'--findings-state' 'ok'" "'--full-state' 'warning'"
    "'--max-output' '4096'" "'--missing-state' 'ok'" "'--pending-critical' '200'" "'--pending-warning' '100'"
    "'--port' '$tcp_port'" "'--quiet'" "'--sample-interval' '10'" "'--samples' '2'" "'--socket' '$app'"
    "'--source' 'auto'" "'--syn-recv-critical' '40'" "'--syn-recv-warning' '30'" "'--timeout' '7'"
    "'--warning' '55'" "'-vv'")
ran_owners="('$plugin' '--all-netns' '--basis' 'socket' '--max-output' '0' '--netns' 'csb-e2e-none' '--netns-pid' '1' '--process' 'python3' '--process' 'nginx' '--unit' 'csb-e2e.service' '-vvv') terminated with exit code"
ran_overflows="('$plugin' '--basis' 'socket' '--max-output' '0' '--overflow-critical' '10' '--overflow-warning' '5' '--port' '$tcp_port' '--state-dir' '$work/state') terminated with exit code"
ran_per_a="('$plugin' '--basis' 'socket' '--max-output' '0' '--socket' '$per_a') terminated with exit code"
ran_per_b="('$plugin' '--basis' 'socket' '--max-output' '0' '--socket' '$per_b') terminated with exit code"
timeout 60 icinga2 daemon -c "$work/icinga2/every.conf" >"$work/icinga2-every-run.log" 2>&1 &
icinga_pid=$!
daemon_pid=$icinga_pid
for _ in $(seq 200); do
    all=1
    for want in "$ran_owners" "$ran_overflows" "$ran_per_a" "$ran_per_b"; do
        grep -q -F -- "$want" "$work/icinga2/every.log" 2>/dev/null || all=
    done
    grep -F -- "$ran_every" "$work/icinga2/every.log" 2>/dev/null | grep -q -F "terminated with exit code" || all=
    [ -n "$all" ] && break
    sleep 0.2
done
stop_group "$icinga_pid"
daemon_pid=
icinga_log=$work/icinga2/every.log
ran=$(grep -F -- "$ran_every" "$work/icinga2/every.log" 2>/dev/null | grep -m1 -F "terminated with exit code")
missing=()
for option in "${every_options[@]}"; do
    [[ $ran == *" $option"[\ \)]* ]] || missing+=("$option")
done
if [ -n "$ran" ] && [ ${#missing[@]} = 0 ] && [[ $ran == *") terminated with exit code 1"* ]]; then
    pass "icinga2 passes every value variable of the CheckCommand as its option (60% of $app: WARNING)"
else
    fail "icinga2 passes every value variable of the CheckCommand as its option" "missing: ${missing[*]}; ${ran:-no such command ran}"
fi
icinga_ran "icinga2 passes the owner and namespace variables, all_netns by set_if, verbose 3 as -vvv (unprivileged: UNKNOWN)" "$ran_owners" 3
icinga_ran "icinga2 passes the state directory and overflow variables (the first run: OK)" "$ran_overflows" 0
icinga_ran "apply Service for over --list icinga2: \"backlog $per_a\", 1 of 5 queued: OK" "$ran_per_a" 0
icinga_ran "apply Service for over --list icinga2: \"backlog $per_b\" (; and \$ in its name), 3 of 5: WARNING" "$ran_per_b" 1

# --- Nagios 4: the command definition in a minimal configuration ----------------------------------
mkdir -p "$work/nagios/spool" "$work/nagios/var"
chown -R nagios:nagios "$work/nagios"
cat >"$work/nagios/resource.cfg" <<'CFG'
$USER1$=/usr/lib/nagios/plugins
CFG
cat >"$work/nagios/objects.cfg" <<'CFG'
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday 00:00-24:00
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
}
define command {
    command_name notify-none
    command_line /bin/true
}
define command {
    command_name check-host-alive
    command_line /bin/true
}
define contact {
    contact_name                  admin
    host_notification_period      24x7
    service_notification_period   24x7
    host_notification_options     n
    service_notification_options  n
    host_notification_commands    notify-none
    service_notification_commands notify-none
}
define host {
    host_name             web1
    address               127.0.0.1
    check_command         check-host-alive
    max_check_attempts    1
    check_period          24x7
    contacts              admin
    notification_period   24x7
}
define service {
    host_name             web1
    service_description   php-fpm backlog
    check_command         check_socket_backlog!-s '/run/php/*.sock' --basis socket -w 50 -c 80
    max_check_attempts    2
    check_interval        5
    retry_interval        1
    check_period          24x7
    contacts              admin
    notification_period   24x7
}
define service {
    host_name             web1
    service_description   backlog via nrpe
    check_command         check_nrpe_socket_backlog!check_socket_backlog_php
    max_check_attempts    2
    check_interval        5
    retry_interval        1
    check_period          24x7
    contacts              admin
    notification_period   24x7
}
CFG
# Services with this run's paths, for the check below as well.
service() { # service DESCRIPTION CHECK_COMMAND
    printf 'define service {\n    host_name web1\n    service_description %s\n    check_command %s\n%s\n}\n' \
        "$1" "$2" '    max_check_attempts 2
    check_interval 5
    retry_interval 1
    check_period 24x7
    contacts admin
    notification_period 24x7'
}
{
    service "local" "check_socket_backlog!--socket='$app' --basis socket -w 50 -c 80"
    service "nrpe args" "check_nrpe_socket_backlog_args!check_socket_backlog_args!$app!50!80"
    service "nrpe args with spaces" "check_nrpe_socket_backlog_args!check_socket_backlog_args!$spaced!50!80"
    service "nrpe args injection" "check_nrpe_socket_backlog_args!check_socket_backlog_args!$none!50 --missing-state OK!80"
} >"$work/nagios/services.cfg"
# One service per socket: the --list nagios output written above, on its template.
cat >>"$work/nagios/services.cfg" <<'CFG'
define service {
    name                  socket-backlog-service
    host_name             web1
    max_check_attempts    2
    check_interval        5
    retry_interval        1
    check_period          24x7
    contacts              admin
    notification_period   24x7
    register              0
}
CFG
cat >"$work/nagios/nagios.cfg" <<CFG
log_file=$work/nagios/var/nagios.log
cfg_file=/etc/nagios-plugins/config/check_socket_backlog.cfg
cfg_file=$work/nagios/objects.cfg
cfg_file=$work/nagios/services.cfg
cfg_file=$work/nagios-per-socket.cfg
resource_file=$work/nagios/resource.cfg
status_file=$work/nagios/var/status.dat
object_cache_file=$work/nagios/var/objects.cache
precached_object_file=$work/nagios/var/objects.precache
temp_file=$work/nagios/var/nagios.tmp
lock_file=$work/nagios/var/nagios.lock
check_result_path=$work/nagios/spool
command_file=$work/nagios/var/nagios.cmd
nagios_user=nagios
nagios_group=nagios
CFG
if nagios4 -v "$work/nagios/nagios.cfg" >"$work/nagios.log" 2>&1 && grep -q "Total Errors:   0" "$work/nagios.log"; then
    pass "nagios4 -v accepts the command definitions in use"
else
    fail "nagios4 -v accepts the command definitions in use" "$(grep -m3 -i 'error' "$work/nagios.log")"
fi

# The daemon itself runs the commands: locally, and through check_nrpe and the argument-enabled nrpe
# ($USER1$ is a directory of its own, where check_nrpe adds -p $args_port to the real one, and
# check_socket_backlog is the installed plugin). status.dat gives each service's state and output.
hold unix "$app" 9 6 unix /run/php/csb-e2e.sock 9 6 unix "$spaced" 9 6 unix "$per_a" 4 1 unix "$per_b" 4 3 || true
mkdir -p "$work/nagios/plugins"
ln -s "$plugin" "$work/nagios/plugins/check_socket_backlog"
printf '#!/bin/sh\nexec /usr/lib/nagios/plugins/check_nrpe -p %s "$@"\n' "$args_port" >"$work/nagios/plugins/check_nrpe"
chmod 755 "$work/nagios/plugins/check_nrpe"
echo "\$USER1\$=$work/nagios/plugins" >"$work/nagios/resource-run.cfg"
sed "s|^resource_file=.*|resource_file=$work/nagios/resource-run.cfg|" "$work/nagios/nagios.cfg" >"$work/nagios/run.cfg"
cat >>"$work/nagios/run.cfg" <<CFG
service_inter_check_delay_method=n
host_inter_check_delay_method=n
status_update_interval=1
check_result_reaper_frequency=1
use_syslog=0
enable_notifications=0
check_external_commands=0
retain_state_information=0
state_retention_file=$work/nagios/var/retention.dat
query_socket=$work/nagios/var/nagios.qh
CFG
chown -R nagios:nagios "$work/nagios"
# nagios_service DESCRIPTION: "STATE OUTPUT" of a service once it has been checked.
nagios_service() {
    # Through the environment: awk -v would read backslash escapes in the name (\x3b is ;).
    want="$1" awk 'BEGIN { want = ENVIRON["want"] }
        /^servicestatus \{/ { in_block = 1; name = ""; checked = ""; state = ""; output = "" }
        in_block && /^\tservice_description=/ { name = substr($0, index($0, "=") + 1) }
        in_block && /^\thas_been_checked=/ { checked = substr($0, index($0, "=") + 1) }
        in_block && /^\tcurrent_state=/ { state = substr($0, index($0, "=") + 1) }
        in_block && /^\tplugin_output=/ { output = substr($0, index($0, "=") + 1) }
        in_block && /^\t\}/ { if (name == want && checked == 1) print state " " output; in_block = 0 }
    ' "${2:-$work/nagios/var/status.dat}" 2>/dev/null
}
timeout 90 nagios4 "$work/nagios/run.cfg" >"$work/nagios-run.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 200); do
    [ -n "$(nagios_service local)" ] && [ -n "$(nagios_service 'nrpe args')" ] \
        && [ -n "$(nagios_service 'nrpe args with spaces')" ] && [ -n "$(nagios_service 'nrpe args injection')" ] \
        && [ -n "$(nagios_service 'backlog via nrpe')" ] && [ -n "$(nagios_service "backlog $per_a")" ] \
        && [ -n "$(nagios_service "$per_b_nagios")" ] && break
    sleep 0.2
done
cp "$work/nagios/var/status.dat" "$work/nagios/status.dat" 2>/dev/null   # nagios removes it when it stops
stop_group "$daemon_pid"
daemon_pid=
# nagios_expect DESCRIPTION STATE OUTPUT_PREFIX
nagios_expect() {
    local got
    got=$(nagios_service "$1" "$work/nagios/status.dat")
    [[ $got == "$2 $3"* ]] && pass "nagios4 runs \"$1\": $2 $3" \
        || fail "nagios4 runs \"$1\"" "state and output: ${got:-none; $(tail -n 2 "$work/nagios-run.log")}"
}
nagios_expect local 1 "BACKLOG WARNING - $app usage 60%"
nagios_expect "backlog via nrpe" 1 "BACKLOG WARNING - /run/php/csb-e2e.sock usage 60%"
nagios_expect "nrpe args" 1 "BACKLOG WARNING - $app usage 60%"
nagios_expect "nrpe args with spaces" 1 "BACKLOG WARNING - $spaced usage 60%"
nagios_expect "nrpe args injection" 3 "$invalid -w/--warning: invalid range \"50 --missing-state OK\""
nagios_expect "backlog $per_a" 0 "BACKLOG OK - 1 listener, fullest $per_a: 1 pending, usage 20%"
# (Nagios writes a plugin's ; as :, the separator of its own files.)
nagios_expect "$per_b_nagios" 1 "BACKLOG WARNING - ${per_b//;/:} usage 60%"

# --- RPM ---------------------------------------------------------------------------------------------
rpm_file=$("$top/packaging/build-rpm.sh" 2>"$work/rpm.log" | head -n 1)
echo "# rpm: ${rpm_file:-none}"
files=$(rpm -qpl "$rpm_file" 2>/dev/null)
requires=$(rpm -qp --requires "$rpm_file" 2>/dev/null)
if [ -n "$rpm_file" ] && grep -q '/nagios/plugins/check_socket_backlog$' <<<"$files" \
        && grep -q '^java-headless >= 1:17$' <<<"$requires" \
        && grep -q '^/etc/nrpe.d/check_socket_backlog.cfg$' <<<"$files"; then
    pass "rpmbuild builds the RPM with the plugin, the NRPE snippet and a Java >= 17 requirement"
else
    fail "rpmbuild builds the RPM" "$(tail -3 "$work/rpm.log")"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
