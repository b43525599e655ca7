"""Shared helper for kinds that search with many regular expressions: skip a search that cannot succeed.

Not a kind (the leading underscore keeps it out of the registry and the docs).

`required_literals` reads a pattern (once per process: `literals_of` remembers) and returns
strings one of which every match must contain (``截止(?=目前|今年)`` → ``("截止",)``; ``法制(?:政府|宣传)`` →
``("法制",)``; ``(?:年来|以来)`` → ``("年来", "以来")``); `may_match` then looks for them with
``str.__contains__`` (C speed) before running the regex: most of a pack's patterns are about
wording a given report does not contain, and each search costs a pass over the whole text. The result is the same as searching
always: where no required literal is in the text, the pattern has no match there. Patterns the
reader is not sure about (case-insensitive parts, syntax of the ``regex`` library that Python's
own parser reads differently, no literal at all) get None and are always searched.

`LiteralScan` answers the same for many patterns searched in one text (a noise rule's): one
Aho-Corasick scan finds which of all their literals the text contains.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property, lru_cache

try:  # Python 3.11+
    from re import _parser as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

# Syntax of the `regex` library that Python's parser reads as something else, or not at all (a
# POSIX class [[:alpha:]], not any set that starts with a colon: [:：] is the same set in both).
_REGEX_ONLY = re.compile(r"\[:\^?[A-Za-z_]+:\]|\\[pPLXGKmM]|\(\?[|VrfwebpL]")
# A Unicode property (\p{Han}) matches one character and is never a literal: read as "." here.
_PROPERTY = re.compile(r"\\[pP]\{[A-Za-z_=:]+\}")
_QUANTIFIER = re.compile(r"\{\d*,?\d*\}")
# A character class (approximately: an unescaped "]" first in a class is refused separately).
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", object())  # Python 3.11+
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT) + ((_sre.POSSESSIVE_REPEAT,) if hasattr(_sre, "POSSESSIVE_REPEAT") else ())


def required_literals(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Strings one of which every match of `source` contains, or None when unknown."""
    parts = required_parts(source, flags)
    if parts is None:
        return None
    return max(parts, key=lambda found: (min(map(len, found)), -len(found), not any(isinstance(f, Folded) for f in found)))


def required_parts(source: str, flags: int = 0) -> tuple[tuple[str, ...], ...] | None:
    """Sets of strings every match of `source` contains one of each (the literal runs and the
    required groups of its top level: ``合法(?:合规)?性审[查核]`` → 合法, 性审, 查 or 核), or None when
    unknown. `required_literals` is the most selective of them."""
    if "\\\\" in source:  # an escaped backslash: too easy to misread what follows
        return None
    source = _PROPERTY.sub(".", source)
    if _REGEX_ONLY.search(source) or "{" in _QUANTIFIER.sub("", source):
        return None
    try:
        parsed = _sre.parse(_lookbehinds_as_lookaheads(source))
    except Exception:  # noqa: BLE001 - syntax of the regex library, or anything unexpected
        return None
    if parsed.state.flags & re.VERBOSE:
        return None
    found = _candidates(parsed, bool((flags | parsed.state.flags) & re.IGNORECASE))
    return tuple(dict.fromkeys(tuple(sorted(part)) for part in found)) or None


@lru_cache(maxsize=4096)
def literals_of(source: str, flags: int) -> tuple[str, ...] | None:
    """`required_literals`, remembered (packs are loaded once and their patterns searched often)."""
    return required_literals(source, flags)


@lru_cache(maxsize=4096)
def _probes(source: str, flags: int) -> tuple[tuple[tuple[str, str, bool], ...], ...] | None:
    """The required parts of a pattern (`required_parts`), the cheapest to rule out first (fewest,
    shortest literals), each literal with its distinct characters and whether it is looked for in
    the lower-cased text (`Folded`) (remembered)."""
    parts = _parts_of(source, flags)
    if parts is None:
        return None
    return tuple(tuple((literal, "".join(dict.fromkeys(literal)), isinstance(literal, Folded)) for literal in part)
                 for part in sorted(parts, key=lambda part: (len(part), sum(map(len, part)))))


@lru_cache(maxsize=4096)
def _parts_of(source: str, flags: int) -> tuple[tuple[str, ...], ...] | None:
    return required_parts(source, flags)


def may_match(pattern, text: str) -> bool:
    """False only when the compiled pattern (``re`` or ``regex``) certainly has no match in `text`:
    a part it requires (`required_parts`) has none of its literals there.

    A literal is looked for character by character first: a character the text lacks rules it out
    at C speed (a search for one character is several times quicker than for a string whose first
    character is frequent, such as 法制 in a report full of 法). A `Folded` literal's letters are
    looked for in either case in the text as written: the text is lowered only for a literal whose
    characters are all there (most texts have none of its letters)."""
    plan = _plan_of(pattern)
    if plan is None:
        return True
    lowered = None
    for part in plan:  # (loops, not any() over a generator: ~90 calls per document)
        for chars, literal, letters in part:
            for char in chars:
                if char not in text:
                    break
            else:
                if letters is None:  # a literal as written
                    if literal is None or literal in text:
                        break  # this part is there
                    continue
                # a Folded literal: each letter in either case, then the literal in the lowered text
                for lower, upper in letters:
                    if lower not in text and upper not in text:
                        break
                else:
                    if lowered is None:
                        lowered = text.lower()
                    if literal in lowered:
                        break
        else:
            return False  # none of this part's literals is
    return True


@lru_cache(maxsize=4096)
def _plan_of(pattern) -> tuple[tuple[tuple[tuple[str, ...], str | None, tuple[tuple[str, str], ...] | None], ...], ...] | None:
    """`_probes` of a compiled pattern, remembered per pattern, as `may_match` reads them: for
    each literal the characters looked for as they are, the literal itself (None for one
    character) and, for a `Folded` literal, its letters with their upper case. A character of a
    Folded literal is in the lowered text exactly when it, or its upper case (a letter of
    _FOLDED_LETTERS), is in the text: no character else lowers to one of them
    (tests/test_prefilter.py checks it over all of Unicode).

    The characters are kept as a tuple of strings (a loop over a str of Chinese characters makes a
    new string for each), and a part's literals are tried cheapest first: as written before
    `Folded` (which may need the text lowered), shorter before longer (one character is one search
    of the text; a longer literal whose characters are all there is one more search, ~1.5 µs a page).
    Which literal of a part is found first does not change the answer."""
    probes = _probes(pattern.pattern, pattern.flags)
    if probes is None:
        return None
    plan = []
    for part in probes:
        literals = []
        for literal, chars, folded in sorted(part, key=lambda probe: (probe[2], len(probe[0]))):
            if folded:
                letters = tuple((char, char.upper()) for char in chars if char in _FOLDED_LETTERS)
                literals.append((tuple(c for c in chars if c not in _FOLDED_LETTERS), str(literal), letters))
            else:
                literals.append((tuple(chars), literal if len(literal) > 1 else None, None))
        plan.append(tuple(literals))
    return tuple(plan)


class LiteralScan:
    """The required parts (`required_parts`) of many patterns searched in one text, with one
    Aho-Corasick automaton over all their literals: one scan of the text (`found`) tells which of
    them it contains, and each pattern's test (`may_match`) is then a set operation per part
    instead of a search of the text per literal (a noise category lists thirty alternatives, each
    of them one or two searches of the text for `may_match`). Same answers as `may_match`.

    A ``Folded`` literal (a case-insensitive part) is not in the automaton: it is looked for as
    `may_match` does, only when no other literal of its part was found."""

    def __init__(self, patterns: Iterable) -> None:
        self._patterns = tuple(patterns)

    def __getstate__(self) -> dict:
        """The patterns only: a batch worker builds its own automaton (it cannot be pickled)."""
        return {"_patterns": self._patterns}

    @cached_property
    def _plans(self) -> dict:
        """Each pattern's `_scan_plan` (built on first use: loading a pack must stay light)."""
        return {pattern: _scan_plan(pattern) for pattern in self._patterns}

    @cached_property
    def _automaton(self):
        literals = {literal for plan in self._plans.values() for scanned, _folded in plan or () for literal in scanned}
        if not literals:
            return None
        import ahocorasick_rs

        return ahocorasick_rs.AhoCorasick(sorted(literals), store_patterns=True)

    def found(self, text: str) -> frozenset[str] | None:
        """The literals of the patterns that `text` contains (one scan), or None when it cannot be
        scanned (a lone surrogate: `may_match` then searches as before)."""
        if self._automaton is None:
            return frozenset()
        try:
            return frozenset(self._automaton.find_matches_as_strings(text, overlapping=True))
        except UnicodeEncodeError:
            return None

    def may_match(self, pattern, text: str, found: frozenset[str] | None) -> bool:
        """`may_match(pattern, text)`, where `found` is `self.found(text)` and `pattern` one of
        the patterns the scan was built for."""
        plan = self._plans.get(pattern, False)
        if found is None or plan is False:
            return may_match(pattern, text)
        if plan is None:
            return True
        for scanned, folded in plan:
            if scanned.isdisjoint(found) and not (folded and _folded_found(folded, text)):
                return False
        return True


@lru_cache(maxsize=4096)
def _scan_plan(pattern) -> tuple[tuple[frozenset[str], tuple], ...] | None:
    """For each required part of the pattern (`_plan_of`), the literals `LiteralScan` looks for
    in its scan and the `Folded` ones (as `_plan_of` gives them); the parts with a Folded literal
    last (they may need the text lowered)."""
    plan = _plan_of(pattern)
    if plan is None:
        return None
    parts = []
    for part in plan:
        scanned = frozenset(chars[0] if literal is None else literal
                            for chars, literal, letters in part if letters is None)
        parts.append((scanned, tuple(probe for probe in part if probe[2] is not None)))
    return tuple(sorted(parts, key=lambda part: bool(part[1])))


def _folded_found(probes: tuple, text: str) -> bool:
    """Whether a `Folded` literal of `probes` (``(characters, literal, letters)`` of `_plan_of`)
    is in the lower-cased text (lowered once, on first need, as `may_match` does)."""
    lowered = None
    for chars, literal, letters in probes:
        for char in chars:
            if char not in text:
                break
        else:
            for lower, upper in letters:
                if lower not in text and upper not in text:
                    break
            else:
                if lowered is None:
                    lowered = text.lower()
                if literal in lowered:
                    return True
    return False


def _lookbehinds_as_lookaheads(source: str) -> str:
    """Look-behinds written as look-aheads: the regex library allows variable-width look-behinds,
    Python's parser does not, and no assertion adds a required literal here anyway."""
    if "(?<" not in source:
        return source
    if "\\(?<" in source or "[]" in source or "[^]" in source \
            or _CLASS.sub("", source).count("(?<") != source.count("(?<"):
        raise ValueError("an escaped bracket or a look-behind sign inside a character class")
    return source.replace("(?<=", "(?=").replace("(?<!", "(?!")


def caseless(char: str) -> bool:
    """Whether a character matches only itself when case is ignored: ASCII digits and marks,
    general punctuation (“” …), CJK marks and characters (tests/test_prefilter.py checks it with
    the regex library's own case folding)."""
    code = ord(char)
    return (code < 0x80 and not char.isalpha()) or 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F \
        or 0x3400 <= code <= 0x9FFF


# ASCII letters that match only themselves and their other case where case is ignored (not i, k,
# s: İ, K (Kelvin) and ſ match them too; tests/test_prefilter.py checks it)
_FOLDED_LETTERS = frozenset("abcdefghjlmnopqrtuvwxyzABCDEFGHJLMNOPQRTUVWXYZ")


class Folded(str):
    """A required literal of a case-insensitive part, in lower case: looked for in the lower-cased
    text (``copyr`` of ``(?i:copyright)``)."""


def _required(sequence, ignore_case: bool = False) -> frozenset[str] | None:
    """A set of strings one of which every match of the parsed `sequence` contains: the most
    selective of its `_candidates` (the longest shortest member, then the fewest members, then one
    looked for in the text as it is)."""
    candidates = _candidates(sequence, ignore_case)
    if not candidates:
        return None
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found),
                                              not any(isinstance(literal, Folded) for literal in found)))


def _candidates(sequence, ignore_case: bool = False) -> list[frozenset[str]]:
    """Sets of strings every match of the parsed `sequence` contains one of each: its literal runs
    and what its required groups require. Where case is ignored, those strings are made of
    characters that match nothing but themselves (``://`` of ``(?i)https?://``) and of the ASCII
    letters of `_FOLDED_LETTERS`, then `Folded`."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    folded = False  # the run has a letter whose case is ignored
    for op, value in sequence:
        if op is _sre.LITERAL:
            char = chr(value)
            if not ignore_case or caseless(char):
                run.append(char)
                continue
            if char in _FOLDED_LETTERS:
                run.append(char)
                folded = True
                continue
        if run:
            candidates.append(frozenset([Folded("".join(run).lower()) if folded else "".join(run)]))
            run, folded = [], False
        inner = None
        if op is _sre.IN and value and all(item_op is _sre.LITERAL and not (ignore_case and not caseless(chr(code)))
                                           for item_op, code in value):
            inner = frozenset(chr(code) for _, code in value)  # a class of listed characters: [(（]
        elif op is _sre.SUBPATTERN:
            _group, add_flags, _del_flags, pattern = value
            inner = _required(pattern, ignore_case or bool(add_flags & re.IGNORECASE))
        elif op in _REPEATS:
            low, _high, pattern = value
            if low >= 1:
                inner = _required(pattern, ignore_case)
        elif op is _ATOMIC:
            inner = _required(value, ignore_case)
        elif op is _sre.BRANCH:
            alternatives = [_required(alternative, ignore_case) for alternative in value[1]]
            if alternatives and all(alternatives):
                inner = frozenset().union(*alternatives)
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(frozenset([Folded("".join(run).lower()) if folded else "".join(run)]))
    return candidates
