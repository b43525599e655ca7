"""Measure proofreading: recall on labelled defects, recall on injected errors, false alarms.

    python benchmarks/eval_proofreading.py [--verbose] [--json] [--variants 20] [--pack national]
    python benchmarks/eval_proofreading.py --write-clean     # rewrite tests/data/proofreading/clean/

Runs the engine in-process on three sets (data: tests/data/proofreading/, see its README):

(a) the original seeds and corpus openings -> recall on the labelled defects, per class. A defect
    is caught when a finding lies on the defect's line and its span overlaps the quote (document-level
    findings without a position never count). For the proofreading classes (typo, phrase, usage,
    noise, repeat, punctuation) only findings of proofreading rule kinds count; for structure and
    year defects any rule's finding counts. The headline figure is recall on *mechanical*
    proofreading defects; the others are listed per class.
(b) copies of the clean text with errors injected by benchmarks/inject_errors.py (fixed seed) ->
    recall on injected errors, per class, same matching.
(c) the clean text (corrected copies) -> false alarms per 10,000 characters: findings of
    proofreading rule kinds, except those on a labelled defect left in the text (one without a text
    correction). The corpus openings are the first ~2,000 bytes of a report: the sentence cut off
    at the end is not clean text (neither its characters nor findings in it count). A grouped
    finding counts once. Findings of other kinds on clean text are listed separately (not counted).

Proofreading rule kinds: typo, usage, noise, repeat, punctuation, lexicon, pattern (and phrase,
fixed-phrase if a pack defines them). It is a measurement, not a test: the exit code is always 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import proofdata  # noqa: E402
from proofdata import (CLASSES, PROOFREADING_CLASSES, Defect, accepted_spans, clean_documents,  # noqa: E402
                       line_starts, load_defects, read_text, spans)

PROOFREADING_KINDS = frozenset({"typo", "usage", "noise", "repeat", "punctuation", "lexicon", "pattern",
                                "phrase", "fixed-phrase"})


@dataclass(frozen=True)
class Target:
    """Something the checker should find: a labelled defect or an injected error."""

    file: str
    line: int
    spans: tuple[tuple[int, int], ...]  # offsets into the checked text
    cls: str
    text: str
    detail: str
    kind: str = ""  # injected errors: how it was made (pinyin, shape, drop …)


@dataclass
class Tally:
    found: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)
    missed: list[Target] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)  # (class, kind, caught) for injected errors

    def add(self, target: Target, caught: bool) -> None:
        self.total[target.cls] += 1
        if target.kind:
            self.kinds[target.cls, target.kind, caught] += 1
        if caught:
            self.found[target.cls] += 1
        else:
            self.missed.append(target)

    def recall(self, classes: tuple[str, ...] = PROOFREADING_CLASSES) -> tuple[int, int]:
        return sum(self.found[c] for c in classes), sum(self.total[c] for c in classes)


class Checker:
    """The engine with a pack, and the kind of each of its rules."""

    def __init__(self, pack_name: str = "national") -> None:
        from checker.engine import Engine
        from checker.packs import load_pack

        pack = load_pack(pack_name)
        self.engine = Engine(pack)
        self.kind_of = {rule.id: rule.kind for rule in pack.rules}

    def findings(self, name: str, text: str) -> list:
        from checker.load import Source
        from checker.model.document import build_document

        document = build_document(Source(path=name, text=text))
        return self.engine.check_document(document).findings

    def proofreading(self, finding) -> bool:
        return self.kind_of.get(finding.rule, "") in PROOFREADING_KINDS


def finding_spans(finding, starts: list[int]) -> list[tuple[int, int]]:
    """Offsets of every place of a finding (a grouped finding has several); [] for a document-level one."""
    places = getattr(finding, "places", ()) or (finding,)
    return [span for span in (finding_span(place, starts) for place in places) if span is not None]


def finding_span(finding, starts: list[int]) -> tuple[int, int] | None:
    """Offsets of a finding (or of one place of it), or None for a document-level one."""
    if finding.start is not None:
        end = finding.end if finding.end is not None else finding.start + max(1, len(finding.matched_text or ""))
        return finding.start, max(end, finding.start + 1)
    if finding.line is not None and finding.column is not None and finding.line <= len(starts):
        start = starts[finding.line - 1] + finding.column - 1
        if finding.end_line is not None and finding.end_column is not None and finding.end_line <= len(starts):
            end = starts[finding.end_line - 1] + finding.end_column - 1
        else:
            end = start + max(1, len(finding.matched_text or ""))
        return start, max(end, start + 1)
    return None


def catches(finding_spans: list[tuple[int, int]], target: Target) -> bool:
    return any(fs < te and ts < fe for fs, fe in finding_spans for ts, te in target.spans)


def located(findings: list, starts: list[int], checker: Checker, proofreading_only: bool) -> list[tuple[int, int]]:
    result = []
    for finding in findings:
        if finding.suppressed or (proofreading_only and not checker.proofreading(finding)):
            continue
        result.extend(finding_spans(finding, starts))
    return result


def score_targets(checker: Checker, name: str, text: str, targets: list[Target], tally: Tally) -> None:
    starts = line_starts(text)
    findings = checker.findings(name, text)
    proof = located(findings, starts, checker, True)
    anything = located(findings, starts, checker, False)
    for target in targets:
        tally.add(target, catches(proof if target.cls in PROOFREADING_CLASSES else anything, target))


def labelled(checker: Checker, which: str, max_documents: int | None = None) -> tuple[Tally, Tally]:
    """(mechanical, not mechanical) tallies over the original documents of one set."""
    mechanical, other = Tally(), Tally()
    for name, defects in list(proofdata.by_file(load_defects(which)).items())[:max_documents]:
        text = read_text(proofdata.SOURCES[which] / name)
        starts = line_starts(text)
        findings = checker.findings(name, text)
        proof = located(findings, starts, checker, True)
        anything = located(findings, starts, checker, False)
        for defect in defects:
            target = _target(f"{which}/{name}", defect, text, starts)
            caught = catches(proof if defect.cls in PROOFREADING_CLASSES else anything, target)
            (mechanical if defect.mechanical else other).add(target, caught)
    return mechanical, other


def _target(name: str, defect: Defect, text: str, starts: list[int]) -> Target:
    detail = defect.defect + (f" → {defect.correction}" if defect.correction else "")
    return Target(name, defect.line, tuple(accepted_spans(defect, text, starts)), defect.cls, defect.quote, detail)


def injected(checker: Checker, variants: int, max_documents: int | None = None, seed: str | None = None) -> Tally:
    import inject_errors

    tally = Tally()
    for copy in inject_errors.injected_copies(variants=variants, seed=seed or inject_errors.SEED,
                                              documents=clean_documents()[:max_documents]):
        targets = [Target(f"{copy.name}", e.line, ((e.start, e.end),) + ((e.also,) if e.also else ()), e.cls, e.injected,
                          f"{e.kind}: {e.original} → {e.injected}", "usage" if e.cls == "usage" else e.kind)
                   for e in copy.errors]
        score_targets(checker, copy.name, copy.text, targets, tally)
    return tally


@dataclass
class FalseAlarm:
    file: str
    line: int | None
    rule: str
    text: str
    message: str


def false_alarms(checker: Checker, max_documents: int | None = None) -> tuple[int, list[FalseAlarm], list[FalseAlarm]]:
    """(characters of clean text, proofreading false alarms, other findings on clean text).

    A grouped finding (one rule, the same text in several places) counts once, as a reviewer sees it."""
    characters, alarms, others = 0, [], []
    for document in clean_documents()[:max_documents]:
        text = read_text(document.path)
        starts = line_starts(text)
        cut_from = document.cut_from if document.cut_from is not None else len(text)
        characters += cut_from
        known = [span for defect in document.remaining for span in spans(defect, text, starts)]
        for finding in checker.findings(document.file, text):
            if finding.suppressed:
                continue
            places = finding_spans(finding, starts)
            if places and all(any(fs < e and s < fe for s, e in known) for fs, fe in places):
                continue  # a labelled defect that has no text correction
            if places and all(fs >= cut_from for fs, _ in places):
                continue  # in the sentence where a corpus opening was cut off
            span = places[0] if places else None
            alarm = FalseAlarm(f"{document.set}/{document.file}", finding.line, finding.rule,
                               finding.matched_text or (text[span[0]:span[1]] if span else ""), finding.message)
            (alarms if checker.proofreading(finding) else others).append(alarm)
    return characters, alarms, others


def _ratio(found: int, total: int) -> str:
    return f"{found / total:.2f} ({found}/{total})" if total else "— (0/0)"


def _class_row(tally: Tally) -> dict[str, list[int]]:
    return {c: [tally.found[c], tally.total[c]] for c in CLASSES if tally.total[c]}


def run(variants: int = 20, pack: str = "national", sets: tuple[str, ...] = ("seeds", "corpus"),
        max_documents: int | None = None, seed: str | None = None) -> dict:
    """All figures as a dict; `max_documents` limits every set to its first documents (for tests)."""
    started = time.process_time()
    checker = Checker(pack)
    report: dict = {"pack": pack, "labelled": {}, "proofreading_kinds": sorted(PROOFREADING_KINDS)}
    missed: list[Target] = []
    for which in sets:
        mechanical, other = labelled(checker, which, max_documents)
        found, total = mechanical.recall()
        report["labelled"][which] = {"recall": found / total if total else None, "found": found, "total": total,
                                     "mechanical_by_class": _class_row(mechanical),
                                     "not_mechanical_by_class": _class_row(other)}
        missed += [t for t in mechanical.missed if t.cls in PROOFREADING_CLASSES]
    tally = injected(checker, variants, max_documents, seed) if variants else Tally()
    found, total = tally.recall(CLASSES)
    by_kind: dict[str, list[int]] = {}
    for (cls, kind, caught), count in sorted(tally.kinds.items()):
        row = by_kind.setdefault(f"{cls}/{kind}", [0, 0])
        row[0] += count if caught else 0
        row[1] += count
    report["injected"] = {"variants": variants, "recall": found / total if total else None, "found": found,
                          "total": total, "by_class": _class_row(tally), "by_kind": by_kind}
    characters, alarms, others = false_alarms(checker, max_documents)
    report["clean"] = {"characters": characters, "false_alarms": len(alarms),
                       "per_10k": 10000 * len(alarms) / characters if characters else None,
                       "by_rule": dict(Counter(a.rule for a in alarms).most_common()),
                       "other_findings_by_rule": dict(Counter(a.rule for a in others).most_common())}
    report["cpu_seconds"] = round(time.process_time() - started, 2)
    report["_missed_labelled"] = missed
    report["_missed_injected"] = tally.missed
    report["_alarms"] = alarms
    report["_others"] = others
    return report


def print_report(report: dict, verbose: bool) -> None:
    print(f"proofreading evaluation, pack {report['pack']} (CPU {report['cpu_seconds']} s)")
    print(f"{'measure':<44} {'figure':>18}   target")
    for which, row in report["labelled"].items():
        print(f"{'recall, labelled mechanical defects, ' + which:<44} {_ratio(row['found'], row['total']):>18}   ≥ 0.70")
    inj = report["injected"]
    print(f"{'recall, injected errors (' + str(inj['variants']) + ' copies/doc)':<44} "
          f"{_ratio(inj['found'], inj['total']):>18}   ≥ 0.70")
    clean = report["clean"]
    per_10k = f"{clean['per_10k']:.2f} ({clean['false_alarms']}/{clean['characters']:,} chars)"
    print(f"{'false alarms per 10,000 chars, clean text':<44} {per_10k:>18}   ≤ 1")
    print()
    print("per class (found/total):")
    header = f"  {'class':<12}" + "".join(f"{h:>16}" for h in ("seeds", "corpus", "injected"))
    print(header)
    for cls in CLASSES:
        cells = []
        for which in ("seeds", "corpus"):
            row = report["labelled"].get(which, {}).get("mechanical_by_class", {}).get(cls)
            cells.append(f"{row[0]}/{row[1]}" if row else "")
        row = inj["by_class"].get(cls)
        cells.append(f"{row[0]}/{row[1]}" if row else "")
        if any(cells):
            print(f"  {cls:<12}" + "".join(f"{c:>16}" for c in cells))
    not_mech = Counter()
    for which, row in report["labelled"].items():
        for cls, (_, total) in row["not_mechanical_by_class"].items():
            not_mech[cls] += total
    if not_mech:
        print("  not mechanical (not in the recall):", ", ".join(f"{c} {n}" for c, n in not_mech.items()))
    if clean["by_rule"]:
        print("false alarms by rule:", ", ".join(f"{r} {n}" for r, n in clean["by_rule"].items()))
    if clean["other_findings_by_rule"]:
        print("other findings on clean text (not counted):",
              ", ".join(f"{r} {n}" for r, n in clean["other_findings_by_rule"].items()))
    if not verbose:
        return
    if inj["by_kind"]:
        print("\ninjected errors by kind (found/total):")
        for kind, (found, total) in inj["by_kind"].items():
            print(f"  {kind:<34} {found}/{total}")
    print("\nmissed labelled defects (mechanical, proofreading classes):")
    for t in report["_missed_labelled"]:
        print(f"  {t.file}:{t.line} [{t.cls}] {t.text!r} — {t.detail}")
    print("\nmissed injected errors:")
    for t in report["_missed_injected"]:
        print(f"  {t.file}:{t.line} [{t.cls}] {t.text!r} — {t.detail}")
    print("\nfalse alarms on clean text:")
    for a in report["_alarms"]:
        print(f"  {a.file}:{a.line} [{a.rule}] {a.text!r} — {a.message}")
    if report["_others"]:
        print("\nother findings on clean text (not counted):")
        for a in report["_others"]:
            print(f"  {a.file}:{a.line} [{a.rule}] {a.text!r} — {a.message}")


def to_json(report: dict) -> str:
    data = {k: v for k, v in report.items() if not k.startswith("_")}
    data["missed_labelled"] = [t.__dict__ | {"spans": list(t.spans)} for t in report["_missed_labelled"]]
    data["missed_injected"] = [t.__dict__ | {"spans": list(t.spans)} for t in report["_missed_injected"]]
    data["false_alarm_list"] = [a.__dict__ for a in report["_alarms"]]
    data["other_findings_on_clean"] = [a.__dict__ for a in report["_others"]]
    return json.dumps(data, ensure_ascii=False, indent=2)


def write_clean() -> None:
    copies = proofdata.expected_clean_copies()
    for path, text in copies.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for which in ("seeds", "corpus"):
        folder = proofdata.CLEAN / which
        for stale in folder.glob("*.txt") if folder.exists() else []:
            if stale not in copies:
                stale.unlink()
    print(f"wrote {len(copies)} corrected copies under {proofdata.CLEAN}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--variants", type=int, default=20, help="injected copies per clean document (default 20)")
    parser.add_argument("--pack", default="national")
    parser.add_argument("--seed", help="another seed for the injected copies (a check that rules were not "
                                       "tuned to the default copies)")
    parser.add_argument("--write-clean", action="store_true", help="rewrite the corrected copies and exit")
    args = parser.parse_args(argv)
    if args.write_clean:
        write_clean()
        return 0
    report = run(variants=args.variants, pack=args.pack, seed=args.seed)
    if args.json:
        print(to_json(report))
    else:
        print_report(report, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
