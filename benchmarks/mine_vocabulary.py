"""Words the typo rule does not know, attested in several independent documents.

A typo is an accident: the same slip seldom recurs, letter for letter, in reports of different
issuers. A stretch the typo rule flags in two or more of them is far likelier a word of the genre
the dictionary lacks (医共体, 建强, 纠治, 正风肃纪: coinages of recent years). This script runs the
typo rule over a corpus of real government texts and prints, for each stretch flagged in at least
``--min-documents`` documents, the longest string around it (3–4 characters) that recurs as often,
as candidates for ``rules/data/words.yaml``. Read the list before adding it: a misspelling that
many writers share (布署, 按装) recurs too, and belongs in the lexicon's variants instead.

    python benchmarks/mine_vocabulary.py DIR [DIR ...] [--min-documents 2]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def flagged(paths: list[Path]) -> dict[str, dict[str, set[str]]]:
    """Written stretch -> {'docs': documents it was flagged in, 'contexts': 3–4 character strings
    around it, per document}."""
    from checker.engine import Engine
    from checker.load import Source
    from checker.model.document import build_document
    from checker.packs import load_pack

    engine = Engine(load_pack("national"))
    found: dict[str, dict[str, set[str]]] = collections.defaultdict(lambda: {"docs": set(), "contexts": set()})
    for path in paths:
        document = build_document(Source(path=str(path), text=path.read_text(encoding="utf-8")))
        text = document.text
        for finding in engine.check_document(document).findings:
            if finding.rule != "typo" or finding.start is None:
                continue
            span = text[finding.start:finding.end]
            entry = found[span]
            entry["docs"].add(path.name)
            run = next((m for m in _HAN_RUN.finditer(text) if m.start() <= finding.start and finding.end <= m.end()), None)
            if run is None:
                continue
            for a in range(max(run.start(), finding.end - 4), finding.start + 1):
                for b in range(max(finding.end, a + 3), min(run.end(), a + 4) + 1):
                    entry["contexts"].add(f"{path.name}\t{text[a:b]}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--min-documents", type=int, default=2)
    args = parser.parse_args()
    paths = sorted(p for d in args.dirs for p in d.glob("*.txt"))
    found = flagged(paths)
    for span, entry in sorted(found.items(), key=lambda item: -len(item[1]["docs"])):
        if len(entry["docs"]) < args.min_documents:
            continue
        by_string: dict[str, set[str]] = collections.defaultdict(set)
        for item in entry["contexts"]:
            name, string = item.split("\t")
            by_string[string].add(name)
        recurring = [s for s, docs in by_string.items() if len(docs) >= args.min_documents]
        best = max(recurring, key=lambda s: (len(by_string[s]), len(s)), default=span)
        print(f"{best}\t{span}\t{len(entry['docs'])} documents")


if __name__ == "__main__":
    main()
