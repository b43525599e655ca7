"""Grades a reviewer would give: the grade table of the seeds, the corpus openings, a few variants
and the unfilled `checker template` skeleton in every pack, with each grade's explanation.

    python benchmarks/eval_grades.py [--pack national] [--corpus] [--json]

Expected by a reviewer (and asserted in tests/test_grading.py): seed 002 优秀; seed 000 (no
first-responsible part) 需修改; seed 002 without its shortcomings part 需修改; the unfilled skeleton
需修改 in every pack. The corpus files are report *openings* (cut after ~2,000 bytes), so they miss
parts and grade 需修改; `--corpus` lists them anyway. Also prints, per rule of the structure and
numbering families, how many findings the set gets (standard-heading, numbering). A measurement,
not a test: the exit code is always 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.engine import Engine  # noqa: E402
from checker.load import Source  # noqa: E402
from checker.model.document import build_document  # noqa: E402
from checker.packs import load_pack  # noqa: E402
from checker.skeleton import build  # noqa: E402

PACKS = ("township", "county", "department", "national")
COUNTED = ("standard-heading", "numbering")


def _variants(seed_text: str) -> dict[str, str]:
    start = seed_text.index("二、2022年度推进法治政府建设存在的不足和原因")
    return {"002 without shortcomings": seed_text[:start] + seed_text[seed_text.index("三、党政主要负责人", start):]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack", default="national")
    parser.add_argument("--corpus", action="store_true", help="also list the corpus openings")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    engine = Engine(load_pack(args.pack))
    rows = []
    counts: Counter[str] = Counter()

    def add(name: str, result) -> None:
        for finding in result.findings:
            if finding.rule in COUNTED and not finding.suppressed:
                counts[finding.rule] += 1
        rows.append({"document": name, "score": result.score, "grade": result.grade, "reason": result.grade_reason})

    for path in sorted((ROOT / "seeds").glob("*.txt")):
        add(path.name[:3], engine.check_path(str(path)))
    seed_002 = next((ROOT / "seeds").glob("002_*.txt")).read_text(encoding="utf-8")
    for name, text in _variants(seed_002).items():
        add(name, engine.check_document(build_document(Source(path=name, text=text, format="text"))))
    if args.corpus:
        for path in sorted((ROOT / "tests" / "data" / "corpus").glob("*.txt")):
            add(f"corpus/{path.name}", engine.check_path(str(path)))
    with tempfile.TemporaryDirectory() as tmp:
        for pack_name in PACKS:
            pack_engine = Engine(load_pack(pack_name))
            skeleton = build(pack_engine.pack, 2024, "城关镇人民政府")
            path = Path(tmp) / f"{pack_name}.txt"
            path.write_text(skeleton.text(), encoding="utf-8")
            rows.append({"document": f"skeleton ({pack_name})", **_graded(pack_engine.check_path(str(path)))})
    if args.json:
        print(json.dumps({"rows": rows, "findings": dict(counts)}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        print(f"{row['document']:<28} {row['grade'] or '—':<4} {row['score']!s:>5}  {row['reason'] or ''}")
    print("findings:", ", ".join(f"{rule} {counts[rule]}" for rule in COUNTED))


def _graded(result) -> dict:
    return {"score": result.score, "grade": result.grade, "reason": result.grade_reason}


if __name__ == "__main__":
    main()
