"""Slips found everywhere at once, and weighed by how much better the text reads without them.

Not a kind (the leading underscore keeps it out of the registry and the docs); the ``typo`` kind
uses it next to its spot-by-spot search.

Two steps:

1. **Candidates, vectorised over the whole text** (NumPy lookups in the typo index's sorted tables,
   no Python loop per character): a pair of characters that is no word but one same-sound or
   similar-shape character off a word (``宣转`` → 宣传), a pair whose reverse is a word
   (``善完`` → 完善), a character written twice or next to its own twin (``管理理`` → 管理,
   ``工作座`` → 工作), a word written twice (``配合配合`` → 配合), and two or three characters
   that are a longer word with an inner character dropped (``依行政`` → 依法行政). Cheap filters (names, quoted text, a place-name suffix, a written
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

from checker.kinds._typo_index import GAP, GAP_HEAD, REVERSED, TWIN, WORD, TypoIndex


@dataclass(frozen=True)
class Weights:
    """How evidence adds up (the ``typo`` rule's options; see its documentation)."""
    min_gain: float  # natural-log units of probability
    used_bonus: float  # the corrected word occurs elsewhere in the document
    taken_penalty: float  # the correction takes a character from a word it forms on its other side


NUMERALS = frozenset("一二三四五六七八九十百千万亿两零〇")
# characters that make a longer word from the word they follow or precede (行政处罚法, 合法性,
# 现代化; 委机关, 局领导, 副主任): never taken for a character typed twice at a word's edge
SUFFIXES = frozenset("法性化者员制权率式型类级界业家师长人方处室办局委部厅组队站所点区县市省镇乡村")
PREFIXES = frozenset("委局部厅处办组队站所市县区镇乡村省副总正非不无未超反准新老小大全各本该每单多双")
ECHO_SINGLE = 15000  # a same-sound twin more frequent than this as a one-character word (任, 原) is no echo
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
    if slip.kind == "extra" and len(found) - len(slip.correct) > 1:
        return f"「{found}」疑似重复（应为「{slip.correct}」）"
    return _PROBLEMS[slip.kind].format(found=found, correct=slip.correct)


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


@dataclass(frozen=True)
class TextPairs:
    """A text's characters and the pair table's row for each pair of neighbours: one binary search
    per document (the distinct pairs, sorted), shared by the typo rule's two passes."""
    codes: "np.ndarray"  # uint32 code points
    ids: "np.ndarray"  # uint32 numbers of the characters in the pair table (0: in no pair)
    han: "np.ndarray"  # bool: a CJK unified ideograph
    rows: "np.ndarray"  # the pair table's row for each pair of neighbours; the sentinel row if absent
    # or touching no Chinese character
    flags: "np.ndarray"  # uint8 flags of that row (``_typo_index.INWORD`` …)


def text_pairs(text: str, index: TypoIndex) -> TextPairs:
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    ids = index.char_ids[np.minimum(codes, 0xFFFF)].astype(np.uint32)  # U+FFFF is in no word
    rows = np.full(len(codes) - 1, len(index.pair_keys) - 1, dtype=np.intp)
    where = np.flatnonzero((han[:-1] | han[1:]) & (ids[:-1] != 0) & (ids[1:] != 0))
    if len(where):
        distinct, inverse = np.unique((ids[where] << np.uint32(16)) | ids[where + 1], return_inverse=True)
        rows[where] = _rows(index, distinct)[inverse]
    return TextPairs(codes, ids, han, rows, index.pair_flags[rows])


def _rows(index: TypoIndex, keys: "np.ndarray") -> "np.ndarray":
    """Rows of the pair table for keys of two numbered characters (the sentinel row for those not in it)."""
    table = index.pair_keys
    at = table.searchsorted(keys)  # never past the sentinel, which is above every key
    at[table[at] != keys] = len(table) - 1
    return at


def candidates(text: str, index: TypoIndex, min_frequency: int, rivalry: float = 0.5,
               pairs: TextPairs | None = None) -> list[Slip]:
    """Every place where one slip undone makes a dictionary word (step 1, before the filters).

    A candidate whose written characters already form, across its edges, a word at least
    ``rivalry`` times as frequent as the correction is dropped here: the text reads well as written
    (加重|电费 is no 重点). ``pairs``: the text's pairs already looked up (``text_pairs``)."""
    import numpy as np

    if len(text) < 3:
        return []
    view = pairs or text_pairs(text, index)
    codes, ids, han, flags, rows = view.codes, view.ids, view.han, view.flags, view.rows
    shift = np.uint32(16)
    han_pair = han[:-1] & han[1:]
    is_word = han_pair & ((flags & WORD) != 0)
    # strength[k]: dictionary frequency of the pair starting at k - 1 as a word (0 if none)
    strength = np.concatenate(([0], np.where(is_word, index.pair_frequencies[rows], 0), [0]))
    loose = han_pair & ~is_word
    found: list[Slip] = []

    def keep(starts, length: int, frequencies, corrections, kind: str) -> None:
        """Drop the candidates whose written text already forms, across the candidate's edges, a
        word as frequent as the correction; make Slips of the rest."""
        rival = np.maximum(strength[starts], strength[starts + length])
        good = (rival == 0) | (rival < rivalry * frequencies)
        for i in starts[good].tolist():
            found.append(Slip(i, i + length, corrections(i), kind))

    targets = index.pair_slips[rows]
    starts = np.flatnonzero(loose & (targets >= 0))
    targets = targets[starts]
    chars = index.id_chars
    by_start = dict(zip(starts.tolist(), index.pair_keys[targets].tolist()))
    keep(starts, 2, index.pair_frequencies[targets],
         lambda i: chr(chars[by_start[i] >> 16]) + chr(chars[by_start[i] & 0xFFFF]), "sub")
    starts = np.flatnonzero(loose & (codes[:-1] != codes[1:]) & ((flags & REVERSED) != 0))
    reverse_frequency = index.pair_frequencies[_rows(index, (ids[starts + 1] << shift) | ids[starts])]
    starts, reverse_frequency = starts[reverse_frequency >= min_frequency], reverse_frequency[reverse_frequency >= min_frequency]
    keep(starts, 2, reverse_frequency, lambda i: text[i + 1] + text[i], "swap")
    han_triple = han_pair[:-1] & han_pair[1:]
    twin = (flags & TWIN) != 0
    doubled = (codes[1:-1] == codes[:-2]) | (codes[1:-1] == codes[2:])
    starts = np.flatnonzero(han_triple & (doubled | twin[:-1] | twin[1:]))
    outer_frequency = index.pair_frequencies[_rows(index, (ids[starts] << shift) | ids[starts + 2])]
    starts, outer_frequency = starts[outer_frequency >= min_frequency], outer_frequency[outer_frequency >= min_frequency]
    keep(starts, 3, outer_frequency, lambda i: text[i] + text[i + 2], "extra")
    _edge_echoes(text, index, min_frequency, codes, twin, loose, is_word, rows, keep)
    # a two-character word written twice (配合配合 → 配合); not numbers (一次一次)
    if len(codes) >= 4:
        word_frequency = np.where(is_word, index.pair_frequencies[rows], 0)
        abab = (codes[:-3] == codes[2:-1]) & (codes[1:-2] == codes[3:]) & (codes[:-3] != codes[1:-2]) \
            & (word_frequency[:-2] >= min_frequency)
        starts = np.array([i for i in np.flatnonzero(abab).tolist()
                           if text[i] not in NUMERALS and text[i:i + 4] not in index.words], dtype=np.intp)
        keep(starts, 4, word_frequency[starts], lambda i: text[i:i + 2], "extra")
    dropped = index.dropped
    for length, starts in ((2, np.flatnonzero(loose & ((flags & GAP) != 0))),
                           (3, np.flatnonzero(han_triple & ((flags[:-1] & GAP_HEAD) != 0)))):
        words = {i: word for i in starts.tolist() if (word := dropped.get(text[i:i + length]))}
        starts = np.array(list(words), dtype=np.intp)
        frequencies = np.array([index.words.get(w, 0) for w in words.values()], dtype=np.int64)
        keep(starts, length, frequencies, words.__getitem__, "missing")
    return found


def _edge_echoes(text: str, index: TypoIndex, min_frequency: int, codes, twin, loose, is_word, rows,
                 keep: Callable) -> None:
    """A character typed twice, or with a same-sound twin, at a word's edge (全会汇 → 全会,
    中心组组 → 中心组): the echo forms no word with its other neighbour (组织执法 is no 组织 with 执
    typed twice) and is no affix that makes a longer word (行政处罚法, 委机关)."""
    import numpy as np

    alike = loose & ((codes[:-1] == codes[1:]) | twin)  # pair (k, k + 1): alike, no word
    if not alike.any():
        return
    word_frequency = np.where(is_word, index.pair_frequencies[rows], 0)
    padded = np.concatenate(([0], word_frequency, [0]))  # padded[k + 1]: the pair starting at k
    usual = index.primary

    def echoes(char: str, echo: str, affixes: frozenset[str]) -> bool:
        if echo in affixes:
            return False
        if echo == char:
            return True
        # a twin this frequent as a word of its own (负责人|任组长) is likelier that word than a double hit
        return bool(usual.get(char)) and usual.get(char) == usual.get(echo) and index.single.get(echo, 0) <= ECHO_SINGLE

    for k in np.flatnonzero(alike).tolist():
        # the word ends at k, the echo is k + 1; then the word starts at k + 1, the echo is k
        for length in (2, 3):
            start = k - length + 1
            word = text[start:k + 1]
            if start >= 0 and padded[k + 2] < TAKEN and echoes(text[k], text[k + 1], SUFFIXES):
                frequency = index.words.get(word, 0)
                if frequency >= min_frequency:
                    keep(np.array([start]), length + 1, np.array([frequency]), lambda i, w=word: w, "extra")
            word = text[k + 1:k + 1 + length]
            if len(word) == length and padded[k] < TAKEN and echoes(text[k + 1], text[k], PREFIXES):
                frequency = index.words.get(word, 0)
                if frequency >= min_frequency:
                    keep(np.array([k]), length + 1, np.array([frequency]), lambda i, w=word: w, "extra")


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
    if slip.kind == "extra":
        removed = _removed(text, slip)
        return removed in NUMERALS or single.get(removed, 0) > FUNCTION_FREQUENCY
    return False


def _removed(text: str, slip: Slip) -> str:
    """The character an ``extra`` slip's correction leaves out."""
    written = text[slip.start:slip.end]
    for i, char in enumerate(slip.correct):
        if written[i] != char:
            return written[i]
    return written[-1]


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
