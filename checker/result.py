"""Results: findings, per-document results, score and grade. Plain data, no behaviour of note."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def chinese(self) -> str:
        return {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls[value.upper()]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    suggestion: str | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    start: int | None = None  # offsets into the document text
    end: int | None = None
    section: str | None = None  # template section id the finding lies in or is about
    matched_text: str | None = None
    suppressed: str | None = None  # reason, where an in-document directive suppressed it
    suppressed_by: str | None = None  # "document" (a directive) or "baseline"
    location: str | None = None  # the place in the original file, from its format: "第3页", "第12段"

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.rule)


@dataclass(frozen=True)
class SectionStatus:
    """One row of the template checklist."""

    id: str
    name: str
    required: bool
    status: str  # present | substance | missing
    heading: str | None = None
    line: int | None = None
    similarity: float | None = None


_SURROGATE = re.compile("[\ud800-\udfff]")


def display_text(text: str) -> str:
    """`text` with surrogate escapes undone: a GBK/GB18030 file name (from a zip made on Chinese
    Windows) reads as Chinese again; anything else undecodable becomes U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    raw = text.encode("utf-8", "surrogateescape") if all(
        "\udc80" <= ch <= "\udcff" for ch in _SURROGATE.findall(text)) else None
    if raw is not None:
        for codec in ("utf-8", "gb18030"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                pass
    return _SURROGATE.sub("\ufffd", text)


@dataclass
class DocumentResult:
    path: str
    title: str | None = None
    report_year: int | None = None
    score: float | None = None
    grade: str | None = None
    sections: list[dict] = field(default_factory=list)  # template sections standing as top-level headings
    checklist: list[SectionStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    error: str | None = None
    format: str | None = None
    text: str | None = None  # kept only when a renderer needs the text (html)

    def __post_init__(self) -> None:
        # Every report format must be able to write what a result holds, so path and error are
        # always valid Unicode (a file name that is not UTF-8 arrives surrogate-escaped).
        self.path = display_text(self.path)
        if self.error is not None:
            self.error = display_text(self.error)

    def worst(self) -> Severity | None:
        active = [f.severity for f in self.findings if not f.suppressed]
        return max(active) if active else None
