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

import heapq
import json
import os
import pickle
import re
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
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

    def as_json(self) -> dict:
        return {"path": self.path, "previous": self.previous,
                "plan": [{"item": i.text, "reported": i.reported} for i in self.plan]}


class Pairings:
    """The pairings with last year's reports, in the order they were made, waiting in a temporary
    file (gone with the process, or at `close`) until the outputs read them, each in turn, one at
    a time: in memory stay only their number and the number of their plan items."""

    def __init__(self) -> None:
        self._spill: _Spill | None = None
        self.items = 0  # plan items of all pairings

    def append(self, pairing: Pairing) -> None:
        if self._spill is None:
            self._spill = _Spill()
        self._spill.write((pairing.path, pairing.previous, tuple((i.text, i.reported) for i in pairing.plan)))
        self.items += len(pairing.plan)

    def __len__(self) -> int:
        return self._spill.count if self._spill is not None else 0

    def __iter__(self) -> Iterator[Pairing]:
        if self._spill is None:
            return
        for path, previous, plan in self._spill:
            yield Pairing(path, previous, [PlanItem(text, reported) for text, reported in plan])

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None


@dataclass
class Summary:
    """What the outputs show about the batch as a whole."""

    units_expected: int = 0
    missing_units: list[str] = field(default_factory=list)
    repeated_units: dict[str, list[str]] = field(default_factory=dict)
    unmatched_reports: list[str] = field(default_factory=list)
    pairings: Pairings = field(default_factory=Pairings)
    previous_reports: int = 0
    shared_passages: int = 0
    expect: bool = False
    previous: bool = False

    def json_pieces(self) -> Iterator[str]:
        """The summary as JSON text (as ``json.dumps(..., ensure_ascii=False)`` writes it), piece by
        piece: one pairing at a time, so a batch of any size is never held whole as text."""
        data: dict = {}
        if self.expect:
            data.update(units_expected=self.units_expected, missing_units=self.missing_units,
                        repeated_units=self.repeated_units, unmatched_reports=self.unmatched_reports)
        if not self.previous:
            data["shared_passages"] = self.shared_passages
            yield json.dumps(data, ensure_ascii=False)
            return
        data["previous_reports"] = self.previous_reports
        yield json.dumps(data, ensure_ascii=False)[:-1] + ', "pairings": ['
        for number, pairing in enumerate(self.pairings):
            yield (", " if number else "") + json.dumps(pairing.as_json(), ensure_ascii=False)
        yield f'], "shared_passages": {self.shared_passages}}}'


class Rows:
    """A long table's rows, made afresh each time they are read (from the pairings' file), with
    their number known beforehand: no output holds them all."""

    def __init__(self, count: int, make: Callable[[], Iterator[list[str]]]) -> None:
        self.count, self.make = count, make

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[list[str]]:
        return self.make()


@dataclass
class Table:
    """One table of the comparison summary, as every output shows it."""

    title: str
    header: list[str]
    rows: list[list[str]] | Rows

    def first(self, count: int) -> list[list[str]]:
        """The first `count` rows to show; for the pairings (last column 未见), those with most
        of last year's plan unreported first (as a stable sort of all rows would give)."""
        if len(self.rows) > count and self.header[-1] == "未见":
            return heapq.nsmallest(count, self.rows, key=lambda row: -int(row[-1]))
        return [row for _, row in zip(range(count), self.rows)]


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
        pairings = summary.pairings

        def rows() -> Iterator[list[str]]:
            for pairing in pairings:
                done = sum(1 for item in pairing.plan if item.reported)
                yield [pairing.path, pairing.previous, str(len(pairing.plan)), str(done), str(len(pairing.plan) - done)]

        def item_rows() -> Iterator[list[str]]:
            for pairing in pairings:
                for item in pairing.plan:
                    yield [pairing.path, item.text, "已写到" if item.reported else "未见"]

        tables.append(Table(f"与上一年度报告的对比（上一年度 {summary.previous_reports} 份，配对 {len(pairings)} 份）",
                            ["报告", "上一年度报告", "去年的安排", "今年写到", "未见"], Rows(len(pairings), rows)))
        if plan_items:
            tables.append(Table("上一年度安排的落实情况", ["报告", "去年的安排", "今年的主要举措中"],
                                Rows(pairings.items, item_rows)))
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
        offset = 0
        for _ in range(self.count):  # (readers may take turns: each resumes where it stopped)
            self.file.seek(offset)
            value = _Unpickler(self.file).load()  # (one per record: each was pickled with a memo of its own)
            offset = self.file.tell()
            yield value

    def close(self) -> None:
        self.file.close()


_NO_YEAR = -(2 ** 31)  # a report without a year, in an array of years


class _Strings:
    """Strings kept compact, read back by number: UTF-8 in one buffer (a path costs its bytes and
    8 more, not a Python object)."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.ends = array("q")

    def append(self, text: str) -> None:
        self.data += text.encode("utf-8", "surrogatepass")  # (file names may hold undecodable bytes)
        self.ends.append(len(self.data))

    def __getitem__(self, number: int) -> str:
        start = self.ends[number - 1] if number else 0
        return self.data[start:self.ends[number]].decode("utf-8", "surrogatepass")


class _Reports:
    """What the batch keeps of each report until it is done (20 bytes and its path's): its path,
    the number of its unit in the unit list (-1: none) and the hash of the unit it is compared as
    for shared passages (the unit of the list, else its issuer, else its path)."""

    def __init__(self) -> None:
        self.paths = _Strings()
        self.units = array("i")
        self.issuers = array("q")

    def add(self, path: str, unit: int, issuer: str) -> None:
        self.paths.append(path)
        self.units.append(unit)
        self.issuers.append(hash(issuer))

    def __len__(self) -> int:
        return len(self.units)


class _PastReports:
    """Last year's reports. Their profiles wait in a temporary file; in memory stay, per report, its
    year, where its profile is and the hash of its path (20 bytes), and the hashes of its unit keys
    (what pairs reports: `_unit_keys`), sorted, each with its report (12 bytes a key)."""

    def __init__(self) -> None:
        self.spill = _Spill()
        self.years, self.offsets, self.paths = array("i"), array("q"), array("q")
        self._added = (array("q"), array("i"))  # (key hash, report) added since the last `sort`
        self.keys, self.reports = array("q"), array("i")  # those sorted by key hash (then report)
        self._by_unit: tuple[array, array] | None = None  # reports by unit of the list, see `of_unit`

    def __len__(self) -> int:
        return len(self.offsets)

    def add(self, past: Profile) -> None:
        number = len(self.offsets)
        self.offsets.append(self.spill.write(past))
        self.years.append(_NO_YEAR if past.year is None else past.year)
        self.paths.append(hash(past.path))
        for key in _unit_keys(past.candidates):
            self._added[0].append(hash(key))
            self._added[1].append(number)
        self._by_unit = None

    def sort(self) -> None:
        """Make the key table ready for `with_key` (after adding)."""
        keys, reports = self.keys + self._added[0], self.reports + self._added[1]
        order = sorted(range(len(keys)), key=keys.__getitem__)  # (stable: each key's reports stay in order)
        self.keys = array("q", (keys[i] for i in order))
        self.reports = array("i", (reports[i] for i in order))
        self._added = (array("q"), array("i"))

    def with_key(self, key: str) -> list[int]:
        """The reports with this unit key, in the order they were added."""
        code = hash(key)
        return self.reports[bisect_left(self.keys, code):bisect_right(self.keys, code)].tolist()

    def year(self, number: int) -> int | None:
        year = self.years[number]
        return None if year == _NO_YEAR else year

    def profile(self, number: int) -> Profile:
        return self.spill.read(self.offsets[number])  # type: ignore[return-value]

    def of_unit(self, unit: int, matcher: UnitMatcher, unit_number: dict[int, int]) -> list[int]:
        """The reports the unit list matches to its unit number `unit` (all matched when first
        asked; kept as the report numbers sorted by unit, and where each unit's start)."""
        if self._by_unit is None:
            matched = array("i")
            for number in range(len(self)):
                found = matcher.match(self.profile(number).candidates)
                matched.append(-1 if found is None else unit_number[id(found)])
            order = array("i", sorted((n for n in range(len(matched)) if matched[n] >= 0), key=matched.__getitem__))
            starts = array("i", [0]) * (len(unit_number) + 1)
            for number in order:
                starts[matched[number] + 1] += 1
            for position in range(len(unit_number)):
                starts[position + 1] += starts[position]
            self._by_unit = (order, starts)
        order, starts = self._by_unit
        return order[starts[unit]:starts[unit + 1]].tolist()

    def close(self) -> None:
        self.spill.close()


class Comparison:
    """The comparison stage of one ``checker check`` run.

    Memory stays flat however large the batch: each result waits in a temporary file (pickled,
    with the findings of the comparison with last year's report already made) until the batch is
    done, and so do last year's profiles, the sentence index (`_SentenceIndex`) and the pairings
    with last year's reports (`Pairings`, read back by the outputs); in memory stay a few dozen
    bytes per report (`_Reports`, `_PastReports`), hashes and numbers in arrays."""

    def __init__(self, settings: dict | None = None, units: list[Unit] | None = None,
                 shared: bool = True, keep_text: bool = False) -> None:
        self.settings = {**DEFAULTS, **(settings or {})}
        self.units = units
        self.matcher = UnitMatcher(units) if units else None
        self._unit_number = {id(unit): number for number, unit in enumerate(units or [])}
        self.shared = shared
        self.keep_text = keep_text  # an output needs each result's text (html)
        self.past: _PastReports | None = None
        self.previous_documents: list[str] = []  # files of last year's reports, checked before the batch
        self.summary = Summary(expect=units is not None)
        self._boilerplate = tuple(normalise(p) for p in self.settings["boilerplate"] if normalise(p))

    def close(self) -> None:
        if self.past is not None:
            self.past.close()
            self.past = None

    # -- last year's reports --------------------------------------------------------------

    def add_previous(self, results: Iterable[DocumentResult]) -> None:
        """Index last year's reports (each result with its text)."""
        self.summary.previous = True
        if self.past is None:
            self.past = _PastReports()
        for result in results:
            if _is_report(result):
                past = profile(len(self.past), result, self.settings, False, self._boilerplate)
                keys_only = Sentences()
                keys_only.keys = past.sentences.keys  # all last year's sentences are compared by: their keys
                past.sentences = keys_only
                self.past.add(past)
        self.past.sort()
        self.summary.previous_reports = len(self.past)

    def _previous_of(self, current: Profile) -> Profile | None:
        past = self.past
        if past is None or not len(past):
            return None
        found: list[int] = []
        names = [current.unit.name] if current.unit is not None else []
        for candidate in names + current.candidates[:2]:
            found.extend(past.with_key(local_key(unit_key(candidate))))
        if not found and current.unit is not None and self.matcher is not None:
            found = past.of_unit(self._unit_number[id(current.unit)], self.matcher, self._unit_number)
        path, year = hash(current.path), current.year
        found = [n for n in found if (past.paths[n] != path or past.profile(n).path != current.path)
                 and (year is None or past.years[n] == _NO_YEAR or past.years[n] < year)]
        if not found:
            return None
        mine = {n for key in _unit_keys(current.candidates) for n in past.with_key(key)}  # (as `same_unit`)
        best = max(found, key=lambda n: (past.year(n) or 0, n in mine))
        return past.profile(best)

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
        reports = _Reports()
        keep_measures = self.past is not None and len(self.past) > 0
        try:
            for result in results:
                if progress is not None:
                    progress()
                extra: list[Finding] = []
                sentences = None  # (None: not a report)
                if _is_report(result):
                    current = profile(len(reports), result, self.settings, keep_measures, self._boilerplate)
                    if self.matcher is not None:
                        current.unit = self.matcher.match(current.candidates)
                    past = self._previous_of(current)
                    if past is not None:
                        extra.extend(self._compare_previous(current, past))
                    issuer = (current.unit.name if current.unit is not None else
                              local_key(unit_key(current.candidates[0])) if current.candidates else current.path)
                    reports.add(current.path, -1 if current.unit is None else self._unit_number[id(current.unit)], issuer)
                    index.add(current.sentences)
                    sentences = current.sentences
                spill.write((result if self.keep_text else replace(result, text=None), extra, sentences))
                if stop is not None and stop():
                    break
            if self.matcher is not None:
                self._account_units(reports)
            shared_keys = self._shared_keys(index, reports) if self.shared else {}
            index.close()
            number = 0  # of the report among the reports
            for result, extra, sentences in spill:
                if sentences is not None:
                    if shared_keys:
                        extra = extra + list(self._shared_passages(number, sentences, shared_keys, reports))
                    number += 1
                if extra:
                    result = replace(result, findings=sorted(result.findings + extra, key=Finding.sort_key))
                yield result
        finally:
            spill.close()
            index.close()
            self.close()

    def _account_units(self, reports: _Reports) -> None:
        assert self.units is not None
        names = [unit.name for unit in self.units]
        counts: dict[str, int] = {}  # unit name → its reports
        for number in range(len(reports)):
            unit = reports.units[number]
            if unit < 0:
                self.summary.unmatched_reports.append(reports.paths[number])
            else:
                counts[names[unit]] = counts.get(names[unit], 0) + 1
        self.summary.units_expected = len(self.units)
        self.summary.missing_units = [name for name in names if name not in counts]
        repeated: dict[str, list[str]] = {}  # (in the order of each unit's first report)
        for number in range(len(reports)):
            unit = reports.units[number]
            if unit >= 0 and counts[names[unit]] > 1:
                repeated.setdefault(names[unit], []).append(reports.paths[number])
        self.summary.repeated_units = repeated

    def _shared_keys(self, index: _SentenceIndex, reports: _Reports) -> dict[int, list[tuple[int, int]]]:
        """Sentence key → (report, line) of the reports holding it, for sentences found in reports of
        at least two units but fewer than the boilerplate limit (in many units: common wording, not
        copying)."""
        settings = self.settings
        issuers = reports.issuers
        limit = max(settings["boilerplate_min_reports"], settings["boilerplate_share"] * len(set(issuers)))
        shared: dict[int, list[tuple[int, int]]] = {}
        for key, holders in index.repeated():
            if 1 < len({issuers[report] for report, _ in holders}) < limit:
                shared[key] = holders
        return shared

    def _shared_passages(self, number: int, sentences: Sentences, shared_keys: dict[int, list[tuple[int, int]]],
                         reports: _Reports) -> Iterator[Finding]:
        """The shared-passage findings of report `number` (its `sentences` read back from the spill)."""
        settings = self.settings
        issuers = reports.issuers
        mine = issuers[number]
        shared: dict[int, list[int]] = defaultdict(list)  # other report → positions of my sentences
        for position, key in enumerate(sentences.keys):
            for other, _ in shared_keys.get(key, ()):
                if other != number and issuers[other] != mine:
                    shared[other].append(position)
        runs: dict[tuple[int, int], list[int]] = {}  # (first, last sentence) → other reports
        for other, positions in shared.items():
            for begin, end in _runs(positions):
                if sum(sentences.lengths[begin:end + 1]) >= settings["shared_min_chars"]:
                    runs.setdefault((begin, end), []).append(other)
        for (begin, end), others in sorted(runs.items()):
            lines = dict(shared_keys[sentences.keys[begin]])  # other report → line of the run's first sentence
            where = []
            for other in sorted(others)[:5]:
                line, path = lines.get(other), reports.paths[other]
                where.append(f"{path}（第{line}行）" if line else path)
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
    """The sentence keys of every report of the batch, each with its report and line (16 bytes),
    in a temporary file in `PARTS` parts by key: at most `CHUNK` sentences of each part wait in
    memory to be written, and the keys found in two reports or more are sought one part at a time
    (so the search holds a `PARTS`-th of the batch's sentences, never all of them)."""

    PARTS = 32
    CHUNK = 2048

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="checker-compare-")
        self.reports = 0
        self.parts = [self._empty() for _ in range(self.PARTS)]  # (keys, reports, lines) not yet written
        self.written = [(array("q"), array("i")) for _ in range(self.PARTS)]  # per part: (offsets, counts) of its chunks

    @staticmethod
    def _empty() -> tuple[array, array, array]:
        return array("q"), array("i"), array("i")

    def add(self, sentences: Sentences) -> None:
        report = self.reports
        self.reports += 1
        for key, line in zip(sentences.keys, sentences.lines):
            part = key % self.PARTS
            keys, reports, lines = self.parts[part]
            keys.append(key)
            reports.append(report)
            lines.append(line)
            if len(keys) >= self.CHUNK:
                self._write(part)

    def _write(self, part: int) -> None:
        offset = self.file.seek(0, os.SEEK_END)
        for values in self.parts[part]:
            values.tofile(self.file)
        offsets, counts = self.written[part]
        offsets.append(offset)
        counts.append(len(self.parts[part][0]))
        self.parts[part] = self._empty()

    def _read(self, part: int) -> tuple[array, array, array]:
        keys, reports, lines = self._empty()
        for offset, count in zip(*self.written[part]):
            self.file.seek(offset)
            for values in (keys, reports, lines):
                values.fromfile(self.file, count)
        for values, waiting in zip((keys, reports, lines), self.parts[part]):
            values.extend(waiting)
        return keys, reports, lines

    def repeated(self) -> Iterator[tuple[int, list[tuple[int, int]]]]:
        """(key, [(report, line of its first sentence with the key)] in report order) for each key
        found in two reports or more."""
        for part in range(self.PARTS):
            seen: dict[int, tuple[int, int] | list[tuple[int, int]]] = {}
            for key, report, line in zip(*self._read(part)):
                entry = seen.get(key)
                if entry is None:
                    seen[key] = (report, line)
                elif isinstance(entry, tuple):
                    if entry[0] != report:
                        seen[key] = [entry, (report, line)]
                elif entry[-1][0] != report:
                    entry.append((report, line))
            for key, entry in seen.items():
                if isinstance(entry, list):
                    yield key, entry

    def close(self) -> None:
        self.file.close()


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
