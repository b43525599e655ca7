"""Normalised text for matching, with a map back to original offsets.

Folding is done in two steps so that it stays fast on large batches:

1. a one-to-one character table: full-width ASCII and brackets to half-width, the ideographic
   space to a space, traditional to simplified characters (`fold_chars`: one numpy lookup over
   the code points, ~20x faster than ``str.translate`` with a dict on a report);
2. deletions by regex: pinyin debris left by some web pages after a character (設(shè)),
   and runs of horizontal whitespace folded to one space.

Only step 2 changes offsets; it records each deletion so `to_original` can map back.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table[0x00A0] = " "
    table[0x2002] = " "
    table[0x2003] = " "
    table[0xFEFF] = " "
    for dash in "－–—―‒":
        table[ord(dash)] = "—"
    table[ord("\t")] = " "
    return table


@lru_cache(maxsize=1)
def translate_table() -> dict[int, str]:
    """The one-to-one folding table, traditional-to-simplified included when OpenCC is present."""
    table = _fold_table()
    for trad, simp in _traditional_to_simplified().items():
        table.setdefault(ord(trad), simp)
    return table


@lru_cache(maxsize=1)
def _lookup():
    """`translate_table` as an array indexed by BMP code point (identity where unmapped)."""
    import numpy as np  # imported on first use: loading a pack must stay light

    lookup = np.arange(0x10000, dtype="<u4")
    for code, char in translate_table().items():
        if code < 0x10000:
            lookup[code] = ord(char)
    return lookup


# Below this length str.translate is faster than the round trip through an array.
_ARRAY_FROM = 64


def fold_chars(text: str) -> str:
    """``text.translate(translate_table())``, done by one array lookup for longer texts."""
    if len(text) < _ARRAY_FROM:
        return text.translate(translate_table())
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if codes.max() > 0xFFFF:  # astral characters (rare): the table, which has a few of them
        return text.translate(translate_table())
    return _lookup().take(codes).tobytes().decode("utf-32-le", "surrogatepass")


def _traditional_to_simplified() -> dict[str, str]:
    """Single-character traditional -> simplified pairs from OpenCC's dictionary, if installed."""
    try:
        import opencc  # opencc-python-reimplemented
    except ImportError:
        return {}
    from pathlib import Path

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    pairs: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    for line in lines:
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1:
                pairs[parts[0]] = target
    return pairs


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_DELETIONS = re.compile(
    # Each branch starts with its literal character and looks behind only after it, so the regex
    # engine skips ahead to the next "(" or " " in C (a leading look-behind is tried at every
    # character: 4x slower on a report).
    # pinyin annotation right after a CJK character: 設(shè) 領(lǐng)
    rf"\((?<=[\u4e00-\u9fff]\()(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\)"
    # horizontal whitespace beyond the first of a run
    r"| (?<=  ) *"
)
# _DELETIONS as two regexes that each start with a literal: the engine finds a literal in a few
# instructions per character, a class of two ("(" or " ") in ~30 (`_deletion_spans`).
_PINYIN = re.compile(rf"\((?<=[\u4e00-\u9fff]\()(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\)")
_SPACE_RUN = re.compile("  +")


@dataclass(frozen=True)
class NormalizedText:
    """Folded text plus the information needed to map its offsets back to the original."""

    text: str
    _breaks: tuple[int, ...]  # normalised offsets from which the shift below applies
    _shifts: tuple[int, ...]  # cumulative number of deleted original characters

    @property
    def has_deletions(self) -> bool:
        """Whether folding deleted characters (else every offset is the original one)."""
        return bool(self._breaks)

    def to_original(self, offset: int) -> int:
        """Original offset of a normalised one; out-of-range offsets are clamped to the text."""
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
        if not self._breaks:
            return offset
        index = bisect_right(self._breaks, offset) - 1
        return offset + (self._shifts[index] if index >= 0 else 0)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        end = min(end, len(self.text))
        if end <= start:
            orig = self.to_original(start)
            return orig, orig
        return self.to_original(start), self.to_original(end - 1) + 1


def fold(text: str) -> str:
    """Fold a short string (a heading, an alias) the same way the document is folded."""
    return _DELETIONS.sub("", fold_chars(text))


def _deletion_spans(folded: str) -> list[tuple[int, int]]:
    """``[m.span() for m in _DELETIONS.finditer(folded)]``, faster.

    A pinyin annotation holds no space and a space run no bracket or letter, so the matches of the
    two halves never touch and together are exactly those of the whole pattern."""
    spaces = [(run.start() + 1, run.end()) for run in _SPACE_RUN.finditer(folded)] if "  " in folded else []
    if "(" not in folded:
        return spaces
    pinyin = [match.span() for match in _PINYIN.finditer(folded)]
    if not pinyin:
        return spaces
    return sorted(spaces + pinyin) if spaces else pinyin


def normalize(text: str) -> NormalizedText:
    folded = fold_chars(text)
    breaks: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    removed = 0
    last = 0
    for start, end in _deletion_spans(folded):
        pieces.append(folded[last:start])
        removed += end - start
        breaks.append(start - (removed - (end - start)))
        shifts.append(removed)
        last = end
    if not breaks:
        return NormalizedText(folded, (), ())
    pieces.append(folded[last:])
    return NormalizedText("".join(pieces), tuple(breaks), tuple(shifts))
