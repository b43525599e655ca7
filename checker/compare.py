"""The reviewer's comparisons across reports: who has not reported, what was copied from last year,
what was copied from each other.

A stage between the checks and the outputs of ``checker check``: it reads each result (with its
text), keeps a compact profile of it (issuer, the keys of its sentences, the items of its
shortcomings and next-year parts; never the whole text), and when the batch is done adds its
findings and hands the results on. Comparisons are never all-pairs: sentences are indexed by the
hash of their normalised text (punctuation and spaces dropped, every number read as 0, so
changed years and figures still match), and only reports that share an index entry are compared;
items are verified with rapidfuzz.

Findings (warning unless said):

* ``shared-passage`` — a passage of at least ``shared_min_chars`` characters (consecutive
  sentences) that occurs, nearly word for word, in a report of another unit; the finding names
  the other reports and their lines. Boilerplate is not a finding: a sentence found in reports of
  at least ``boilerplate_share`` of the batch's units (and at least ``boilerplate_min_reports``),
  or one that contains a phrase of the pack's ``boilerplate`` list.
* ``previous-shortcomings`` — with ``--previous``: the shortcomings part repeats last year's (at
  least ``repeat_share`` of this year's problems found, nearly in the same words, in last year's);
  both are quoted with their similarity.
* ``previous-plan`` (info) — last year's next-year plan items, each marked as reported on in this
  year's measures or not (by the share of the item's content words found there).
* ``previous-copy`` (error) — the report is last year's with the years changed (at least
  ``copy_share`` of its sentences are last year's).

With ``--expect UNITS`` each report is matched to a unit of the list (``checker.units``); the
summary lists units with no report, units with two or more, and reports that match no unit.
Reports that are not annual reports (``is_report`` false) take part in none of this.
Thresholds live in the pack's ``settings.comparison``.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from checker.result import DocumentResult, Finding, Severity
from checker.units import (Unit, UnitMatcher, issuer_candidates, issuers_from_closing, local_key,
                           unit_key)

DEFAULTS = {
    "shared_min_chars": 100,
    "sentence_min_chars": 16,
    "boilerplate_share": 0.2,
    "boilerplate_min_reports": 3,
    "boilerplate": [],
    "item_similarity": 80.0,
    "repeat_share": 0.6,
    "copy_share": 0.8,
    "plan_covered_share": 0.5,
}

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_DROP = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")
_DIGITS = re.compile(r"[0-9０-９]+|[〇零一二三四五六七八九十百千万两]+(?=[年月日项次件个家人场期名余])")
_ITEM_MARK = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．]"
                        r"|[一二三四五六七八九十]是)")
_ENUM = re.compile(r"(?:^|[。；;])\s*(?=[一二三四五六七八九十]是)")


def normalise(text: str) -> str:
    """What copying keeps: characters and words, with every number read as 0."""
    return _DIGITS.sub("0", _DROP.sub("", text))


class Sentences:
    """A report's indexed sentences, kept compact (arrays, not objects: 10,000 reports of 100
    sentences each stay in tens of megabytes): the key of each, its line, offsets and length."""

    __slots__ = ("keys", "lines", "starts", "ends", "lengths")

    def __init__(self) -> None:
        self.keys, self.lines = array("q"), array("i")
        self.starts, self.ends, self.lengths = array("i"), array("i"), array("i")

    def add(self, key: int, line: int, start: int, end: int, length: int) -> None:
        self.keys.append(key)
        self.lines.append(line)
        self.starts.append(start)
        self.ends.append(end)
        self.lengths.append(length)

    def __len__(self) -> int:
        return len(self.keys)


@dataclass
class Profile:
    """What the comparisons keep of one report."""

    index: int
    path: str
    candidates: list[str]
    year: int | None
    sentences: Sentences
    shortcomings: list[tuple[str, int]]  # (item text, line)
    plan: list[str]  # next-year items
    measures: str = ""  # normalised measures text (current reports only, dropped after use)
    unit: Unit | None = None

    @property
    def unit_name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return self.candidates[0] if self.candidates else self.path


def _section_ranges(result: DocumentResult, lines: list[str]) -> dict[str, tuple[int, int]]:
    """Template section id → (first body line, last line) from the result's top-level sections."""
    starts = sorted((s["line"], s["id"]) for s in result.sections if s.get("line"))
    ranges = {}
    for i, (line, section) in enumerate(starts):
        end = starts[i + 1][0] - 1 if i + 1 < len(starts) else len(lines)
        ranges[section] = (line + 1, end)
    return ranges


def _items(lines: list[str], first: int, last: int) -> list[tuple[str, int]]:
    """The items of a part: numbered paragraphs, 一是/二是 clauses, or sentences; with their lines."""
    items: list[tuple[str, int]] = []
    for number in range(first, last + 1):
        text = lines[number - 1].strip() if number - 1 < len(lines) else ""
        if not text:
            continue
        pieces = [p for p in _ENUM.split(text) if p.strip()] if _ENUM.search(text) else [text]
        for piece in pieces:
            for sentence in _SENTENCE.findall(piece) if len(piece) > 120 else [piece]:
                if len(normalise(sentence)) >= 8:
                    items.append((_ITEM_MARK.sub("", sentence).strip(), number))
    return items


def profile(index: int, result: DocumentResult, settings: dict, keep_measures: bool,
            boilerplate: tuple[str, ...] = ()) -> Profile:
    """The profile of a checked report (its result must carry its text). Sentences holding one of
    the ``boilerplate`` phrases (normalised) are left out of the sentence keys."""
    text = result.text or ""
    lines = text.split("\n")
    sentences = Sentences()
    minimum = settings["sentence_min_chars"]
    offset = 0
    for number, line in enumerate(lines, 1):
        for match in _SENTENCE.finditer(line):
            core = normalise(match.group())
            if len(core) >= minimum and not any(phrase in core for phrase in boilerplate):
                sentences.add(hash(core), number, offset + match.start(), offset + match.end(), len(core))
        offset += len(line) + 1
    ranges = _section_ranges(result, lines)
    shortcomings = _items(lines, *ranges["shortcomings"]) if "shortcomings" in ranges else []
    plan = [item for item, _ in _items(lines, *ranges["next-year"]) if not _signing(item)] \
        if "next-year" in ranges else []
    measures = ""
    if keep_measures and "measures" in ranges:
        first, last = ranges["measures"]
        measures = normalise("".join(lines[first - 1:last]))
    candidates = issuer_candidates(result.title, text, result.path, getattr(result, "issuer", None))
    return Profile(index, result.path, candidates, result.report_year, sentences, shortcomings, plan, measures)


_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*$")


def _signing(item: str) -> bool:
    """A line of the closing block (issuer or date), not a plan item."""
    return bool(_DATE.match(item) or issuers_from_closing([item]))


def _grams(text: str) -> set[str]:
    core = normalise(text)
    return {core[i:i + 2] for i in range(len(core) - 1)}


@dataclass
class PlanItem:
    text: str
    reported: bool


@dataclass
class Pairing:
    path: str
    previous: str
    plan: list[PlanItem] = field(default_factory=list)


@dataclass
class Summary:
    """What the outputs show about the batch as a whole."""

    units_expected: int = 0
    missing_units: list[str] = field(default_factory=list)
    repeated_units: dict[str, list[str]] = field(default_factory=dict)
    unmatched_reports: list[str] = field(default_factory=list)
    pairings: list[Pairing] = field(default_factory=list)
    previous_reports: int = 0
    shared_passages: int = 0
    expect: bool = False
    previous: bool = False

    def as_json(self) -> dict:
        data: dict = {}
        if self.expect:
            data.update(units_expected=self.units_expected, missing_units=self.missing_units,
                        repeated_units=self.repeated_units, unmatched_reports=self.unmatched_reports)
        if self.previous:
            data["previous_reports"] = self.previous_reports
            data["pairings"] = [{"path": p.path, "previous": p.previous,
                                 "plan": [{"item": i.text, "reported": i.reported} for i in p.plan]}
                                for p in self.pairings]
        data["shared_passages"] = self.shared_passages
        return data


@dataclass
class Table:
    """One table of the comparison summary, as every output shows it."""

    title: str
    header: list[str]
    rows: list[list[str]]


def summary_tables(summary: Summary, plan_items: bool = True) -> list[Table]:
    """The comparison summary as tables (``plan_items``: also one row per plan item)."""
    tables: list[Table] = []
    if summary.expect:
        tables.append(Table(f"未报告的单位（名单共 {summary.units_expected} 个，未报告 {len(summary.missing_units)} 个）",
                            ["单位"], [[name] for name in summary.missing_units]))
        if summary.repeated_units:
            tables.append(Table("报告两份及以上的单位", ["单位", "报告"],
                                [[name, "\n".join(paths)] for name, paths in summary.repeated_units.items()]))
        if summary.unmatched_reports:
            tables.append(Table("对不上名单的报告", ["报告"], [[path] for path in summary.unmatched_reports]))
    if summary.previous:
        rows = []
        for pairing in summary.pairings:
            done = sum(1 for item in pairing.plan if item.reported)
            rows.append([pairing.path, pairing.previous, str(len(pairing.plan)), str(done), str(len(pairing.plan) - done)])
        tables.append(Table(f"与上一年度报告的对比（上一年度 {summary.previous_reports} 份，配对 {len(rows)} 份）",
                            ["报告", "上一年度报告", "去年的安排", "今年写到", "未见"], rows))
        if plan_items:
            tables.append(Table("上一年度安排的落实情况", ["报告", "去年的安排", "今年的主要举措中"],
                                [[pairing.path, item.text, "已写到" if item.reported else "未见"]
                                 for pairing in summary.pairings for item in pairing.plan]))
    return tables


def _is_report(result: DocumentResult) -> bool:
    return result.error is None and getattr(result, "is_report", True) is not False


def _unit_keys(candidates: list[str]) -> frozenset[str]:
    """What `checker.units.same_unit` compares of a report's issuer candidates."""
    return frozenset(local_key(unit_key(candidate)) for candidate in candidates[:2])


class _Unpickler(pickle.Unpickler):
    """Reads back only what `_Spill` writes: results, findings, profiles and arrays. Any other
    class is refused, so even a tampered spill file cannot run code (pickle is never given data
    from outside this process)."""

    ALLOWED = {"checker.result", "checker.compare", "checker.units"}

    def find_class(self, module: str, name: str):
        if module in self.ALLOWED or (module, name) in (("array", "array"), ("array", "_array_reconstructor")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a comparison spill")


class _Spill:
    """Objects pickled one after another into an anonymous temporary file (gone when closed or when
    the process ends), read back in order or one at a time by offset: what the comparisons must keep
    until the batch is done waits on disk, not in memory."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="checker-compare-")
        self.count = 0

    def write(self, value: object) -> int:
        """Append `value`; its offset, for `read`."""
        offset = self.file.seek(0, os.SEEK_END)
        pickle.dump(value, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1
        return offset

    def read(self, offset: int) -> object:
        self.file.seek(offset)
        return _Unpickler(self.file).load()

    def __iter__(self) -> Iterator:
        self.file.seek(0)
        for _ in range(self.count):
            yield _Unpickler(self.file).load()  # (one per record: each was pickled with a memo of its own)

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class _Past:
    """What stays in memory of one of last year's reports (enough to pair it); the rest of its
    profile is read back from the spill file when a report is compared with it."""

    path: str
    year: int | None
    keys: frozenset[str]  # the unit keys of its first two issuer candidates (what pairs reports)
    offset: int


class Comparison:
    """The comparison stage of one ``checker check`` run.

    Memory stays flat however large the batch: each result waits in a temporary file (pickled,
    with the findings of the comparison with last year's report already made) until the batch is
    done, and so do last year's profiles; in memory stay only the sentence keys and lines of each
    report (12 bytes a sentence, for the shared-passage index) and a few names per report."""

    def __init__(self, settings: dict | None = None, units: list[Unit] | None = None,
                 shared: bool = True, keep_text: bool = False) -> None:
        self.settings = {**DEFAULTS, **(settings or {})}
        self.units = units
        self.matcher = UnitMatcher(units) if units else None
        self.shared = shared
        self.keep_text = keep_text  # an output needs each result's text (html)
        self.previous: list[_Past] = []
        self._previous_spill: _Spill | None = None
        self.previous_documents: list[str] = []  # files of last year's reports, checked before the batch
        self.summary = Summary(expect=units is not None)
        self._boilerplate = tuple(normalise(p) for p in self.settings["boilerplate"] if normalise(p))

    def close(self) -> None:
        if self._previous_spill is not None:
            self._previous_spill.close()
            self._previous_spill = None

    # -- last year's reports --------------------------------------------------------------

    def add_previous(self, results: Iterable[DocumentResult]) -> None:
        """Index last year's reports (each result with its text)."""
        self.summary.previous = True
        if self._previous_spill is None:
            self._previous_spill = _Spill()
        for result in results:
            if _is_report(result):
                past = profile(len(self.previous), result, self.settings, False, self._boilerplate)
                keys_only = Sentences()
                keys_only.keys = past.sentences.keys  # all last year's sentences are compared by: their keys
                past.sentences = keys_only
                offset = self._previous_spill.write(past)
                self.previous.append(_Past(past.path, past.year, _unit_keys(past.candidates), offset))
        self.summary.previous_reports = len(self.previous)
        self._previous_by_key: dict[str, list[_Past]] = defaultdict(list)
        self._previous_by_unit: dict[int, list[_Past]] | None = None  # id of a Unit → its reports; made when first needed
        for past in self.previous:
            for key in past.keys:
                self._previous_by_key[key].append(past)

    def _previous_of_unit(self, unit: Unit) -> list[_Past]:
        """Last year's reports the unit list matches to `unit` (matched once, when first asked)."""
        assert self.matcher is not None and self._previous_spill is not None
        if self._previous_by_unit is None:
            self._previous_by_unit = defaultdict(list)
            for past in self.previous:
                matched = self.matcher.match(self._previous_spill.read(past.offset).candidates)
                if matched is not None:
                    self._previous_by_unit[id(matched)].append(past)
        return self._previous_by_unit.get(id(unit), [])

    def _previous_of(self, current: Profile) -> Profile | None:
        if not self.previous:
            return None
        found: list[_Past] = []
        names = [current.unit.name] if current.unit is not None else []
        for candidate in names + current.candidates[:2]:
            found.extend(self._previous_by_key.get(local_key(unit_key(candidate)), []))
        if not found and current.unit is not None and self.matcher is not None:
            found = self._previous_of_unit(current.unit)
        found = [p for p in found if p.path != current.path and (current.year is None or p.year is None
                                                                  or p.year < current.year)]
        if not found:
            return None
        mine = _unit_keys(current.candidates)
        best = max(found, key=lambda p: (p.year or 0, bool(p.keys & mine)))  # (as `same_unit`)
        assert self._previous_spill is not None
        return self._previous_spill.read(best.offset)  # type: ignore[return-value]

    def _compare_previous(self, current: Profile, past: Profile) -> list[Finding]:
        settings = self.settings
        findings: list[Finding] = []
        mine = set(current.sentences.keys)
        theirs = set(past.sentences.keys)
        if mine and len(mine & theirs) / len(mine) >= settings["copy_share"]:
            share = round(100 * len(mine & theirs) / len(mine))
            findings.append(Finding(
                rule="previous-copy", severity=Severity.ERROR,
                message=f"本报告与上一年度的报告（{past.path}）基本相同：{share}% 的句子只改了年份或数字",
                suggestion="按本年度实际工作重新撰写，不能沿用上一年度报告"))
        repeated = []
        for item, line in current.shortcomings:
            best = max(((fuzz.ratio(normalise(item), normalise(old)), old) for old, _ in past.shortcomings),
                       default=(0.0, ""))
            if best[0] >= settings["item_similarity"]:
                repeated.append((item, line, best))
        if current.shortcomings and len(repeated) / len(current.shortcomings) >= settings["repeat_share"]:
            item, line, (similarity, old) = max(repeated, key=lambda r: r[2][0])
            findings.append(Finding(
                rule="previous-shortcomings", severity=Severity.WARNING, line=line,
                message=(f"存在的不足与上一年度报告基本相同：{len(repeated)}/{len(current.shortcomings)} 条问题"
                         f"与去年的写法几乎一样（如今年“{_clip(item)}”与去年“{_clip(old)}”，相似度 {similarity:.0f}%）"),
                suggestion="写出本年度新发现的问题及原因；去年的问题已整改的写明整改情况，仍存在的说明为什么没有解决",
                section="shortcomings", matched_text=None))
        if past.plan:
            items = [PlanItem(item, self._covered(item, current.measures)) for item in past.plan]
            self.summary.pairings.append(Pairing(current.path, past.path, items))
            missing = [i.text for i in items if not i.reported]
            findings.append(Finding(
                rule="previous-plan", severity=Severity.INFO,
                message=(f"上一年度报告（{past.path}）的下一年度安排共 {len(items)} 项，今年的主要举措中写到 "
                         f"{len(items) - len(missing)} 项，未见 {len(missing)} 项"),
                suggestion=("未见的安排：" + "；".join(_clip(m, 30) for m in missing[:5])
                            + ("等" if len(missing) > 5 else "")) if missing else None,
                section="measures"))
        else:
            self.summary.pairings.append(Pairing(current.path, past.path))
        return findings

    def _covered(self, item: str, measures: str) -> bool:
        grams = _grams(item)
        if not grams or not measures:
            return False
        hits = sum(1 for gram in grams if gram in measures)
        return hits / len(grams) >= self.settings["plan_covered_share"]

    # -- the batch ------------------------------------------------------------------------

    def run(self, results: Iterable[DocumentResult], progress=None, stop=None) -> Iterator[DocumentResult]:
        """Take every result, then give them back in the same order with the comparisons' findings.
        ``progress()`` is called for each result taken; taking stops early when ``stop()`` is true."""
        spill = _Spill()
        index = _SentenceIndex()
        reports: list[tuple[str, str | None, str]] = []  # (path, unit name, unit for shared passages) per report
        report_of: list[int | None] = []  # per result: its number among the reports (None: not a report)
        try:
            for result in results:
                if progress is not None:
                    progress()
                extra: list[Finding] = []
                sentences = None
                if _is_report(result):
                    current = profile(len(reports), result, self.settings, bool(self.previous), self._boilerplate)
                    if self.matcher is not None:
                        current.unit = self.matcher.match(current.candidates)
                    past = self._previous_of(current)
                    if past is not None:
                        extra.extend(self._compare_previous(current, past))
                    report_of.append(len(reports))
                    unit = (current.unit.name if current.unit is not None else
                            local_key(unit_key(current.candidates[0])) if current.candidates else current.path)
                    reports.append((current.path, current.unit.name if current.unit is not None else None, unit))
                    index.add(current.sentences)
                    sentences = current.sentences
                else:
                    report_of.append(None)
                spill.write((result if self.keep_text else replace(result, text=None), extra, sentences))
                if stop is not None and stop():
                    break
            if self.matcher is not None:
                self._account_units(reports)
            shared_keys = self._shared_keys(index, reports) if self.shared else {}
            for number, (result, extra, sentences) in zip(report_of, spill):
                if number is not None and shared_keys:
                    extra = extra + list(self._shared_passages(number, sentences, shared_keys, index, reports))
                if extra:
                    result = replace(result, findings=sorted(result.findings + extra, key=Finding.sort_key))
                yield result
        finally:
            spill.close()
            self.close()

    def _account_units(self, reports: list[tuple[str, str | None, str]]) -> None:
        assert self.units is not None
        by_unit: dict[str, list[str]] = defaultdict(list)
        for path, unit, _ in reports:
            if unit is None:
                self.summary.unmatched_reports.append(path)
            else:
                by_unit[unit].append(path)
        self.summary.units_expected = len(self.units)
        self.summary.missing_units = [u.name for u in self.units if u.name not in by_unit]
        self.summary.repeated_units = {name: paths for name, paths in by_unit.items() if len(paths) > 1}

    def _shared_keys(self, index: _SentenceIndex, reports: list[tuple[str, str | None, str]]) -> dict[int, list[int]]:
        """Sentence key → the reports holding it, for sentences found in reports of at least two units
        but fewer than the boilerplate limit (in many units: common wording, not copying)."""
        settings = self.settings
        unit_of = [unit for _, _, unit in reports]
        limit = max(settings["boilerplate_min_reports"], settings["boilerplate_share"] * len(set(unit_of)))
        shared: dict[int, list[int]] = {}
        for key, docs in index.repeated():
            units = {unit_of[d] for d in docs}
            if 1 < len(units) < limit:
                shared[key] = docs
        return shared

    def _shared_passages(self, number: int, sentences: Sentences, shared_keys: dict[int, list[int]],
                         index: _SentenceIndex, reports: list[tuple[str, str | None, str]]) -> Iterator[Finding]:
        """The shared-passage findings of report `number` (its `sentences` read back from the spill)."""
        settings = self.settings
        mine = reports[number][2]
        shared: dict[int, list[int]] = defaultdict(list)  # other report → positions of my sentences
        for position, key in enumerate(sentences.keys):
            for other in shared_keys.get(key, ()):
                if other != number and reports[other][2] != mine:
                    shared[other].append(position)
        runs: dict[tuple[int, int], list[int]] = {}  # (first, last sentence) → other reports
        for other, positions in shared.items():
            for begin, end in _runs(positions):
                if sum(sentences.lengths[begin:end + 1]) >= settings["shared_min_chars"]:
                    runs.setdefault((begin, end), []).append(other)
        for (begin, end), others in sorted(runs.items()):
            where = []
            for other in sorted(others)[:5]:
                line = index.line_of(other, sentences.keys[begin])
                where.append(f"{reports[other][0]}（第{line}行）" if line else reports[other][0])
            more_text = f"等 {len(others)} 份" if len(others) > 5 else ""
            self.summary.shared_passages += 1
            yield Finding(
                rule="shared-passage", severity=Severity.WARNING,
                line=sentences.lines[begin], end_line=sentences.lines[end],
                start=sentences.starts[begin], end=sentences.ends[end],
                message=(f"这段文字（约 {sum(sentences.lengths[begin:end + 1])} 字）"
                         f"与其他单位的报告几乎一字不差：{'、'.join(where)}{more_text}"),
                suggestion="按本单位实际情况撰写，不要照搬其他单位或范文网站的文字")


class _SentenceIndex:
    """The sentence keys and lines of every report of the batch, in flat arrays (12 bytes a
    sentence: 10,000 reports of 150 sentences take 18 MB), report after report."""

    def __init__(self) -> None:
        self.keys, self.lines = array("q"), array("i")
        self.bounds = array("q", [0])  # report n's sentences are [bounds[n], bounds[n + 1])

    def add(self, sentences: Sentences) -> None:
        self.keys.extend(sentences.keys)
        self.lines.extend(sentences.lines)
        self.bounds.append(len(self.keys))

    def line_of(self, report: int, key: int) -> int | None:
        """The line of the first sentence of `report` with this key."""
        for position in range(self.bounds[report], self.bounds[report + 1]):
            if self.keys[position] == key:
                return self.lines[position]
        return None

    def repeated(self) -> Iterator[tuple[int, list[int]]]:
        """(key, the reports holding it, in order) for each key found in two reports or more
        (sorted with numpy: no dictionary of every sentence of the batch)."""
        import numpy as np

        if len(self.keys) == 0:
            return
        keys = np.frombuffer(self.keys, dtype=np.int64)
        sizes = np.diff(np.frombuffer(self.bounds, dtype=np.int64))
        docs = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        order = np.lexsort((docs, keys))
        keys, docs = keys[order], docs[order]
        del order
        distinct = np.ones(len(keys), dtype=bool)  # one entry per (key, report)
        distinct[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        keys, docs = keys[distinct], docs[distinct]
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        counts = np.diff(np.append(starts, len(keys)))
        for start, count in zip(starts[counts > 1].tolist(), counts[counts > 1].tolist()):
            yield int(keys[start]), docs[start:start + count].tolist()


def _runs(positions: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive positions as (first, last) runs, allowing a gap of one sentence."""
    if not positions:
        return
    positions = sorted(set(positions))
    first = last = positions[0]
    for position in positions[1:]:
        if position - last <= 2:
            last = position
        else:
            yield first, last
            first = last = position
    yield first, last


def _clip(text: str, width: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"
