"""Batch comparisons at scale: checking N reports alone vs with ``--previous`` (N of last year's)
and ``--compare`` (shared passages), and with ``--expect`` (a list of N units).

Builds two batches from the seeds and the corpus in a temporary directory. Every copy is made a
distinct report (a unit name of its own in the title and the closing block, and in each sentence
one character changed at random, fixed seed), so sentences do not all collide the way identical
copies would; last year's batch is built the same way with the years moved back. Then runs
``checker check`` as a reviewer does (JSON and CSV outputs) and reports wall time, CPU seconds
(main process from getrusage, workers sampled from /proc: not skewed by other load on the
machine) and peak memory of the main process. Several sizes show whether memory stays flat
(each size is built and run in turn):

    python benchmarks/bench_compare.py --docs 2000 5000 10000 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_batch, run as a script
SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
CJK = re.compile(r"[\u4e00-\u9fff]")
POOL = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"


def build(folder: Path, count: int, year_shift: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    units = []
    for index in range(count):
        unit = f"第{index:05d}号镇"
        units.append(unit + "人民政府")
        text = re.sub(r"20[12]\d", lambda m: str(int(m.group()) + year_shift), texts[index % len(texts)])
        lines = []
        for number, line in enumerate(text.split("\n")):
            if number == 0:
                line = f"{unit}人民政府{2023 + year_shift}年度法治政府建设情况报告"
            elif len(line) > 20:
                pieces = re.split(r"(。)", line)
                for k, piece in enumerate(pieces):
                    spots = [m.start() for m in CJK.finditer(piece)]
                    if len(spots) > 8:
                        at = rng.choice(spots)
                        pieces[k] = piece[:at] + rng.choice(POOL) + piece[at + 1:]
                line = "".join(pieces)
            lines.append(line)
        lines += ["", f"{unit}人民政府", f"{2024 + year_shift}年3月1日"]
        sub = folder / f"d{index // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"r{index:05d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return units


def run(args: list[str]) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds of the main process, CPU seconds of the main process and all its
    descendants (workers, forkserver) together, each read from /proc (utime + stime) every 50 ms,
    and peak RSS MB of the main process (getrusage)."""
    from bench_batch import process_tree

    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[int, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        for member, fields in process_tree(proc.pid).items():
            seen[member] = max(seen.get(member, 0.0), (int(fields[11]) + int(fields[12])) / tick)
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"checker exited with {code}: {proc.stderr.read().decode()[-500:]}")
    main_cpu = usage.ru_utime + usage.ru_stime
    others = sum(seconds for member, seconds in seen.items() if member != proc.pid)
    return elapsed, main_cpu, main_cpu + others, usage.ru_maxrss / 1024


def measure(docs: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        current, previous, out = Path(tmp) / "2024", Path(tmp) / "2023", Path(tmp) / "out"
        out.mkdir()
        units = build(current, docs, 0, 1)
        build(previous, docs, -1, 2)
        units_file = Path(tmp) / "units.csv"
        units_file.write_text("单位\n" + "\n".join(units + ["未报告的某某乡人民政府"]) + "\n", encoding="utf-8")
        base = [sys.executable, "-m", "checker", "check", str(current), "--no-progress", "-j", str(jobs),
                "--fail-on", "never", "--format", f"json:{out / 'out.json'}", "--format", f"csv:{out / 'out.csv'}"]
        runs = [("check alone", []),
                ("--compare (shared passages)", ["--compare"]),
                ("--previous + --compare", ["--previous", str(previous)]),
                ("--previous + --expect + --compare", ["--previous", str(previous), "--expect", str(units_file)])]
        print(f"{docs} reports this year, {docs} last year, --jobs {jobs}")
        print(f"{'run':<36} {'wall s':>7} {'× alone':>8} {'CPU s':>7} {'× alone':>8} {'main CPU s':>10} "
              f"{'main MB':>8}")
        alone = alone_cpu = None
        for name, extra in runs:
            elapsed, cpu, total, peak = run(base + extra)
            alone, alone_cpu = alone or elapsed, alone_cpu or total
            print(f"{name:<36} {elapsed:>7.1f} {elapsed / alone:>7.2f}x {total:>7.1f} {total / alone_cpu:>7.2f}x "
                  f"{cpu:>10.1f} {peak:>8.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, nargs="+", default=[2000], help="batch sizes (each run in turn)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    for docs in args.docs:
        measure(docs, args.jobs)
    print("CPU s: the checker process and its workers together (wall time depends on other load)")


if __name__ == "__main__":
    main()
