"""JSON output (schema_version 1): the machine-readable result of a run.

``{"schema_version": 1, "generator": "checker VERSION", "pack": {"name", "title"}, "documents": [...]}``
"""

from __future__ import annotations

import json

from checker import __version__
from checker.fingerprint import fingerprints
from checker.render import GENERATOR, BaseReport, Rendered, RenderOptions
from checker.result import DocumentResult, Finding

SCHEMA_VERSION = 1


def finding_dict(finding: Finding, fingerprint: str | None = None) -> dict:
    """The finding as JSON, with its ``fingerprint`` last where given."""
    found = {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "section": finding.section,
        "suggestion": finding.suggestion,
        "matched_text": finding.matched_text,
        "suppressed": finding.suppressed,
        "suppressed_by": finding.suppressed_by,
        "location": finding.location,
        "count": finding.count,
        # every place of a grouped finding (the first is the finding's own); one place otherwise;
        # each with its own message where the finding quotes each place's context
        "occurrences": [{"line": p.line, "column": p.column, "end_line": p.end_line, "end_column": p.end_column,
                         "location": p.location, "message": p.message or finding.message}
                        for p in finding.places] if finding.places else
                       [{"line": finding.line, "column": finding.column, "end_line": finding.end_line,
                         "end_column": finding.end_column, "location": finding.location, "message": finding.message}],
    }
    if fingerprint is not None:
        found["fingerprint"] = fingerprint
    return found


def document_dict(result: DocumentResult) -> dict:
    return {
        "path": result.path,
        "is_report": result.is_report,
        "not_report_reason": result.not_report_reason,
        "title": result.title,
        "report_year": result.report_year,
        "score": result.score,
        "grade": result.grade,
        "grade_reason": result.grade_reason,
        "grade_caps": result.grade_caps,
        "sections": result.sections,
        "checklist": [
            {"id": row.id, "name": row.name, "required": row.required, "status": row.status,
             "heading": row.heading, "line": row.line, "similarity": row.similarity}
            for row in result.checklist
        ],
        # Findings already in a --baseline are not listed, only counted.
        "findings": [finding_dict(f, fp)
                     for f, fp in zip(result.findings, fingerprints(result.findings)) if f.suppressed_by != "baseline"],
        "baseline_suppressed": sum(1 for f in result.findings if f.suppressed_by == "baseline"),
        "published": result.published,
        "signed_date": result.signed_date,
        "issuer": result.issuer,
        "publisher": result.publisher,
        "error": result.error,
        "ocr_pages": result.ocr_pages,  # scanned pages read by OCR (not proofread for typos)
    }


class Report(BaseReport):
    """Writes ``{"schema_version": 1, "documents": [...], "skipped": [{"path", "reason"}]}``, one
    document at a time."""

    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.count = 0
        pack = options.pack
        head = {"schema_version": SCHEMA_VERSION, "generator": f"{GENERATOR} {__version__}",
                "pack": {"name": pack.name, "title": pack.title} if pack is not None else None}
        self.out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "documents": [')

    @classmethod
    def piece(cls, result: DocumentResult, options: RenderOptions) -> str:
        # no circular check: a document's dict is a tree (the check costs ~8% of the encoding)
        return json.dumps(document_dict(result), ensure_ascii=False, check_circular=False)

    def add(self, result: DocumentResult | Rendered) -> None:
        text = result.pieces["json"] if isinstance(result, Rendered) else self.piece(result, self.options)
        self.out.write(("," if self.count else "") + "\n  " + text)
        self.count += 1

    def close(self) -> None:
        # Files found but not checked (temp, hidden, links out of the directory), so every input
        # is accounted for: documents + skipped = found.
        tail: dict = {"skipped": [{"path": path, "reason": reason}
                                  for path, reason in self.options.extras.get("skipped") or []]}
        comparison = self.options.extras.get("comparison")
        if comparison is not None and comparison.expect:
            tail["missing_units"] = comparison.missing_units
        self.out.write("\n], " + json.dumps(tail, ensure_ascii=False)[1:-1])
        if comparison is not None:  # written piece by piece (its pairings are read back one at a time)
            self.out.write(', "comparison": ')
            for piece in comparison.json_pieces():
                self.out.write(piece)
        self.out.write("}\n")
