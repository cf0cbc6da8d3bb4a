#!/usr/bin/env python3
"""namespaces.py - what --netns and --all-netns cost, per network namespace.

Makes N network namespaces (ip netns add), each with its own somaxconn (128 in every other one)
and a holder process in it: two unix listeners (paths in a directory the host shares, one with a
pending client) and two TCP listeners on its loopback (one with a pending client). One more unix
listener in the check's own namespace is the idle check's. Then it runs, round-robin, RUNS times
after WARMUP unrecorded rounds:

  hello      a JVM hello world on the same JDK (the floor)
  idle       the check of the own listener (-s OWN), the usual check
  one        --netns of one namespace, -s its first socket
  all-one    --all-netns -s the first namespace's socket: every namespace entered and read
  all-whole  --all-netns, no selector: every listener of every namespace judged and printed

and prints medians of whole-process wall time and peak RSS, the ratios to the floor and to the
idle check, and the cost per namespace read ((all-one - idle) / namespaces read).

Usage: sudo src/bench/namespaces.py [--dist DIR] [-n NAMESPACES] [--runs RUNS] [--warmup W]
Needs root, python3, iproute2, /usr/bin/time and javac. Removes what it made on exit; every holder
exits by itself after 20 minutes.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

HOLDER = textwrap.dedent('''
    import os, socket, sys, time
    directory, prefix = sys.argv[1], sys.argv[2]
    kept = []
    for i, clients in ((0, 1), (1, 0)):
        path = os.path.join(directory, "%s-%d.sock" % (prefix, i))
        s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(16); kept.append(s)
        for _ in range(clients):
            c = socket.socket(socket.AF_UNIX); c.connect(path); kept.append(c)
    for port, clients in ((8080, 1), (8443, 0)):
        t = socket.socket(); t.bind(("127.0.0.1", port)); t.listen(32); kept.append(t)
        for _ in range(clients):
            c = socket.create_connection(("127.0.0.1", port)); kept.append(c)
    print("ready", flush=True)
    deadline = time.time() + 1200
    while time.time() < deadline:
        if sys.stdin.read(1) == "":
            break
''')


def run_timed(command):
    """(wall ms, peak RSS KiB, stdout) of one run under /usr/bin/time."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=60)
    wall = (time.perf_counter() - started) * 1000
    rss = int(result.stderr.strip().splitlines()[-1])
    return wall, rss, result.stdout, result.returncode


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="what --netns and --all-netns cost")
    parser.add_argument("--dist", default=os.path.join(here, "..", "..", "target", "dist"))
    parser.add_argument("-n", type=int, default=50, help="namespaces to make (default 50)")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("namespaces.py: needs root, to make network namespaces")
    check = os.path.join(os.path.abspath(args.dist), "check_socket_backlog")
    java_home = os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
    tmp = tempfile.mkdtemp(prefix="csb-nsbench-")
    os.chmod(tmp, 0o755)
    names = ["csb-nsbench-%d-%d" % (os.getpid(), i) for i in range(args.n)]
    made, holders = [], []
    try:
        subprocess.run([os.path.join(java_home, "bin", "javac"), "-d", tmp, write_hello(tmp)], check=True)
        for i, name in enumerate(names):
            subprocess.run(["ip", "netns", "add", name], check=True)
            made.append(name)
            subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
            if i % 2 == 1:
                subprocess.run(["ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.core.somaxconn=128"], check=True)
            holders.append(start_holder(["ip", "netns", "exec", name], tmp, "ns%d" % i))
        holders.append(start_holder([], tmp, "own"))
        own = os.path.join(tmp, "own-0.sock")
        first = os.path.join(tmp, "ns0-0.sock")
        cases = [
            ("hello", [os.path.join(java_home, "bin", "java"), "-Xshare:auto", "-cp", tmp, "Hello"]),
            ("idle", [check, "-s", own]),
            ("one", [check, "--netns", names[0], "-s", first]),
            ("all-one", [check, "--all-netns", "-s", first]),
            ("all-whole", [check, "--all-netns", "--max-output", "0"]),
        ]
        samples = {name: [] for name, _ in cases}
        outputs = {}
        for round_ in range(args.warmup + args.runs):
            for name, command in cases:
                wall, rss, out, rc = run_timed(command)
                if round_ >= args.warmup:
                    samples[name].append((wall, rss))
                    outputs[name] = (out, rc)
        whole = outputs["all-whole"][0]
        read = sum(1 for line in whole.splitlines()[1:] if " in netns " in line and " - " in line)
        # Every namespace made has listeners, so the names in the lines count the namespaces read.
        names_read = set()
        for line in whole.splitlines()[1:]:
            if " in netns " in line and " - " in line:
                names_read.add(line.split(" in netns ", 1)[1].split(" (", 1)[0])
        namespaces = len(names_read) + 1  # and the own one
        print("dist %s; %d CPUs; kernel %s; %d namespaces made (+ the own one and any others on the host)"
              % (os.path.abspath(args.dist), os.cpu_count(), os.uname().release, args.n))
        hello = statistics.median(w for w, _ in samples["hello"])
        idle = statistics.median(w for w, _ in samples["idle"])
        print("   %-10s %10s %8s %8s %10s %10s %5s" % ("case", "wall", "x hello", "x idle", "peak RSS", "stdout", "exit"))
        for name, _ in cases:
            wall = statistics.median(w for w, _ in samples[name])
            rss = statistics.median(r for _, r in samples[name]) / 1024
            out, rc = outputs[name]
            print("   %-10s %8.1f ms %8.2f %8.2f %6.1f MiB %8d B %5s" % (name, wall, wall / hello, wall / idle, rss,
                                                                      len(out.encode()), rc if name != "hello" else ""))
        all_one = statistics.median(w for w, _ in samples["all-one"])
        print("   namespaces read by --all-netns: %d; per namespace: %.2f ms" % (namespaces, (all_one - idle) / namespaces))
        print("   (all-whole judged %d sockets of other namespaces; its exit code is the worst of them)" % read)
    finally:
        for holder in holders:
            try:
                holder.stdin.close()
                holder.wait(timeout=10)
            except Exception:
                holder.kill()
        for name in made:
            subprocess.run(["ip", "netns", "delete", name])
        shutil.rmtree(tmp, ignore_errors=True)


def write_hello(tmp):
    source = os.path.join(tmp, "Hello.java")
    with open(source, "w") as f:
        f.write('public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
    return source


def start_holder(prefix, directory, name):
    holder = subprocess.Popen(prefix + [sys.executable, "-c", HOLDER, directory, name], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    if holder.stdout.readline().strip() != "ready":
        raise RuntimeError("holder %s did not start" % name)
    return holder


if __name__ == "__main__":
    main()
