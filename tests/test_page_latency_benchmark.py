"""A small run of benchmarks/page_latency.py: the large workspace at 1 % of its size, served by a
real `truenorth serve`, every main page asked for by 16 clients. It fails when the benchmark can
no longer run (as when `serve` began refusing the development key and the benchmark did not
give it one), not on any timing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_page_latency_benchmark_runs_on_a_small_workspace():
    command = [sys.executable, "benchmarks/page_latency.py", "--scale", "0.01"]
    command += ["--database", "sqlite", "--rounds", "1", "--workers", "2"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = {line.split("  ")[0] for line in run.stdout.splitlines()}
    assert {"password form (trivial)", "work items", "alignment dashboard"} <= rows
