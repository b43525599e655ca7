"""Shared helpers for proofreading kinds: which characters may stand for which.

Not a kind (the leading underscore keeps it out of the registry and the docs).

Two characters are *confusable* when they sound alike or look alike:

  * same sound: a reading in common (tones ignored), from pypinyin, every reading of a
    polyphonic character counted;
  * near sound: readings one fuzzy-pinyin step apart (zh/z, ch/c, sh/s, n/l, f/h, an/ang,
    en/eng, in/ing, ian/iang, uan/uang) or one letter of the final apart with the same initial
    (jin/jian: the slips an input method makes);
  * similar shape: the groups in ``rules/data/confusables.yaml``.

Readings come from the typo index (built once with pypinyin and cached on disk), so checking
never imports pypinyin; the shape table is read on first use, once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
             "r", "z", "c", "s", "y", "w")
_FUZZY_INITIALS = {frozenset(p) for p in (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"))}
_FUZZY_FINALS = {frozenset(p) for p in (("an", "ang"), ("en", "eng"), ("in", "ing"), ("ian", "iang"),
                                         ("uan", "uang"))}


def data_file(name: str) -> str:
    """The text of a data file bundled under ``rules/data/``."""
    return (resources.files("checker.rulepacks") / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shape_groups() -> dict[str, frozenset[str]]:
    """Character -> the characters of similar shape (itself excluded)."""
    groups: dict[str, set[str]] = {}
    for line in yaml.safe_load(data_file("confusables.yaml"))["shape"]:
        members = set(str(line))
        for char in members:
            groups.setdefault(char, set()).update(members - {char})
    return {char: frozenset(others) for char, others in groups.items()}


@lru_cache(maxsize=8192)
def pinyin_readings(char: str) -> frozenset[str]:
    """Toneless pinyin readings of one character from pypinyin (empty for non-Han characters).
    pypinyin takes a second or more to import: only the typo index build calls this."""
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(r for group in found for r in group if r.isalpha())


def usual_reading(char: str) -> str:
    """The toneless pinyin pypinyin gives a character by default (its usual reading); the typo
    index build calls this."""
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, errors="ignore")
    return found[0][0] if found and found[0] else ""


def readings(char: str) -> frozenset[str]:
    """Toneless pinyin readings of one character, from the typo index's table (the common
    characters and those of the shape table and the genre's phrases); empty for others."""
    from checker.kinds._typo_index import typo_index

    return typo_index().readings.get(char, frozenset())


def _split(syllable: str) -> tuple[str, str]:
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial):]
    return "", syllable


def _one_letter_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def near_syllables(a: str, b: str) -> bool:
    """True for syllables one fuzzy-pinyin step or one final letter apart (same initial)."""
    if a == b:
        return True
    (ia, fa), (ib, fb) = _split(a), _split(b)
    if fa == fb and frozenset((ia, ib)) in _FUZZY_INITIALS:
        return True
    if ia == ib and (frozenset((fa, fb)) in _FUZZY_FINALS or (ia and _one_letter_apart(fa, fb))):
        return True
    return False


def is_han(char: str) -> bool:
    """A CJK unified ideograph (the characters the proofreading kinds judge)."""
    return "\u4e00" <= char <= "\u9fff"


def same_sound(a: str, b: str) -> bool:
    return bool(readings(a) & readings(b))


def similar_shape(a: str, b: str) -> bool:
    return b in shape_groups().get(a, ())


@lru_cache(maxsize=65536)
def confusable(a: str, b: str, near: bool = True) -> bool:
    """May ``b`` have been meant where ``a`` is written? Same sound, similar shape, or (with
    ``near``) near sound."""
    if a == b:
        return True
    if similar_shape(a, b) or same_sound(a, b):
        return True
    if near:
        return any(near_syllables(x, y) for x in readings(a) for y in readings(b))
    return False
