"""Matching a document's outline to the template sections of a pack.

Top-level headings are compared with each section's standard wording and aliases after
removing numbering, years and punctuation, using rapidfuzz (`similarity`); the best section at or
above the pack's ``heading_threshold`` wins. Only headings are matched, so body sentences that
merely mention 不足 never count as a section.

A section with no top-level heading may still be present *in substance*: a sub-heading or an
``一是…`` bullet inside another section that matches it (``substance_threshold``) or contains one
of its ``bullet_keywords``; and measures stand in substance when thematic top-level headings
precede the other template sections.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from checker.model.document import Document
from checker.model.normalize import fold
from checker.model.outline import Heading
from checker.packs import Pack, SectionSpec

_YEARS = re.compile(r"(?:19|20)\d{2}[ ]?年度?|[〇零○一二三四五六七八九]{4}年度?|\{year\}年度?|\{next_year\}年度?")
_NOISE = re.compile(r"[\s,.:;!?、\"“”‘’《》()\[\]【】—\-|·•。]")
_BULLET = re.compile(r"[一二三四五六七八九十]是([^。;,:]{4,40})")
_BULLET_NUMERALS = frozenset("一二三四五六七八九十")


def bullets(folded: str) -> Iterator[re.Match[str]]:
    """``_BULLET.finditer(folded)``, found from the 是 of each bullet: a literal is found in C at a few
    instructions per character, the class of ten numerals costs ~40 (most of a match's time)."""
    find = folded.find
    done = 0  # where the last match ended: the next may not start before
    at = find("是", 1)
    while at != -1:
        start = at - 1
        if start >= done and folded[start] in _BULLET_NUMERALS:
            match = _BULLET.match(folded, start)
            if match is not None:
                yield match
                done = match.end()
                at = find("是", done + 1)
                continue
        at = find("是", at + 1)


def match_key(text: str) -> str:
    """The comparable core of a heading or alias: no years, numbering or punctuation."""
    return _NOISE.sub("", _YEARS.sub("", fold(text)))


@dataclass(frozen=True)
class SectionMatch:
    section: str
    heading: Heading
    similarity: float


@dataclass(frozen=True)
class SubstanceMatch:
    section: str
    text: str
    start: int
    end: int
    line: int
    similarity: float


@dataclass
class TemplateMatch:
    top: list[tuple[Heading, SectionMatch | None]]
    substance: dict[str, SubstanceMatch]
    scopes: dict[str, tuple[int, int]] = field(default_factory=dict)

    @cached_property
    def sections(self) -> list[SectionMatch]:
        """The matched top-level headings in document order (built once; read-only)."""
        return [m for _, m in self.top if m is not None]

    @cached_property
    def _by_section(self) -> dict[str, SectionMatch]:
        found: dict[str, SectionMatch] = {}
        for match in self.sections:
            found.setdefault(match.section, match)
        return found

    def find(self, section_id: str) -> SectionMatch | None:
        return self._by_section.get(section_id)

    def section_at(self, offset: int) -> str | None:
        for section_id, (start, end) in self.scopes.items():
            if start <= offset < end:
                return section_id
        return None


def similarity(key: str, alias: str, partial_weights: list[tuple[float | None, float]]) -> float:
    """0–100: the plain ratio, or a substring match weighted down as the lengths diverge.

    A heading that only adds a prefix to an alias (区政府 + 主要负责同志履行…) keeps most of the
    partial score; a long thematic heading that happens to contain a short alias does not.
    """
    return _weighted(key, alias, fuzz.ratio(key, alias), fuzz.partial_ratio(key, alias), partial_weights)


def _weighted(key: str, alias: str, ratio: float, partial: float,
              partial_weights: list[tuple[float | None, float]]) -> float:
    """`similarity` from precomputed ratio and partial ratio (so batches can score in C)."""
    if key == alias:
        return 100.0
    longer, shorter = max(len(key), len(alias)), max(1, min(len(key), len(alias)))
    for limit, weight in partial_weights:
        if limit is None or longer / shorter <= limit:
            return max(ratio, partial * weight)
    return ratio


class _Aliases:
    """Flattened (key, section id) pairs of a pack, built once per pack."""

    def __init__(self, pack: Pack) -> None:
        self.partial_weights = pack.partial_weights
        # Longest first, so 法治政府建设 goes before 法治建设 can split it.
        words = sorted((match_key(w) for w in pack.generic_words if match_key(w)), key=len, reverse=True)
        self.generic = re.compile("|".join(map(re.escape, words))) if words else None
        self.pairs: list[tuple[str, str]] = []
        # (text as given, allowed sections) -> best match: a batch repeats the same headings.
        self._memo: dict[tuple[str, frozenset[str] | None], tuple[str | None, float]] = {}
        # Folded bullet keywords of each section, for the substance search.
        self.keywords = {spec.id: tuple(fold(k) for k in spec.bullet_keywords) for spec in pack.sections}
        for spec in pack.sections:
            for text in (spec.standard, spec.name, *spec.aliases):
                key = self.key(text)
                if key and (key, spec.id) not in self.pairs:
                    self.pairs.append((key, spec.id))

    def key(self, text: str) -> str:
        """match_key without the pack's generic words."""
        key = match_key(text)
        return self.generic.sub("", key) if self.generic else key

    def best(self, text: str, allowed: frozenset[str] | None = None) -> tuple[str | None, float]:
        memo_key = (text, allowed)
        found = self._memo.get(memo_key)
        if found is None:
            key = self.key(text)
            found = self._best(key, allowed) if key else (None, 0.0)
            if len(self._memo) >= 4096:  # bounded: a batch repeats the same headings, not unboundedly
                self._memo.clear()
            self._memo[memo_key] = found
        return found

    def _best(self, key: str, allowed: frozenset[str] | None) -> tuple[str | None, float]:
        """`similarity` against every alias, with rapidfuzz scoring all aliases in one C call each."""
        pairs = self.pairs if allowed is None else [p for p in self.pairs if p[1] in allowed]
        if not pairs:
            return None, 0.0
        choices = [alias for alias, _ in pairs]
        ratios = {i: s for _, s, i in process.extract(key, choices, scorer=fuzz.ratio, limit=None)}
        partials = {i: s for _, s, i in process.extract(key, choices, scorer=fuzz.partial_ratio, limit=None)}
        best_id, best_score = None, 0.0
        for index, (alias, section_id) in enumerate(pairs):
            score = _weighted(key, alias, ratios[index], partials[index], self.partial_weights)
            if score > best_score:
                best_id, best_score = section_id, score
        return best_id, best_score


# Sub-headings and 一是… bullets compared for substance: a real report has a few hundred; the
# bound keeps hostile texts (thousands of distinct bullets) to about a second.
_MAX_CANDIDATES = 1000


class TemplateMatcher:
    """Matches documents to one pack's template; build once per pack, reuse for every document."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.aliases = _Aliases(pack)

    def match(self, document: Document) -> TemplateMatch:
        return _match(document, self.pack, self.aliases)


def _match(document: Document, pack: Pack, aliases: _Aliases) -> TemplateMatch:
    outline = document.outline
    top: list[tuple[Heading, SectionMatch | None]] = []
    taken: set[str] = set()
    for heading in outline.top_headings():
        section_id, score = aliases.best(heading.key)
        if section_id is not None and score >= pack.heading_threshold and section_id not in taken:
            top.append((heading, SectionMatch(section_id, heading, round(score, 1))))
            taken.add(section_id)
        else:
            top.append((heading, None))

    body_start, body_end = outline.body
    scopes: dict[str, tuple[int, int]] = {}
    for position, (heading, match) in enumerate(top):
        end = top[position + 1][0].start if position + 1 < len(top) else body_end
        if match is not None:
            scopes[match.section] = (heading.start, end)

    substance: dict[str, SubstanceMatch] = {}
    missing = [spec for spec in pack.sections if spec.id not in taken]
    if missing:
        substance = _find_substance(document, pack, aliases, missing, top)
    # Thematic top-level headings ahead of every matched section stand for the measures.
    if "measures" not in taken and top and top[0][1] is None:
        first_matched = next((h.start for h, m in top if m is not None), body_end)
        scopes["measures"] = (top[0][0].start, first_matched)
        if any(spec.id == "measures" for spec in missing):
            heading = top[0][0]
            substance.setdefault("measures", SubstanceMatch("measures", heading.text, heading.start,
                                                            heading.end, heading.line, 0.0))
    return TemplateMatch(top=top, substance=substance, scopes=scopes)


def _find_substance(document: Document, pack: Pack, aliases: _Aliases, missing: list[SectionSpec],
                    top: list[tuple[Heading, SectionMatch | None]]) -> dict[str, SubstanceMatch]:
    wanted = frozenset(spec.id for spec in missing)
    keywords = {spec.id: aliases.keywords[spec.id] for spec in missing}
    top_ids = {id(h) for h, _ in top}
    candidates: list[tuple[str, int, int, int]] = []  # text (folded), start, end, line
    for heading in document.outline.headings:
        if id(heading) not in top_ids and len(candidates) < _MAX_CANDIDATES:
            candidates.append((heading.key, heading.start, heading.end, heading.line))
    folded = document.norm.text
    body_start, body_end = document.outline.body
    for bullet in bullets(folded):
        if len(candidates) >= _MAX_CANDIDATES:
            break
        start, end = document.norm.span_to_original(bullet.start(), bullet.end())
        if body_start <= start < body_end:
            candidates.append((bullet.group(1), start, end, document.position(start)[0]))
    found: dict[str, SubstanceMatch] = {}
    for text, start, end, line in candidates:
        section_id, score = aliases.best(text, wanted)
        hit = section_id if section_id is not None and score >= pack.substance_threshold else None
        if hit is None:
            hit = next((sid for sid, words in keywords.items() if any(w and w in text for w in words)), None)
            score = 100.0 if hit else score
        if hit is not None and hit not in found:
            found[hit] = SubstanceMatch(hit, document.text[start:end], start, end, line, round(score, 1))
            if len(found) == len(wanted):
                break
    return found
