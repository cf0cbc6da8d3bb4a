#!/bin/sh
# fake-proc.sh WORKDIR [--net NAME FILE]... [--drop NAME]... -- COMMAND...
#
# Runs COMMAND with /proc replaced by a tmpfs of symbolic links into a real procfs mounted at
# WORKDIR/real, except that /proc/net/NAME is a copy of FILE and /proc/NAME (for --drop) is absent.
# For the launcher tests: /proc/net is a link to self/net, and mounts over /proc/PID/net/... do not
# hold (the kernel revalidates those entries), so a fake /proc/net/unix needs a /proc of our own.
#
# Run it as root under `unshare --mount --pid --fork --kill-child`: the mounts then exist in that
# mount namespace only and vanish with it, and the new PID namespace numbers its processes from 1,
# so that links /proc/1../proc/1000 made in advance serve every process COMMAND starts (the JVM
# reads /proc/<its pid>/... as well as /proc/self/...). Nothing outside WORKDIR is changed.
set -eu
# Our own commands from the usual places; COMMAND gets the caller's PATH back.
caller_path=$PATH
PATH=/usr/sbin:/usr/bin:/sbin:/bin
work=$1
shift
nets=
drops=
while [ "$1" != -- ]; do
    case $1 in
        --net) nets="$nets $2=$3"; shift 3 ;;
        --drop) drops="$drops $2"; shift 2 ;;
        *) echo "fake-proc.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
shift
mkdir -p "$work/real"
mount -t proc proc "$work/real"
mount -t tmpfs -o size=4m,mode=755 csb-fake-proc /proc
cd "$work/real"
for entry in *; do
    case $entry in
        [0-9]*|net) continue ;;
    esac
    case " $drops " in *" $entry "*) continue ;; esac
    ln -s "$work/real/$entry" "/proc/$entry"
done
seq -f "$work/real/%g" 1 1000 | xargs ln -s -t /proc
mkdir /proc/net
for entry in "$work"/real/self/net/*; do
    name=${entry##*/}
    ln -s "$work/real/self/net/$name" "/proc/net/$name"
done
for pair in $nets; do
    rm -f "/proc/net/${pair%%=*}"
    cp "${pair#*=}" "/proc/net/${pair%%=*}"
done
cd /
PATH=$caller_path
exec "$@"
