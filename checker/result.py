"""Results: findings, per-document results, score and grade. Plain data, no behaviour of note."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return _SEVERITY_LABEL[self]  # (a tuple indexed by the value: read for every finding of every report)

    @property
    def chinese(self) -> str:
        return _SEVERITY_CHINESE[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        return cls[value.upper()]


# indexed by the value (1 info, 2 warning, 3 error)
_SEVERITY_LABEL = ("", "info", "warning", "error")
_SEVERITY_CHINESE = ("", "提示", "警告", "错误")


@dataclass(frozen=True)
class Place:
    """One place of a grouped finding (the same wrong text found again elsewhere)."""

    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    start: int | None
    end: int | None
    location: str | None = None
    # the message at this place where it is not the finding's own (a grouped finding that quotes
    # each place's context: 「精神。  一是」 here, 「和 “12·4”」 there); None: the finding's message
    message: str | None = None


# Lines named in a grouped finding's note before "等" (the JSON/SARIF outputs list every place).
PLACES_SHOWN = 10


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
    # A grouped finding stands for `count` hits of one rule on the same wrong text; `places` holds
    # every one of them in document order (the first is the finding's own line/column). Empty when
    # count == 1. Scoring counts a grouped finding once; graders may weigh `count`.
    count: int = 1
    places: tuple[Place, ...] = ()
    # What to write instead of the span, where that is mechanical (None: a person must decide);
    # `checker fix` applies it at every place of the finding.
    replacement: str | None = None

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line or 0, self.column or 0, self.rule)

    @property
    def place(self) -> Place:
        return Place(self.line, self.column, self.end_line, self.end_column, self.start, self.end, self.location)

    def each(self) -> Iterator["Finding"]:
        """The finding once per place (itself when not grouped): fixes and per-line checks use this."""
        if not self.places:
            yield self
            return
        for p in self.places:
            yield replace(self, line=p.line, column=p.column, end_line=p.end_line, end_column=p.end_column,
                          start=p.start, end=p.end, location=p.location, count=1, places=(),
                          message=p.message or self.message)

    @property
    def where(self) -> str:
        """The place as a person finds it in the original file: a Word draft's paragraph or table
        cell ('第12段', '表1第3行第2列'), else the line (with the page of a PDF): '第12行（第3页）'."""
        location = self.location or ""
        if location.endswith("段") or location.startswith("表"):
            return location
        if self.line is None:
            return "全文"
        return f"第{self.line}行" + (f"（{location}）" if location else "")

    @property
    def places_note(self) -> str:
        """'（共3处：第3、17、42行）' for a grouped finding, '' otherwise."""
        if self.count <= 1:
            return ""
        lines = list(dict.fromkeys(p.line for p in self.places if p.line is not None))
        if not lines:
            return f"（共{self.count}处）"
        shown = "、".join(str(n) for n in lines[:PLACES_SHOWN]) + ("等" if len(lines) > PLACES_SHOWN else "")
        return f"（共{self.count}处：第{shown}行）"

    @property
    def full_message(self) -> str:
        """The message as every report shows it: with the count and places of a grouped finding."""
        return self.message + self.places_note


def _group_key(finding: Finding) -> tuple | None:
    if finding.start is None or not (finding.matched_text or "").strip():
        return None
    return (finding.rule, finding.matched_text, finding.message, finding.suggestion, finding.severity,
            finding.suppressed, finding.suppressed_by, finding.replacement)


def group_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings of one rule on the same wrong text (same message, same suggestion) in one document
    become one finding with `count` and `places`, standing where the first one stands. Findings
    without a span or matched text stay as they are. Order is kept (by each group's first place)."""
    out: list[Finding | list[Finding]] = []
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        key = _group_key(finding)
        if key is None:
            out.append(finding)
            continue
        members = groups.get(key)
        if members is None:
            groups[key] = members = [finding]  # a grouped finding is taken apart below, if need be
            out.append(members)
        else:
            if len(members) == 1 and members[0].places:
                members[:] = members[0].each()
            members.extend(finding.each())
    merged: list[Finding] = []
    for item in out:
        if type(item) is not list:
            merged.append(item)
        elif len(item) > 1:
            first = item[0].message
            merged.append(replace(item[0], count=len(item), places=tuple(
                replace(f.place, message=None if f.message == first else f.message) for f in item)))
        elif item[0].places:
            merged.append(_regrouped(item[0]))
        else:
            merged.append(item[0])
    return merged


def _regrouped(finding: Finding) -> Finding:
    """A grouped finding alone in its group, as taking it apart into its places (`Finding.each`)
    and grouping these again makes it (standing at its first place, one count per place), built
    directly: two objects per place fewer."""
    first, places = finding.places[0], finding.places
    message = first.message or finding.message
    at_first = {"line": first.line, "column": first.column, "end_line": first.end_line,
                "end_column": first.end_column, "start": first.start, "end": first.end, "location": first.location}
    if len(places) == 1:  # one place: a plain finding there
        return replace(finding, **at_first, message=message, count=1, places=())
    again = []
    for place in places:
        said = place.message or finding.message
        kept = None if said == message else said  # each place's own message, where not the first's
        again.append(place if kept == place.message else replace(place, message=kept))
    return replace(finding, **at_first, message=message, count=len(places), places=tuple(again))


def _spanned(finding: Finding, rank: Mapping[str, int]) -> bool:
    return (finding.rule in rank and finding.start is not None and finding.end is not None
            and finding.end > finding.start and not finding.places)


def one_finding_per_problem(findings: list[Finding], rank: Mapping[str, int],
                            withdrawn: Iterable[Finding] = (),
                            stands: Callable[[Finding], bool] | None = None) -> list[Finding]:
    """One finding where two rules say the same span is worded wrong (a reviewer reads one problem).

    Findings of the rules in ``rank`` (rule id -> how specific its kind is; see
    ``checker.kinds.WORDING``) whose spans lie one inside the other (or are the same span) and that
    come from different rules: the one of the higher rank stays, then the more severe, then the
    shorter span (the more precise place), then the rule id; the other goes. So ``法制宣传教育``
    found by a fixed phrase's near miss and ``法制宣传`` by the outdated-wording pattern is one
    finding, the pattern's.

    ``withdrawn`` are findings a rule made but does not report here (its ``from_year`` is after the
    report's year, the span is inside a cited title 《…》): a finding of another rule whose span
    holds a withdrawn one's span goes with it: the rule that knows that wording let it stand —
    unless ``stands`` says that finding is about something else (a cited title misquoted as a
    whole, 《法制政府建设实施纲要》: the title is wrong, not the wording of its time).
    Other findings keep their order."""
    gone: set[int] = set()
    withdrawn = sorted((f for f in withdrawn if _spanned(f, rank)), key=lambda f: (f.start, f.end))
    starts = [f.start for f in withdrawn]
    candidates = []
    for index, finding in enumerate(findings):
        if not _spanned(finding, rank):
            continue
        at = bisect_left(starts, finding.start)
        while at < len(withdrawn) and withdrawn[at].start < finding.end:
            held = withdrawn[at]
            if held.end <= finding.end and held.rule != finding.rule and not (stands and stands(finding)):
                gone.add(index)
                break
            at += 1
        else:
            candidates.append(index)
    # clusters of overlapping spans, then within each the most specific finding first
    candidates.sort(key=lambda i: (findings[i].start, -findings[i].end))
    cluster: list[int] = []
    reach = -1
    for index in candidates + [None]:
        if index is not None and findings[index].start < reach:
            cluster.append(index)
            reach = max(reach, findings[index].end)
            continue
        if len(cluster) > 1:
            gone |= _doubles(findings, cluster, rank)
        if index is not None:
            cluster, reach = [index], findings[index].end
    return [f for i, f in enumerate(findings) if i not in gone]


def _doubles(findings: list[Finding], cluster: list[int], rank: Mapping[str, int]) -> set[int]:
    """The findings of one cluster of overlapping spans that lie inside (or around) a more
    specific finding of another rule that stays."""
    def priority(i: int) -> tuple:
        f = findings[i]
        return (-rank[f.rule], -f.severity, f.end - f.start, f.rule, f.start, f.end, f.message)

    kept: list[Finding] = []
    gone: set[int] = set()
    for index in sorted(cluster, key=priority):
        f = findings[index]
        if any(k.rule != f.rule and ((k.start <= f.start and f.end <= k.end) or (f.start <= k.start and k.end <= f.end))
               for k in kept):
            gone.add(index)
        else:
            kept.append(f)
    return gone


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
    grade_reason: str | None = None  # why this grade (为什么是这个等级), in Chinese
    grade_caps: list[str] = field(default_factory=list)  # reasons of the grade ceilings that applied
    sections: list[dict] = field(default_factory=list)  # template sections standing as top-level headings
    checklist: list[SectionStatus] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rules_run: list[str] = field(default_factory=list)
    error: str | None = None
    format: str | None = None
    text: str | None = None  # kept only when a renderer needs the text (html)
    # False when the page is not a 法治政府建设年度报告 (rule kind not-report): then title, year and
    # sections are empty, score and grade None, and batch summaries list it apart.
    is_report: bool = True
    not_report_reason: str | None = None
    # Read from the page (checker.model.dates): the earliest credible publication date with its
    # source, the signing date and the issuer of the closing block (落款).
    published: dict | None = None  # {"date": "2024-03-20", "written", "label", "source", "line"}
    signed_date: str | None = None  # ISO date of the closing block
    issuer: str | None = None  # issuer lines of the closing block, joined by "、"
    publisher: str | None = None  # the publishing body named in the page header (发布机构 / 来源)
    ocr_pages: list[int] = field(default_factory=list)  # scanned pages read by OCR

    def ocr_note(self) -> str | None:
        """The sentence telling the reader which pages were read by OCR (and so not proofread)."""
        if not self.ocr_pages:
            return None
        return f"第{page_list(self.ocr_pages)}页为扫描件，经文字识别读取，未做错别字检查"

    def __post_init__(self) -> None:
        # Every report format must be able to write what a result holds, so path and error are
        # always valid Unicode (a file name that is not UTF-8 arrives surrogate-escaped).
        self.path = display_text(self.path)
        if self.error is not None:
            self.error = display_text(self.error)

    def worst(self) -> Severity | None:
        active = [f.severity for f in self.findings if not f.suppressed]
        return max(active) if active else None


def page_list(pages: list[int]) -> str:
    """1, 2, 3, 5 -> "1-3、5"."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return "、".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
