"""What every rule sees: the document, its template match and helpers to make findings."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from checker.model.document import Document
from checker.model.records import record
from checker.packs import Pack, Rule, SectionSpec
from checker.result import Finding
from checker.template import TemplateMatch


# A year the text names: 2008年, 〔2002〕 (a document number), not part of a longer number.
_NAMED_YEAR = re.compile(r"(?<![\d.])(19[5-9]\d|20\d\d)(?=\s*年|[〕\]］])")
_CITED_TITLE = re.compile(r"《[^《》\n]{1,200}》")


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class Context:
    document: Document
    pack: Pack
    template: TemplateMatch
    # What several rules of one document ask for alike (a scope's folded text, …), built once.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def report_year(self) -> int | None:
        return self.document.outline.report_year

    def latest_named_year(self) -> int | None:
        """The latest year the body names (2008年, 〔2002〕), or None: where the report does not
        state its year, a text reviewing "2008年以来" and naming nothing later is of about then."""
        if "latest_named_year" not in self.memo:
            start, end = self.document.outline.body
            years = [int(m.group(1)) for m in _NAMED_YEAR.finditer(self.document.text, start, end)]
            self.memo["latest_named_year"] = max(years, default=None)
        return self.memo["latest_named_year"]

    def in_years(self, rule: Rule) -> bool:
        """Whether `rule` applies to this report's year (its ``from_year`` / ``until_year``)."""
        if rule.from_year is None and rule.until_year is None:
            return True
        year = self.report_year
        if year is None and rule.guess_year:
            year = self.latest_named_year()
            if year is None:  # a text naming no year at all is checked
                return True
        if year is None:
            return False
        return (rule.from_year is None or year >= rule.from_year) and (rule.until_year is None or year <= rule.until_year)

    def in_cited_title(self, start: int, end: int) -> bool:
        """Whether original span [start, end) lies inside the book-title marks of one line: 《…》."""
        titles = self.memo.get("cited_titles")
        if titles is None:
            titles = self.memo["cited_titles"] = [(m.start() + 1, m.end() - 1)
                                                   for m in _CITED_TITLE.finditer(self.document.text)]
        index = bisect_right(titles, (start, float("inf"))) - 1
        return index >= 0 and titles[index][0] <= start and end <= titles[index][1]

    def standard_heading(self, spec: SectionSpec) -> str:
        """The standard wording of a section, with the document's years filled in; without a
        known year, the wording without one (never 上一年度/下一年度, which a rule flags)."""
        year = self.report_year
        text = spec.standard
        if year is None:
            return text.replace("{year}年度", "").replace("{next_year}年度", "") \
                .replace("{year}", "").replace("{next_year}", "")
        return text.replace("{year}", str(year)).replace("{next_year}", str(year + 1))

    def scope_span(self, scope: str | None) -> tuple[int, int] | None:
        """Original-text span of a scope: None/'body' is the body; a section id its section."""
        if scope in (None, "body"):
            return self.document.outline.body
        return self.template.scopes.get(scope)

    def finding(self, rule: Rule, start: int | None = None, end: int | None = None, *,
                section: str | None = None, severity=None, replacement: str | None = None,
                message: str | None = None, **values: Any) -> Finding:
        """A finding of `rule` at original offsets [start, end); `message` replaces the rule's
        message template, `values` fill the placeholders."""
        document = self.document
        line = column = end_line = end_column = None
        if start is not None:
            end = start if end is None else end
            line, column = document.position(start)
            end_line, end_column = (line, column) if end == start else document.position(end)
            if section is None:
                section = self.template.section_at(start)
        placeholders = _Placeholders({k: ("" if v is None else v) for k, v in values.items()})
        placeholders.setdefault("year", self.report_year or "")
        return record(Finding, {  # every field: see checker/model/records.py
            "rule": rule.id,
            "severity": severity or rule.severity,
            "message": (rule.message if message is None else message).format_map(placeholders),
            "suggestion": rule.suggestion.format_map(placeholders) if rule.suggestion else None,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "start": start,
            "end": end,
            "section": section,
            "matched_text": document.text[start:end] if start is not None else None,
            "suppressed": None,
            "suppressed_by": None,
            "location": document.locations.get(line) if line is not None else None,
            "count": 1,
            "places": (),
            "replacement": replacement,
        })
