#!/usr/bin/env python3
"""cgroups.py - what naming a TCP listener's service from its socket's cgroup costs on a host with many cgroups.

Unprivileged, the check cannot see who holds another user's socket, but the kernel tells it the
cgroup each TCP socket was created in (INET_DIAG_CGROUP_ID); the check walks the cgroup2 hierarchy
for that id. This puts a TCP listener with a full queue in a cgroup of its own, below N sibling
cgroups (so that the walk has to pass them all: the worst case), and runs the check of it as
nobody (the walk) and as root (the holder is seen, no walk), RUNS times each after WARMUP, first
with no siblings, then with N; it prints medians of wall time and peak RSS.

Usage: sudo src/bench/cgroups.py [--dist DIR] [-n CGROUPS] [--runs RUNS] [--warmup W]
Needs root, a writable cgroup2 mount, python3, setpriv and /usr/bin/time. It removes what it made.
"""
import argparse
import os
import subprocess
import time

from benchlib import measure

NOBODY = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--"]


def cgroup2_mount():
    with open("/proc/self/mountinfo") as f:
        for line in f:
            head, _, tail = line.partition(" - ")
            if tail.startswith("cgroup2 "):
                return head.split(" ")[4]
    raise SystemExit("no cgroup2 mount")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="what naming a TCP listener's cgroup costs")
    parser.add_argument("--dist", default=os.path.join(here, "..", "..", "target", "dist"))
    parser.add_argument("-n", type=int, default=2000, help="sibling cgroups (default 2000)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    check = os.path.join(os.path.abspath(args.dist), "check_socket_backlog")
    top = os.path.join(cgroup2_mount(), "csb-bench-%d.slice" % os.getpid())
    target = os.path.join(top, "zz.slice", "csb-bench.service")
    siblings = [os.path.join(top, "c%d.service" % i) for i in range(args.n)]
    os.makedirs(target)
    server = None
    try:
        server = subprocess.Popen(["python3", "-c", "import socket,sys,time\n"
                                   "open(sys.argv[1] + '/cgroup.procs', 'w').write('0')\n"
                                   "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(1)\n"
                                   "c=[socket.create_connection(s.getsockname()) for i in range(2)]\n"
                                   "print(s.getsockname()[1], flush=True); sys.stdin.read()\n", target],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        port = server.stdout.readline().strip()
        cases = [("nobody (cgroup walked)", NOBODY + [check, "-p", "127.0.0.1:" + port]),
                 ("root (holder seen, no walk)", [check, "-p", "127.0.0.1:" + port])]
        before, _ = measure(cases, args.runs, args.warmup)
        for path in siblings:
            os.mkdir(path)
        after, out = measure(cases, args.runs, args.warmup)
        print("dist %s; %d CPUs; kernel %s" % (os.path.abspath(args.dist), os.cpu_count(), os.uname().release))
        print("   %-30s %22s %24s" % ("check of a full TCP queue", "no other cgroups", "+ %d cgroups" % args.n))
        for name, _ in cases:
            print("   %-30s %10.1f ms %6.1f MiB %10.1f ms %6.1f MiB" % (name, before[name][0], before[name][1],
                                                                      after[name][0], after[name][1]))
        print("   e.g. " + out[cases[0][0]])
    finally:
        if server is not None:
            server.stdin.close()
            server.wait(timeout=10)
        for path in siblings + [target, os.path.dirname(target), top]:
            for _ in range(100):
                try:
                    os.rmdir(path)
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


if __name__ == "__main__":
    main()
