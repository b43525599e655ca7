"""Benchmark: a rule pack on the seed reports, milliseconds per document after start-up.

    python benchmarks/bench_rules.py [--pack national] [--repeat 20] [paths…]

Start-up (imports, pack loading, first run) is timed separately and excluded from the per-document
figures. Two figures are printed: the full path (read file, build the document model, match the
template, run every rule) and the rules alone (on documents built once), plus the slowest rules.
Target (issue 3): the full national pack under 20 ms per document.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="documents (default: seeds/*.txt)")
    parser.add_argument("--pack", default="national")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    from checker.context import Context
    from checker.engine import Engine
    from checker.load import load
    from checker.model.document import build_document
    from checker.packs import load_pack

    pack = load_pack(args.pack)
    engine = Engine(pack)
    paths = [Path(p) for p in args.paths] or sorted((ROOT / "seeds").glob("*.txt"))
    for path in paths:  # warm-up: caches, lazy imports
        engine.check_path(str(path))
    startup = time.perf_counter() - started

    full: list[float] = []
    for _ in range(args.repeat):
        begin = time.perf_counter()
        for path in paths:
            engine.check_path(str(path))
        full.append((time.perf_counter() - begin) * 1000 / len(paths))

    documents = [build_document(load(str(path))) for path in paths]
    rules_only: list[float] = []
    per_rule: dict[str, float] = {rule.id: 0.0 for rule in pack.rules}
    for _ in range(args.repeat):
        begin = time.perf_counter()
        for document in documents:
            engine.check_document(document)
        rules_only.append((time.perf_counter() - begin) * 1000 / len(documents))
        for document in documents:
            ctx = Context(document=document, pack=pack, template=engine.matcher.match(document))
            for rule, kind in engine.rules:
                tick = time.perf_counter()
                list(kind.check(ctx, rule))
                per_rule[rule.id] += time.perf_counter() - tick

    runs = args.repeat * len(documents)
    print(f"pack {pack.name}: {len(pack.rules)} rules, {len(paths)} documents, {args.repeat} rounds")
    print(f"start-up (imports, pack load, first pass): {startup * 1000:.0f} ms")
    print(f"full check per document:   median {statistics.median(full):.2f} ms  (min {min(full):.2f})")
    print(f"template+rules (built docs): median {statistics.median(rules_only):.2f} ms  (min {min(rules_only):.2f})")
    print("slowest rules (ms per document):")
    for rule_id, total in sorted(per_rule.items(), key=lambda item: -item[1])[:8]:
        print(f"  {total * 1000 / runs:7.3f}  {rule_id}")
    target = 20.0
    verdict = "OK" if statistics.median(full) < target else "OVER"
    print(f"target < {target:g} ms/document: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
