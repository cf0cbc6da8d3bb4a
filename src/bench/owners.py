#!/usr/bin/env python3
"""owners.py - what naming a listener's holders costs on a host with many processes and descriptors.

The check looks for the processes that hold a socket (/proc/PID/fd) only when the output describes
it as not OK, or with -v. This runs a check of a unix listener whose queue is full (so its holder is
looked for) and of one whose queue is empty (so nothing is looked for), first with the machine as it
is, then with P extra processes holding F descriptors each (socketpairs), RUNS times each after
WARMUP, and prints medians of wall time and peak RSS.

Usage: sudo src/bench/owners.py [--dist DIR] [-p PROCESSES] [-f FDS] [--runs RUNS] [--warmup W]
Needs python3 and /usr/bin/time. Everything it starts exits with it (or after 20 minutes).
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

from benchlib import measure

HOLDER = '''
import socket, sys, time
kept = [socket.socketpair() for _ in range(int(sys.argv[1]) // 2)]
print("ready", flush=True)
deadline = time.time() + 1200
while time.time() < deadline:
    if sys.stdin.read(1) == "":
        break
'''


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="what naming a listener's holders costs")
    parser.add_argument("--dist", default=os.path.join(here, "..", "..", "target", "dist"))
    parser.add_argument("-p", type=int, default=500, help="extra processes (default 500)")
    parser.add_argument("-f", type=int, default=100, help="descriptors each (default 100)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    check = os.path.join(os.path.abspath(args.dist), "check_socket_backlog")
    tmp = tempfile.mkdtemp(prefix="csb-owners-")
    full_path, empty_path = os.path.join(tmp, "full.sock"), os.path.join(tmp, "empty.sock")
    full = socket.socket(socket.AF_UNIX)
    full.bind(full_path)
    full.listen(1)
    clients = [socket.socket(socket.AF_UNIX) for _ in range(2)]
    for c in clients:
        c.connect(full_path)
    empty = socket.socket(socket.AF_UNIX)
    empty.bind(empty_path)
    empty.listen(8)
    cases = [("full queue (holder looked for)", [check, "-s", full_path]),
             ("empty queue (nothing looked for)", [check, "-s", empty_path])]
    holders = []
    try:
        procs = len([p for p in os.listdir("/proc") if p.isdigit()])
        before, out = measure(cases, args.runs, args.warmup)
        for _ in range(args.p):
            h = subprocess.Popen([sys.executable, "-c", HOLDER, str(args.f)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
            holders.append(h)
        for h in holders:
            if h.stdout.readline().strip() != "ready":
                raise RuntimeError("a holder did not start")
        after, _ = measure(cases, args.runs, args.warmup)
        print("dist %s; %d CPUs; kernel %s" % (os.path.abspath(args.dist), os.cpu_count(), os.uname().release))
        print("   %-34s %22s %30s" % ("check", "%d processes" % procs,
                                        "+ %d processes x %d fds" % (args.p, args.f)))
        for name, _ in cases:
            print("   %-34s %10.1f ms %6.1f MiB %14.1f ms %6.1f MiB" % (name, before[name][0], before[name][1],
                                                                      after[name][0], after[name][1]))
        print("   e.g. " + out[cases[0][0]])
    finally:
        for h in holders:
            try:
                h.stdin.close()
            except Exception:
                pass
        for h in holders:
            try:
                h.wait(timeout=10)
            except Exception:
                h.kill()
        for path in (full_path, empty_path):
            os.unlink(path)
        os.rmdir(tmp)


if __name__ == "__main__":
    main()
