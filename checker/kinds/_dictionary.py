"""Shared helper for proofreading kinds: the Chinese dictionary with word frequencies.

Not a kind (the leading underscore keeps it out of the registry and the docs).

The dictionary is jieba's ``dict.txt`` (about 350,000 words with frequencies and part-of-speech
tags, shipped in the jieba wheel): read from the installed package without importing jieba,
on first use, once per process, through the typo index (``_typo_index``), which caches it on disk.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

# part-of-speech tags of names (people, places, organisations, other proper nouns)
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "nrf", "ns", "nt", "nz"})


def jieba_dict_path() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("未安装 jieba，无法进行错别字检查")
    return Path(spec.origin).parent / "dict.txt"


def jieba_version() -> str:
    try:
        from importlib.metadata import version

        return version("jieba")
    except Exception:  # noqa: BLE001 - any metadata problem: fall back to the file's size
        return str(jieba_dict_path().stat().st_size)


def words():
    """Words of 2-4 characters with their frequencies (the typo index's table, read once)."""
    return _typo_index.typo_index().words


def single_words() -> dict[str, int]:
    """Characters with their frequencies as one-character words (the typo index's, read once)."""
    return _typo_index.typo_index().single


def is_word(text: str) -> bool:
    return text in words()


def word_ends_at(text: str, end: int, longest: int = 4, least: int = 1) -> bool:
    """Does a dictionary word of 2+ characters (and frequency ``least`` or more) end at ``end``
    (exclusive) in ``text``?"""
    known = words()
    return any(known.get(text[start:end], 0) >= least for start in range(max(0, end - longest), end - 1))


def word_starts_at(text: str, start: int, longest: int = 4, least: int = 1) -> bool:
    """Does a dictionary word of 2+ characters (and frequency ``least`` or more) start at ``start``
    in ``text``?"""
    known = words()
    return any(known.get(text[start:end], 0) >= least for end in range(start + 2, min(len(text), start + longest) + 1))


# (imported last: the typo index imports this module's names above; an import statement inside
# `words`, called for each look-up, cost microseconds each time)
from checker.kinds import _typo_index  # noqa: E402
