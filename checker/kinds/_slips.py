"""Slips found everywhere at once, and weighed by how much better the text reads without them.

Not a kind (the leading underscore keeps it out of the registry and the docs); the ``typo`` kind
uses it next to its spot-by-spot search.

Two steps:

1. **Candidates, vectorised over the whole text** (NumPy lookups in the typo index's sorted tables,
   no Python loop per character): a pair of characters that is no word but one same-sound or
   similar-shape character off a word (``宣转`` → 宣传), a pair whose reverse is a word
   (``善完`` → 完善), a character written twice or next to its own twin (``管理理`` → 管理,
   ``工作座`` → 工作), and two or three characters that are a longer word with an inner character
   dropped (``依行政`` → 依法行政). Cheap filters (names, quoted text, a place-name suffix, a written
   form that recurs in the document) drop most of them before step 2.
2. **Evidence, from a unigram word model**: the best segmentation of a few characters around the
   candidate, as written and as corrected (the corrected word kept whole), scored with jieba's word
   frequencies. The log-probability gained by the correction, adjusted by what the document itself
   says (the corrected word used elsewhere; the written pair occurring inside dictionary words, as
   legitimate new words do), must reach a threshold. Only then is it a finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from checker.kinds._typo_index import TypoIndex


@dataclass(frozen=True)
class Weights:
    """How evidence adds up (the ``typo`` rule's options; see its documentation)."""
    min_gain: float  # natural-log units of probability
    used_bonus: float  # the corrected word occurs elsewhere in the document
    taken_penalty: float  # the correction takes a character from a word it forms on its other side


NUMERALS = frozenset("一二三四五六七八九十百千万亿两零〇")
FUNCTION_FREQUENCY = 100000  # 的, 是, 在, 一 …: as single-character words this frequent, never taken for slips
TAKEN = 50  # a neighbour pair this frequent in the dictionary is a word a correction must not break


@dataclass(frozen=True)
class Slip:
    start: int
    end: int
    correct: str
    kind: str  # sub | swap | extra | missing


_PROBLEMS = {
    "sub": "「{found}」疑似「{correct}」的错字",
    "swap": "「{found}」疑似「{correct}」的字序颠倒",
    "extra": "「{found}」疑似多了一个字（应为「{correct}」）",
    "missing": "「{found}」疑似「{correct}」少了一个字",
}


def problem(slip: Slip, found: str) -> str:
    return _PROBLEMS[slip.kind].format(found=found, correct=slip.correct)


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def candidates(text: str, index: TypoIndex, min_frequency: int, rivalry: float = 0.5) -> list[Slip]:
    """Every place where one slip undone makes a dictionary word (step 1, before the filters).

    A candidate whose written characters already form, across its edges, a word at least
    ``rivalry`` times as frequent as the correction is dropped here: the text reads well as written
    (加重|电费 is no 重点)."""
    import numpy as np

    if len(text) < 3:
        return []
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    shift = np.uint64(21)
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    pair = (codes[:-1] << shift) | codes[1:]
    han_pair = han[:-1] & han[1:]

    def keys_of(keys, mask) -> Callable:
        """A lookup of the masked keys in sorted tables: the distinct keys are sorted once and
        searched in order (NumPy's binary search then walks each big table front to back)."""
        where = np.flatnonzero(mask)
        distinct, inverse = np.unique(keys[where], return_inverse=True)

        def find(table):
            at_distinct = np.searchsorted(table, distinct)
            at_distinct[at_distinct >= len(table)] = 0
            hit, at = np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.intp)
            hit[where] = (table[at_distinct] == distinct)[inverse]
            at[where] = at_distinct[inverse]
            return hit, at
        return find

    pairs_of = keys_of(pair, han_pair)
    is_word, at_word = pairs_of(index.pairs)
    # strength[k]: dictionary frequency of the pair starting at k - 1 as a word (0 if none)
    strength = np.concatenate(([0], np.where(is_word, index.pair_frequencies[at_word], 0), [0]))
    loose = han_pair & ~is_word
    found: list[Slip] = []

    def keep(starts, length: int, frequencies, corrections, kind: str) -> None:
        """Drop the candidates whose written text already forms, across the candidate's edges, a
        word as frequent as the correction; make Slips of the rest."""
        rival = np.maximum(strength[starts], strength[starts + length])
        good = (rival == 0) | (rival < rivalry * frequencies)
        for i in starts[good].tolist():
            found.append(Slip(i, i + length, corrections(i), kind))

    def pair_frequency(keys, mask):
        hit, at = keys_of(keys, mask)(index.pairs)
        return np.where(hit, index.pair_frequencies[at], 0)

    hit, at = pairs_of(index.slips)
    starts = np.flatnonzero(hit & loose)
    targets = index.slip_targets[at[starts]]
    by_start = dict(zip(starts.tolist(), targets.tolist()))
    keep(starts, 2, pair_frequency(targets, np.ones(len(targets), dtype=bool)),
         lambda i: chr(by_start[i] >> 21) + chr(by_start[i] & 0x1FFFFF), "sub")
    distinct = loose & (codes[:-1] != codes[1:])
    reverse_frequency = pair_frequency((codes[1:] << shift) | codes[:-1], distinct)
    starts = np.flatnonzero((reverse_frequency >= min_frequency) & distinct)
    keep(starts, 2, reverse_frequency[starts], lambda i: text[i + 1] + text[i], "swap")
    han_triple = han[:-2] & han[1:-1] & han[2:]
    twin, _ = pairs_of(index.twins)
    doubled = (codes[1:-1] == codes[:-2]) | (codes[1:-1] == codes[2:])
    alike = han_triple & (doubled | twin[:-1] | twin[1:])
    outer_frequency = pair_frequency((codes[:-2] << shift) | codes[2:], alike)
    starts = np.flatnonzero(outer_frequency >= min_frequency)
    keep(starts, 3, outer_frequency[starts], lambda i: text[i] + text[i + 2], "extra")
    triples = (codes[:-2] << np.uint64(42)) | (codes[1:-1] << shift) | codes[2:]
    for find, length, mask in ((pairs_of, 2, loose), (keys_of(triples, han_triple), 3, han_triple)):
        hit, at = find(index.gaps)
        starts = np.flatnonzero(hit & mask)
        words = {i: index.gap_words[int(index.gap_targets[at[i]])] for i in starts.tolist()}
        frequencies = np.array([index.words.get(w, 0) for w in words.values()], dtype=np.int64)
        keep(starts, length, frequencies, words.__getitem__, "missing")
    return found


class SegmentModel:
    """A unigram word model over jieba's frequencies, with a per-document memo of log-probabilities."""

    def __init__(self, index: TypoIndex, memo: dict[str, float | None] | None = None) -> None:
        self.index = index
        self.log_total = math.log(index.total)
        self.memo: dict[str, float | None] = {} if memo is None else memo

    def logp(self, word: str) -> float | None:
        known = self.memo.get(word, 0.0)
        if known != 0.0:
            return known
        if len(word) == 1:
            value = math.log(max(self.index.single.get(word, 0), 0.5)) - self.log_total if _han(word) else -1.0
        else:
            frequency = self.index.words.get(word, 0)
            value = math.log(frequency) - self.log_total if frequency else None
        self.memo[word] = value
        return value

    def best(self, text: str, keep: tuple[int, int] = (0, 0)) -> float:
        """Log-probability of the best segmentation of ``text``; no word boundary strictly inside ``keep``."""
        best = [0.0] + [-1e18] * len(text)
        low, high = keep
        for i in range(1, len(text) + 1):
            if low < i < high:
                continue
            top = -1e18
            for length in range(1, min(4, i) + 1):
                word = text[i - length:i]
                value = self.logp(word)
                if value is not None and best[i - length] + value > top:
                    top = best[i - length] + value
            best[i] = top
        return best[-1]

    def gain(self, text: str, slip: Slip, margin: int = 4) -> float:
        """How much likelier the few characters around the slip read corrected than as written."""
        low, high = max(0, slip.start - margin), min(len(text), slip.end + margin)
        at = slip.start - low
        corrected = text[low:slip.start] + slip.correct + text[slip.end:high]
        return self.best(corrected, (at, at + len(slip.correct))) - self.best(text[low:high])


def implausible(text: str, slip: Slip, single: dict[str, int]) -> bool:
    """A numeral taken for a slip (分七期 is not 分期 with 七 typed twice: numbers are content), or
    one of the most frequent function characters taken for a mistyped one (党的二十届 is not 第二;
    的/地/得 belong to the ``usage`` rules)."""
    if slip.kind == "sub":
        typed = [c for c, d in zip(text[slip.start:slip.end], slip.correct) if c != d]
        return any(c in NUMERALS or single.get(c, 0) > FUNCTION_FREQUENCY for c in typed)
    return slip.kind == "extra" and text[slip.start + 1] in NUMERALS


def takes_a_word(text: str, slip: Slip, words) -> bool:
    """A substitution keeps one character of the pair; does that character already make a
    dictionary word with its neighbour on the far side (区级|统建 → 系统 would break 统建)?"""
    if slip.kind != "sub":
        return False
    kept_left = text[slip.start] == slip.correct[0]
    outer = text[slip.start - 1:slip.start + 1] if kept_left else text[slip.end - 1:slip.end + 1]
    return len(outer) == 2 and words.get(outer, 0) >= TAKEN


def score(text: str, slip: Slip, model: SegmentModel, weights: Weights, used: bool) -> float:
    """The evidence for a slip (step 2): the model's gain adjusted by what the document says
    (``used``: the corrected form occurs elsewhere in the document)."""
    value = model.gain(text, slip)
    if used:
        value += weights.used_bonus
    if takes_a_word(text, slip, model.index.words):
        value -= weights.taken_penalty
    return value
