"""benchlib.py - what the Python benchmarks here share: one timed run, and medians over rounds.

Imported by owners.py and cgroups.py (a script's own directory is on its import path).
"""
import statistics
import subprocess
import time


def timed(command):
    """(wall ms, peak RSS MiB, stdout) of one run of command under /usr/bin/time."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=60)
    return (time.perf_counter() - started) * 1000, int(result.stderr.strip().splitlines()[-1]) / 1024, result.stdout


def measure(cases, runs, warmup):
    """Each (name, command) of cases run WARMUP + RUNS times, round-robin so that drift in machine load
    hits all alike: ({name: (median wall ms, median RSS MiB)}, {name: the first 110 characters of its
    last output})."""
    samples = {name: [] for name, _ in cases}
    out = {}
    for round_ in range(warmup + runs):
        for name, command in cases:
            wall, rss, stdout = timed(command)
            if round_ >= warmup:
                samples[name].append((wall, rss))
                out[name] = stdout.splitlines()[0][:110]
    return {name: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v))
            for name, v in samples.items()}, out
