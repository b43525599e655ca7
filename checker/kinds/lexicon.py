"""lexicon — canonical names written right: Party terms, documents and the names of laws.

Two sources of canonical names:

  * ``terms``: names the report should write exactly (习近平法治思想, 二十届三中全会,
    法治政府建设实施纲要（2021—2025年）…). A stretch of text one character away from a term
    (one character wrong, missing or extra) is a near miss: ``习近平法制思想``. Terms shorter
    than ``min_length`` are never matched fuzzily (``党的二十届`` is not a near miss of
    ``党的二十大``); give their known wrong forms as ``variants`` instead.
  * ``laws: true``: every citation in book-title marks ``《…》`` is compared with the national
    laws and administrative regulations in ``checker/data/laws.tsv`` (full and short names).
    An exact name is always accepted; a citation one character away from a name is a near
    miss: ``《行政复义法》`` → ``《行政复议法》``. Citations of other documents (local rules,
    plans, books) are left alone. The table is read on first use, once per rule.

A near miss must begin and end with the term's own first and last characters (全面依法治区 is
no typo of 全面依法治国). Differences that are not typos are ignored: a different number (二十届二中全会 is another
meeting, 2022—2025 is the ``pattern`` rules' business), dash variants (- — －), quotation marks and spaces.

Options:
  terms       list; each item is a string (the canonical form) or a mapping
              ``{term: 历次全会, variants: [历届全会]}``
  laws        check 《…》 citations against the table of laws (default false)
  fuzzy       find near misses of terms (default true)
  min_length  shortest term matched fuzzily (default 6)
  max_findings  at most this many findings per document (default 20)

Placeholders: {found} (as written), {correct} (the canonical form), {problem} (in Chinese).

Passing: ``深入学习贯彻习近平法治思想，认真落实《中华人民共和国行政复议法》``.
Failing: ``深入学习贯彻习近平法制思想``; ``认真落实《行政复义法》``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from checker.context import Context
from checker.kinds._text import prepared, rule_scope
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

OPTIONS = {
    "terms": (list, []),
    "laws": (bool, False),
    "fuzzy": (bool, True),
    "min_length": (int, 6),
    "max_findings": (int, 20),
}

_NUMERALS = set("〇零一二三四五六七八九十百0123456789")
_IGNORED = re.compile(r"[\s\-—~“”‘’\"']")
_CITATION = re.compile(r"《([^《》\n]{2,60})》")


@dataclass(frozen=True)
class Term:
    canonical: str  # as written in the rule
    folded: str
    variants: tuple[str, ...]  # folded known wrong forms


class LawNames:
    """Names of national laws and regulations, read from the bundled table on first use."""

    def __init__(self) -> None:
        self._names: set[str] | None = None
        self._by_length: dict[int, list[str]] = {}
        self._display: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}

    def _load(self) -> set[str]:
        if self._names is None:
            text = (resources.files("checker.data") / "laws.tsv").read_text(encoding="utf-8")
            names: set[str] = set()
            for row in text.splitlines()[1:]:
                for name in row.split("\t")[:2]:
                    if name:
                        folded = fold(name)
                        names.add(folded)
                        self._display.setdefault(folded, name)
            for name in names:
                self._by_length.setdefault(len(name), []).append(name)
            self._names = names
        return self._names

    def __contains__(self, name: str) -> bool:
        return name in self._load()

    def near_miss(self, cited: str) -> str | None:
        """The law name (as written in the table) one typo away from ``cited``, if any."""
        if cited in self._memo:
            return self._memo[cited]
        names = self._load()
        result = None
        if cited not in names and len(cited) >= 4:
            candidates = [n for length in (len(cited) - 1, len(cited), len(cited) + 1)
                          for n in self._by_length.get(length, ())]
            best = process.extractOne(cited, candidates, scorer=Levenshtein.distance, score_cutoff=1)
            if best is not None and not _harmless(cited, best[0]):
                result = self._display[best[0]]
        self._memo[cited] = result
        return result


@dataclass
class Lexicon:
    terms: list[Term]
    laws: LawNames | None
    anchors: list[tuple[Term, str, str]] = field(default_factory=list)  # term, first half, second half


def prepare(options: dict) -> Lexicon:
    terms = []
    for item in options["terms"] or []:
        if isinstance(item, str):
            canonical, variants = item, []
        elif isinstance(item, dict) and isinstance(item.get("term"), str):
            unknown = set(item) - {"term", "variants"}
            if unknown:
                raise ValueError(f"术语 {item['term']} 有未知的键 {', '.join(sorted(unknown))}（允许: term, variants）")
            canonical, variants = item["term"], item.get("variants") or []
            if not isinstance(variants, list) or not all(isinstance(v, str) and v for v in variants):
                raise ValueError(f"术语 {canonical} 的 variants 应为非空字符串的列表")
        else:
            raise ValueError("terms 的条目应为字符串或含 term 的映射")
        if not canonical:
            raise ValueError("terms 中有空字符串")
        terms.append(Term(canonical, fold(canonical), tuple(fold(v) for v in variants)))
    lexicon = Lexicon(terms, LawNames() if options["laws"] else None)
    for term in terms:
        if options["fuzzy"] and len(term.folded) >= options["min_length"]:
            half = len(term.folded) // 2
            lexicon.anchors.append((term, term.folded[:half], term.folded[half:]))
    return lexicon


def validate(options: dict) -> dict:
    if not options.get("terms") and not options["laws"]:
        raise ValueError("terms 与 laws 至少要设置一个")
    if options["min_length"] < 3:
        raise ValueError("min_length 不应小于 3")
    prepare(options)
    return options


def _harmless(found: str, correct: str) -> bool:
    """True when the one-character difference is not a typo: a number, a dash, a space."""
    if _IGNORED.sub("", found) == _IGNORED.sub("", correct):
        return True
    if len(found) == len(correct):
        diff = [(a, b) for a, b in zip(found, correct) if a != b]
        return len(diff) == 1 and diff[0][0] in _NUMERALS and diff[0][1] in _NUMERALS
    return False


def _occurrences(text: str, needle: str) -> Iterator[int]:
    index = text.find(needle)
    while index != -1:
        yield index
        index = text.find(needle, index + 1)


def _near_misses(text: str, term: Term, first: str, second: str,
                 exact: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` one edit away from the term: not overlapping an exact occurrence of the
    term itself, not inside an exact occurrence of any term (``exact``)."""
    target = term.folded
    n = len(target)
    windows: set[tuple[int, int]] = set()
    for at in _occurrences(text, first):
        windows.update((at, at + length) for length in (n - 1, n, n + 1))
    for at in _occurrences(text, second):
        end = at + len(second)
        windows.update((end - length, end) for length in (n - 1, n, n + 1))
    taken: list[tuple[int, int]] = [(at, at + n) for at in _occurrences(text, target)]
    for start, end in sorted(windows):
        if start < 0 or end > len(text) or any(s < end and start < e for s, e in taken) \
                or any(s <= start and end <= e for s, e in exact):
            continue
        window = text[start:end]
        # the first and last characters must agree: 全面依法治区 is not a typo of 全面依法治国
        if window[0] != target[0] or window[-1] != target[-1] or "\n" in window or Levenshtein.distance(window, target, score_cutoff=1) != 1 or _harmless(window, target):
            continue
        taken.append((start, end))
        yield start, end


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    lexicon: Lexicon = prepared(rule, prepare)
    text = scope.text
    norm = ctx.document.norm
    hits: list[tuple[int, int, str, str, str]] = []  # start, end, found, correct, problem
    exact = [(at, at + len(t.folded)) for t in lexicon.terms for at in _occurrences(text, t.folded)]
    for term in lexicon.terms:
        for variant in term.variants:
            for at in _occurrences(text, variant):
                hits.append((at, at + len(variant), variant, term.canonical, f"「{variant}」的规范写法是「{term.canonical}」"))
    for term, first, second in lexicon.anchors:
        for start, end in _near_misses(text, term, first, second, exact):
            found = text[start:end]
            hits.append((start, end, found, term.canonical, f"「{found}」疑似写错，规范写法是「{term.canonical}」"))
    if lexicon.laws is not None:
        for citation in _CITATION.finditer(text):
            cited = citation.group(1).strip()
            correct = lexicon.laws.near_miss(cited)
            if correct is not None:
                hits.append((citation.start(), citation.end(), citation.group(), f"《{correct}》",
                             f"法律法规名称《{cited}》疑似写错，应为《{correct}》"))
    hits.sort()
    last_end = -1
    count = 0
    for start, end, found, correct, problem in hits:
        if start < last_end:
            continue
        if count >= rule.options["max_findings"]:
            return
        count += 1
        last_end = end
        orig_start, orig_end = scope.orig(start, end, norm)
        yield ctx.finding(rule, orig_start, orig_end, found=found, correct=correct, problem=problem)
