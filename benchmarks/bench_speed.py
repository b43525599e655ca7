"""Speed targets of issue 12, measured in one run (CPU time, so other load on the machine does not
skew the figures; wall-clock parallel speed-up needs a quiet machine: see bench_batch.py).

    python benchmarks/bench_speed.py            # all four measurements
    python benchmarks/bench_speed.py --no-ocr   # skip OCR (needs the 'ocr' extra, ~10 s of CPU per page)
    python benchmarks/bench_speed.py --structure-only   # only 4., a few seconds

1. txt vs PDF: the 44 seed and corpus texts, and the same texts as PDFs (wrapped lines, running
   header, page numbers; tests/makedocs.py), checked with the full national pack; CPU ms per
   document and the ratio (target: PDF ≤ 5× txt), plus how many PDFs give the same sections and
   report year as their text (target ≥ 95%).
2. OCR: CPU seconds per page to read a scanned page (a dense A4 page of a seed rendered to an
   image-only PDF), and the share of its characters read right.
3. Two workers: CPU time per document in the main process and in the workers of a parallel
   `checker check` run over 400 text reports writing JSON and CSV. The main process's share
   bounds the speed-up: with 2 workers the run can be at most 2 / (1 + 2·main/worker) … faster.
4. Structure-only: documents per CPU-second with only the required-section and section-order
   rules (load → model → outline → template → rules → score), against textlint's 2,700–3,800
   docs/s (target: at least 2,700).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt"))
STRUCTURE_KINDS = ("required-section", "section-order")


def cpu_per_doc(engine, paths: list[str], rounds: int = 3) -> float:
    for path in paths:
        engine.check_path(path)  # warm: templates matched once, as in a batch
    start = time.process_time()
    for _ in range(rounds):
        for path in paths:
            engine.check_path(path)
    return (time.process_time() - start) / (rounds * len(paths))


def txt_vs_pdf(folder: Path) -> None:
    from checker.engine import Engine
    from checker.packs import load_pack
    from tests.makedocs import write_pdf

    engine = Engine(load_pack("national"))
    pdfs = [write_pdf(path.read_text(encoding="utf-8"), folder / f"{path.stem}.pdf") for path in SOURCES]
    txt_cost = cpu_per_doc(engine, [str(p) for p in SOURCES])
    pdf_cost = cpu_per_doc(engine, [str(p) for p in pdfs])
    same = 0
    for text, pdf in zip(SOURCES, pdfs):
        a, b = engine.check_path(str(text)), engine.check_path(str(pdf))
        same += ([s["id"] for s in a.sections], a.report_year) == ([s["id"] for s in b.sections], b.report_year)
    print(f"1. txt {txt_cost * 1000:.2f} ms/doc, PDF {pdf_cost * 1000:.2f} ms/doc (CPU, full pack): "
          f"PDF costs {pdf_cost / txt_cost:.1f}x txt (target <= 5x); "
          f"sections and year agree for {same}/{len(SOURCES)} ({100 * same / len(SOURCES):.0f}%, target >= 95%)")


def ocr_rate(folder: Path) -> None:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        print("2. OCR: not measured (pip install 'checker[ocr]')")
        return
    import pypdfium2 as pdfium

    from checker.load import load
    from tests.makedocs import write_pdf

    text = SOURCES[0].read_text(encoding="utf-8")
    text_pdf = write_pdf(text, folder / "dense.pdf", header=None, page_numbers=False)
    pdf = pdfium.PdfDocument(str(text_pdf))
    page = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()  # a dense A4 page
    truth = pdf[0].get_textpage().get_text_range().replace("\r\n", "")
    pdf.close()
    scan = folder / "scan.pdf"
    page.save(scan, "PDF", resolution=150)
    load(str(scan))  # warm: models loaded once per process
    start = time.process_time()
    wall = time.perf_counter()
    source = load(str(scan))
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    read = difflib.SequenceMatcher(None, truth, source.text.replace("\n", ""), autojunk=False).ratio()
    print(f"2. OCR: {cpu:.1f} CPU s per dense A4 page ({len(truth)} characters; wall {wall:.1f} s on this machine now), "
          f"{100 * read:.1f}% of characters read right; threads per process: "
          f"{os.environ.get('CHECKER_OCR_THREADS', '1')}")


def _tree_cpu(command: list[str]) -> tuple[float, float]:
    """CPU seconds of the main process and of all its descendants (workers, forkserver), each read
    from /proc (utime + stime of the process itself) every 20 ms until the main process exits."""
    from benchmarks.bench_batch import process_tree

    tick = os.sysconf("SC_CLK_TCK")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, float] = {}
    while True:
        pid, _, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        for member, fields in process_tree(process.pid).items():
            seen[member] = max(seen.get(member, 0.0), (int(fields[11]) + int(fields[12])) / tick)
        time.sleep(0.02)
    main = seen.get(process.pid, 0.0)
    return main, sum(seconds for member, seconds in seen.items() if member != process.pid)


def two_workers(folder: Path, count: int) -> None:
    from benchmarks.bench_batch import SMALL, build_batch

    runs = []
    for size in (SMALL, count):
        batch, out = folder / f"batch{size}", folder / f"out{size}"
        batch.mkdir()
        out.mkdir()
        build_batch(batch, size)
        command = [sys.executable, "-m", "checker", "check", str(batch), "--no-progress", "-j", "2",
                   "--fail-on", "never", "--format", f"json:{out / 'out.json'}", "--format", f"csv:{out / 'out.csv'}"]
        runs.append(_tree_cpu(command))
    (main_small, workers_small), (main_big, workers_big) = runs
    documents = count - SMALL
    main = (main_big - main_small) / documents  # start-up subtracted: T(N) - T(SMALL)
    workers = max(workers_big - workers_small, 1e-9) / documents
    # Two cores shared by the main process and two workers: when every part is CPU-bound the run is
    # at most (main + workers) / max(main, (main + workers) / 2) times faster than one process.
    ceiling = (main + workers) / max(main, (main + workers) / 2)
    print(f"3. two workers, {count} text reports, JSON+CSV, after start-up: main process {1000 * main:.2f} CPU ms/doc, "
          f"workers {1000 * workers:.2f} CPU ms/doc (main/workers {main / workers:.2f}; CPU-bound ceiling on 2 cores "
          f"{ceiling:.2f}x; the wall-clock speed-up needs a quiet machine: bench_batch.py)")


# textlint 15 with one JS rule doing the structure check, on the same 2,000-file batch (issue 12).
TEXTLINT_RATE = (2700, 3800)


def structure_only(rounds: int = 30) -> None:
    """Documents per CPU-second of the whole path (read file, model, outline, template, the rules,
    score and result) with only the structure rules; the mean over `rounds` passes over the 44
    texts, and the best pass (CPU time still grows when other jobs share the cores' caches)."""
    from checker.engine import Engine
    from checker.packs import load_pack

    pack = load_pack("national")
    structure = dataclasses.replace(pack, rules=[rule for rule in pack.rules if rule.kind in STRUCTURE_KINDS])
    engine = Engine(structure)
    paths = [str(p) for p in SOURCES]
    for path in paths:
        engine.check_path(path)  # warm: imports, templates matched once, as in a batch
    costs = []
    for _ in range(rounds):
        start = time.process_time()
        for path in paths:
            engine.check_path(path)
        costs.append((time.process_time() - start) / len(paths))
    mean, best = 1 / (sum(costs) / len(costs)), 1 / min(costs)
    verdict = "met" if mean >= TEXTLINT_RATE[0] else "NOT met"
    print(f"4. structure-only ({len(structure.rules)} rules: {', '.join(r.id for r in structure.rules)}): "
          f"{mean:.0f} docs per CPU-second in one process (best pass {best:.0f}); "
          f"textlint {TEXTLINT_RATE[0]:,}-{TEXTLINT_RATE[1]:,} docs/s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--batch", type=int, default=400, help="documents in the two-worker run (0: skip)")
    parser.add_argument("--structure-only", action="store_true", help="only measurement 4")
    args = parser.parse_args()
    if args.structure_only:
        structure_only()
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        txt_vs_pdf(folder)
        if not args.no_ocr:
            ocr_rate(folder)
        if args.batch:
            two_workers(folder, args.batch)
        structure_only()


if __name__ == "__main__":
    main()
