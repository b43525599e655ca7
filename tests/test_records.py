"""Headings, lines, years, checklist rows and findings built by checker.model.records.record are the dataclasses their
constructors would build: every field present, equal, hashable, replaceable, picklable."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from checker.engine import Engine
from checker.packs import load_pack
from checker.result import Finding

ROOT = Path(__file__).resolve().parent.parent


def _same_as_constructed(record) -> None:
    names = {field.name for field in dataclasses.fields(record)}
    assert set(vars(record)) == names  # every field given, nothing else
    rebuilt = type(record)(**{name: getattr(record, name) for name in names})
    assert rebuilt == record and hash(rebuilt) == hash(record) and repr(rebuilt) == repr(record)
    assert pickle.loads(pickle.dumps(record)) == record
    assert dataclasses.replace(record) == record


def test_headings_and_findings_of_real_reports_are_complete_records():
    engine = Engine(load_pack("national"))
    headings = findings = 0
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        _, document = engine.read(str(path))
        outline = document.outline
        for heading in outline.headings:
            _same_as_constructed(heading)
            headings += 1
        for line in [outline.title, *outline.closing, *outline.boilerplate, *outline.years]:
            if line is not None:
                _same_as_constructed(line)
        result = engine.check_document(document)
        for row in result.checklist:
            _same_as_constructed(row)
        for finding in result.findings:
            for each in finding.each():
                _same_as_constructed(each)
                findings += 1
    assert headings > 50 and findings > 20


def test_a_record_stays_frozen():
    engine = Engine(load_pack("national"))
    finding = engine.check_path(str(sorted((ROOT / "seeds").glob("*.txt"))[0])).findings[0]
    assert isinstance(finding, Finding)
    try:
        finding.rule = "other"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a finding could be changed")


def test_batch_summary_rows_are_complete_records():
    from checker.render.summary import BatchSummary, facts

    engine = Engine(load_pack("national"))
    summary = BatchSummary()
    for path in sorted((ROOT / "seeds").glob("*.txt"))[:5]:
        result = engine.check_path(str(path))
        made = facts(result)
        _same_as_constructed(made.row)
        row = summary.add_facts(made)
        _same_as_constructed(row)
        assert row.index == len(summary.rows) - 1 and dataclasses.replace(row, index=0) == made.row
        active = [f for f in result.findings if not f.suppressed]
        assert (row.errors, row.warnings, row.infos) == tuple(
            sum(f.severity.label == label for f in active) for label in ("error", "warning", "info"))
