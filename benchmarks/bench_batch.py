"""Batch benchmark: documents per second and peak memory, serial and parallel.

Builds a batch of N plain-text reports in a temporary directory from the bundled seeds and the
labelled corpus (each copy gets a distinct closing line so no two files are identical), then runs
``checker check DIR`` as a subprocess, the way a reviewer does, writing JSON and CSV reports:

    python benchmarks/bench_batch.py                 # 2,000 documents, serial and all cores
    python benchmarks/bench_batch.py --docs 10000 --jobs 1 2

Reported per run: wall time, documents per second after start-up ((N − 20) / (T(N) − T(20)), where
T(20) is the same command on 20 documents), per core, the speed-up over the first run, and peak
resident memory of the main process (getrusage) and of the whole process tree with its workers
(sampled from /proc every 50 ms). Then the engine alone in one process, and the time of
``checker --version``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = 20  # the start-up run: T(N) − T(SMALL) is the time for N − SMALL documents
SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))


def build_batch(folder: Path, count: int) -> None:
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    for index in range(count):
        text = texts[index % len(texts)]
        sub = folder / f"d{index // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"r{index:05d}.txt").write_text(f"{text}\n（第 {index} 份）\n", encoding="utf-8")


def process_tree(root: int) -> dict[int, list[str]]:
    """The fields of /proc/PID/stat after the command name (state, ppid, …; utime is [11], stime
    [12], rss [21]) for a process and all its descendants (Linux); empty elsewhere."""
    parents: dict[int, int] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        stats[int(entry)] = fields
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return {pid: stats[pid] for pid in tree if pid in stats}


def tree_rss(root: int) -> float:
    """Resident memory (MB) of a process and all its descendants, from /proc (Linux); 0 elsewhere."""
    return sum(int(fields[21]) for fields in process_tree(root).values()) * os.sysconf("SC_PAGE_SIZE") / 1e6


def run(args: list[str]) -> tuple[float, float, float, int, float]:
    """Wall seconds, peak RSS (MB) of the main process, peak RSS of the whole process tree, exit code,
    CPU seconds of the main process (user + system; the workers' are not included)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = 0.0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_tree = max(peak_tree, tree_rss(proc.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, peak_tree, proc.returncode, usage.ru_utime + usage.ru_stime


def in_process_rate(count: int) -> tuple[float, float]:
    """Documents per second of the engine alone, in this process, after start-up (the dictionaries
    loaded and one document checked, as a batch worker is before its first document): template
    matches remembered across documents (as in a batch) and forgotten before every document (no
    heading repeats)."""
    from checker.engine import Engine
    from checker.packs import load_pack

    engine = Engine(load_pack("national"))
    paths = [str(p) for p in SOURCES]
    engine.warm()
    engine.check_path(paths[0])
    rates = []
    for forget in (False, True):
        start = time.process_time()  # CPU time: not skewed by other load on the machine
        for index in range(count):
            if forget:
                engine.matcher.aliases._memo.clear()
            engine.check_path(paths[index % len(paths)])
        rates.append(count / (time.process_time() - start))
    return rates[0], rates[1]


def check_command(target: str, out: Path, jobs: int) -> list[str]:
    # --no-details: a batch of SMALL documents would otherwise print each document's findings
    # (the default up to 20), start-up time that the big batch does not have (~0.17 CPU-s, which
    # overstated the rate by about 3%)
    return [sys.executable, "-m", "checker", "check", target, "--no-progress", "--no-details", "-j", str(jobs),
            "--fail-on", "never", "--format", f"json:{out / 'out.json'}", "--format", f"csv:{out / 'out.csv'}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    args = parser.parse_args()

    version = min(run([sys.executable, "-m", "checker", "--version"])[0] for _ in range(5))
    print(f"checker --version: {version * 1000:.0f} ms (best of 5)")
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "batch", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        build_batch(folder, args.docs)
        small = Path(tmp) / "small"
        small.mkdir()
        build_batch(small, SMALL)
        baseline = None
        print(f"{args.docs} documents ({len(SOURCES)} distinct texts, "
              f"{sum(p.stat().st_size for p in folder.rglob('*.txt')) / 1e6:.1f} MB)")
        print(f"{'jobs':>4} {'wall s':>7} {'start s':>7} {'docs/s':>7} {'per core':>8} {'speed-up':>8} "
              f"{'main MB':>7} {'all MB':>7}")
        for jobs in args.jobs:
            starts = [run(check_command(str(small), out, jobs)) for _ in range(3)]
            startup, startup_cpu = min(r[0] for r in starts), min(r[4] for r in starts)
            elapsed, peak, tree, code, cpu = run(check_command(str(folder), out, jobs))
            if code not in (0, 1):
                raise SystemExit(f"checker exited with {code}")
            rate = (args.docs - SMALL) / max(elapsed - startup, 1e-9)
            baseline = baseline or rate
            print(f"{jobs:>4} {elapsed:>7.2f} {startup:>7.2f} {rate:>7.0f} {rate / jobs:>8.0f} "
                  f"{rate / baseline:>7.2f}x {peak:>7.0f} {tree:>7.0f}")
            if jobs == 1:
                print(f"     serial: {(args.docs - SMALL) / max(cpu - startup_cpu, 1e-9):.0f} documents per CPU-second "
                      f"(unaffected by other load on the machine)")
    remembered, forgotten = in_process_rate(min(args.docs, 1000))
    print(f"engine alone, one process, per CPU-second: {remembered:.0f} docs (headings repeat across the batch), "
          f"{forgotten:.0f} docs (no heading ever repeats)")
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark driver itself: {self_peak:.0f} MB)")


if __name__ == "__main__":
    main()
