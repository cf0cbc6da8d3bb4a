#!/usr/bin/env python3
"""sampling.py - what --samples costs and what it catches.

1. Cost of a look: the check with --samples 1, 11 and 41 at --sample-interval 10, in an idle
   network namespace and in one with 100,000 connected unix sockets, for a unix (-s) and a TCP
   (-p) listener; the cost of one look is (wall(N) - wall(1)) / (N - 1) - the interval.
2. Detection: a unix listener (backlog 8) whose queue is full for L ms out of every 2 s (a burst:
   9 clients connect, then are accepted), checked K times at random moments with one look and with
   N looks I ms apart; the share of checks that report the queue full, against the share the
   burst's length predicts for one look (L / 2000).

Usage: sudo src/bench/sampling.py [--dist DIR] [--runs K] [--quick] [--detection-only]
Needs root (ip netns), python3 and iproute2. Everything it makes (namespaces, holder processes) is
removed on exit; every check gets -t 10, every holder exits by itself after 20 minutes.
"""
import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

HOLDER = textwrap.dedent('''
    import os, socket, sys, threading, time
    mode = sys.argv[1]
    kept = []
    if mode == "pairs":
        for i in range(int(sys.argv[2])):
            kept += socket.socketpair()
    elif mode == "listeners":
        u = socket.socket(socket.AF_UNIX); u.bind("\\0one"); u.listen(8); kept.append(u)
        t = socket.socket(); t.bind(("127.0.0.1", 7777)); t.listen(8); kept.append(t)
    elif mode == "burst":
        length, period = float(sys.argv[2]) / 1000, float(sys.argv[3]) / 1000
        u = socket.socket(socket.AF_UNIX); u.bind("\\0burst"); u.listen(8); kept.append(u)
        def bursts():
            while True:
                start = time.monotonic()
                clients = []
                for i in range(9):
                    c = socket.socket(socket.AF_UNIX); c.connect("\\0burst"); clients.append(c)
                time.sleep(length)
                for i in range(9):
                    u.accept()[0].close()
                for c in clients:
                    c.close()
                time.sleep(max(0, period - (time.monotonic() - start)))
        threading.Thread(target=bursts, daemon=True).start()
    print("ready", flush=True)
    time.sleep(1200)
''')


class Namespace:
    count = 0

    def __init__(self):
        Namespace.count += 1
        self.name = "csb-sampling-%d-%d" % (os.getpid(), Namespace.count)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        subprocess.run(["ip", "-n", self.name, "link", "set", "lo", "up"], check=True)
        self.holders = []

    def hold(self, *args):
        p = subprocess.Popen(["ip", "netns", "exec", self.name, sys.executable, "-c", HOLDER] + list(args),
                             stdout=subprocess.PIPE, text=True)
        self.holders.append(p)
        if p.stdout.readline().strip() != "ready":
            raise RuntimeError("holder failed: %s" % (args,))

    def run(self, command):
        start = time.monotonic()
        r = subprocess.run(["ip", "netns", "exec", self.name] + command, capture_output=True, text=True, timeout=30)
        return time.monotonic() - start, r

    def close(self):
        for p in self.holders:
            p.kill()
            p.wait()
        subprocess.run(["ip", "netns", "delete", self.name])


def cost(dist, runs):
    check = os.path.join(dist, "check_socket_backlog")
    print("== cost of a look (median of %d runs each, --sample-interval 10)" % runs)
    print("   %-34s %10s %10s %10s %14s" % ("host, selector", "1 look", "11 looks", "41 looks", "per look"))
    idle, busy = Namespace(), Namespace()
    try:
        idle.hold("listeners")
        busy.hold("listeners")
        for i in range(6):
            busy.hold("pairs", "8334")
        for ns, host in ((idle, "idle"), (busy, "100,000 unix sockets")):
            for selector in (["-s", "@one"], ["-p", "7777"]):
                walls = {}
                for n in (1, 11, 41):
                    samples = []
                    for r in range(runs):
                        wall, _ = ns.run([check] + selector + ["--samples", str(n), "--sample-interval", "10", "-t",
                                                               "10"])
                        samples.append(wall * 1000)
                    walls[n] = statistics.median(samples)
                per = ((walls[41] - walls[1]) / 40) - 10
                print("   %-34s %8.1f ms %8.1f ms %8.1f ms %11.2f ms" % (host + ", " + " ".join(selector), walls[1],
                                                                         walls[11], walls[41], per))
    finally:
        idle.close()
        busy.close()


def predicted(n, interval, length, period):
    """The chance that n looks interval ms apart see a burst of length ms that recurs every period ms.

    The looks span (n - 1) * interval ms; a burst is seen when a look falls inside it: it must
    start within the span (or length before it), and the looks must be closer than the burst is
    long to be sure to land in it.
    """
    if n == 1:
        return min(1.0, length / period)
    return min(1.0, ((n - 1) * interval + length) / period) * min(1.0, length / interval)


def detection(dist, runs, lengths, configurations):
    check = os.path.join(dist, "check_socket_backlog")
    period = 2000
    print("\n== detection: queue full for L ms every %d ms; share of %d checks at random moments that saw it" %
          (period, runs))
    header = "   %-10s %12s" % ("burst L", "one look")
    for n, interval in configurations:
        header += " %18s" % ("%d looks @%d ms" % (n, interval))
    print(header)
    print("   each cell: the share caught, then ~ the share predicted (docs/overflows.md)")
    for length in lengths:
        ns = Namespace()
        try:
            ns.hold("burst", str(length), str(period))
            row = "   %-10s" % ("%d ms" % length)
            for n, interval in [(1, 100)] + configurations:
                caught = 0
                for r in range(runs):
                    time.sleep(random.uniform(0, period / 1000))
                    _, result = ns.run([check, "-s", "@burst", "--samples", str(n), "--sample-interval",
                                        str(interval), "-t", "10"])
                    caught += 1 if result.returncode == 2 else 0
                cell = "%3d%% ~%d%%" % (round(100.0 * caught / runs), round(100 * predicted(n, interval, length, period)))
                row += " %12s" % cell if n == 1 else " %18s" % cell
            print(row)
        finally:
            ns.close()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="what --samples costs and what it catches")
    parser.add_argument("--dist", default=os.path.join(here, "..", "..", "target", "dist"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="fewer runs and bursts")
    parser.add_argument("--detection-only", action="store_true", help="skip the cost of a look")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("sampling.py: needs root, to create network namespaces")
    runs = 7 if args.quick else args.runs
    print("dist %s; %d CPUs; kernel %s" % (os.path.abspath(args.dist), os.cpu_count(), os.uname().release))
    if not args.detection_only:
        cost(args.dist, max(5, runs // 3))
    lengths = [50, 300] if args.quick else [20, 50, 100, 300]
    detection(args.dist, runs, lengths, [(10, 100), (20, 50), (40, 25)])


if __name__ == "__main__":
    main()
