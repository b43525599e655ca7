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
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from checker.kinds._chars import is_han as _han
from checker.kinds._typo_index import (FLAGS, FREQUENCY, GAP, GAP_HEAD, GAP_TAIL, INWORD, KEY, REVERSED, SLIP,
                                       TWIN, WORD, TypoIndex, pair_rows)


@dataclass(frozen=True)
class Weights:
    """How evidence adds up (the ``typo`` rule's options; see its documentation)."""
    min_gain: float  # natural-log units of probability
    used_bonus: float  # the corrected word occurs elsewhere in the document
    taken_penalty: float  # the correction takes a character from a word it forms on its other side


NUMERALS = frozenset("一二三四五六七八九十百千万亿两零〇")
# function characters of formal writing, rare in the dictionary's general text: never suspects
FORMAL = frozenset("暨系兹该均亦乃之其予于及并或即")
# characters that make a longer word from the word they follow or precede (行政处罚法, 合法性,
# 现代化, 法治观; 委机关, 局领导, 副主任): never taken for a character typed twice at a word's edge
SUFFIXES = frozenset("法性化者员制权率式型类级界业家师长人方处室办局委部厅组队站所点区县市省镇乡村观")
PREFIXES = frozenset("委局部厅处办组队站所市县区镇乡村省副总正非不无未超反准新老小大全各本该每单多双")
LIGHT_VERBS = frozenset("作做搞")  # verbs that take a verbal noun (作部署, 作经验交流): 工作|作 is no slip
ECHO_SINGLE = 15000  # a same-sound twin more frequent than this as a one-character word (任, 原) is no echo
# 的/地/得 typed for one another, or for a word's character, is the ``usage`` rules' to judge
PARTICLES = frozenset("的地得")
_NEVER_TYPED = NUMERALS | FORMAL | PARTICLES  # never taken for a replaced character (``implausible``)
FUNCTION_FREQUENCY = 100000  # 的, 是, 在, 一 …: as single-character words this frequent, never taken for slips
TAKEN = 50  # a neighbour pair this frequent in the dictionary is a word a correction must not break


class Slip(NamedTuple):  # a named tuple: made by the thousand, cheaper than a frozen dataclass
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


class TextPairs(NamedTuple):
    """A text's characters and what the pair table says of each pair of neighbours (looked up once
    per document, shared by the typo rule's passes); arrays of one entry per character or per pair."""
    codes: "np.ndarray"  # uint32 code points
    han: "np.ndarray"  # bool: a CJK unified ideograph
    inword: "np.ndarray"  # bool, per pair: the two characters occur, in this order, inside a dictionary word
    hflags: "np.ndarray"  # int32, per pair: the flags of a pair of two Chinese characters in the table, 0 elsewhere
    frequencies: "np.ndarray"  # int32, per pair: the row's FREQUENCY, to be read only where hflags has WORD or REVERSED
    slips: "np.ndarray"  # int32, per pair: 1 + the row's SLIP for a pair of two Chinese characters in the table, else 0
    double: "np.ndarray"  # bool, per pair: one Chinese character written twice


def text_pairs(text: str, index: TypoIndex) -> TextPairs:
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # characters beyond U+FFFF are read as U+FFFF, which is no Chinese character and in no word
    # (number 0: a key in no row)
    han = _han_marks().take(codes, mode="clip")
    ids = index.char_ids.take(codes, mode="clip").astype(np.uint64)
    keys = ids[:-1] << _key_shift()
    keys |= ids[1:]
    table = index.pair_table
    rows = table.take(pair_rows(keys, index.pair_seeds, len(table) - 1), axis=0)  # one read of each row
    present = rows[:, KEY] == keys.view(np.int64)  # the row is the pair's (else the pair is in no row)
    flags = rows[:, FLAGS]
    inword = (flags & INWORD) != 0
    inword &= present
    present &= han[:-1]
    present &= han[1:]
    slips = rows[:, SLIP] + 1  # the sentinel row's SLIP is -1
    slips *= present
    return TextPairs(codes, han, inword, flags * present, rows[:, FREQUENCY], slips,
                     (codes[:-1] == codes[1:]) & han[:-1])


@lru_cache(maxsize=1)
def _key_shift() -> "np.uint64":
    """The shift of a pair's first character's number in its key (a NumPy scalar, made once)."""
    import numpy as np

    return np.uint64(16)


@lru_cache(maxsize=1)
def _han_marks() -> "np.ndarray":
    """bool, 65,536: the CJK unified ideographs (U+4E00 to U+9FFF) of the Basic Multilingual Plane."""
    import numpy as np

    marks = np.zeros(0x10000, dtype=bool)
    marks[0x4E00:0xA000] = True
    return marks


def records(index: TypoIndex, keys: "np.ndarray") -> "np.ndarray":
    """The pair table's rows (a copy, keys x 4) for keys of two numbered characters (uint32); the
    sentinel row for those not in it."""
    import numpy as np

    table = index.pair_table
    found = table.take(pair_rows(keys, index.pair_seeds, len(table) - 1), axis=0)
    found[found[:, KEY] != keys.view(np.int32)] = table[-1]
    return found


def words_with(index: TypoIndex, fixed: str, others: str, before: bool, min_frequency: int) -> list[tuple[str, int]]:
    """(word, frequency) of the two-character words of at least ``min_frequency`` made of ``fixed``
    followed (``before``) or preceded by one of ``others``, in the order of ``others``. Read from the
    word table's two-character words of that frequency by character (``WordTable.partners``: no
    dictionary look-up for the many characters that make no such word), which are the pair table's
    WORD rows with the same frequencies."""
    after, preceding = index.words.partners(min_frequency)
    if before:
        known = after.get(fixed)
        return [(fixed + other, frequency) for other in others if (frequency := known.get(other))] if known else []
    known = preceding.get(fixed)
    return [(other + fixed, frequency) for other in others if (frequency := known.get(other))] if known else []


def candidates(text: str, index: TypoIndex, min_frequency: int, rivalry: float = 0.5,
               pairs: TextPairs | None = None) -> list[Slip]:
    """Every place where one slip undone makes a dictionary word (step 1, before the filters).

    A candidate whose written characters already form, across its edges, a word at least
    ``rivalry`` times as frequent as the correction is dropped here: the text reads well as written
    (加重|电费 is no 重点). ``pairs``: the text's pairs already looked up (``text_pairs``).
    In order: substitutions, swaps, then the rarer kinds (extra, missing)."""
    import numpy as np

    if len(text) < 3:
        return []
    view = pairs or text_pairs(text, index)
    codes, han, hflags, pair_frequency, slips = view.codes, view.han, view.hflags, view.frequencies, view.slips
    table, words, size = index.pair_table, index.words, len(text)
    is_word = (hflags & WORD) != 0
    # strength[k]: dictionary frequency of the pair starting at k - 1 as a word (0 if none), inside
    # ``outer``, the same with one more zero at either end
    outer = np.zeros(size + 3, dtype=np.int32)
    strength = outer[1:size + 2]
    np.multiply(pair_frequency, is_word, out=strength[1:-1])
    # rival[k]: the stronger word that the pair starting at k forms with a neighbour's pair (k - 1, k + 1);
    # not a neighbour word that a stronger word overlaps on its far side (学习|惯彻: 习惯 is no rival,
    # the text reads 学习 there)
    left, right = strength[:-2], strength[2:]
    rival = left * (outer[:size - 1] <= left)
    np.maximum(rival, right * (outer[4:size + 3] <= right), out=rival)
    # sub and swap, vectorised (SLIP and REVERSED are never set on a word): where they start, dropped
    # where the written text already forms a word across the pair's edges as frequent as the correction
    # (no rival, or one below ``rivalry`` times the correction's frequency: for a whole number
    # ``near``, near == 0 or near < bar is near < max(bar, 1))
    subs = slips.nonzero()[0]
    targets = slips.take(subs)
    targets -= 1
    targets = table.take(targets, axis=0)  # the rows of the corrected words
    good = rival.take(subs) < np.maximum(rivalry * targets[:, FREQUENCY], 1)
    subs, target_keys = subs[good], targets[:, KEY][good]
    swaps = (hflags & REVERSED).nonzero()[0]  # the two differ: a pair read backwards is another pair
    reverse_frequency = pair_frequency.take(swaps)  # a REVERSED row holds its reverse's frequency
    swaps = swaps[(reverse_frequency >= min_frequency)
                  & (rival.take(swaps) < np.maximum(rivalry * reverse_frequency, 1))]
    # the rarer kinds, one place at a time: (start, length, frequency, correction, kind), in the
    # order extra, missing
    rare: list[tuple[int, int, int, str, str]] = []
    # a character next to its twin or to itself (pairs k, k + 1, both of Chinese characters): the
    # outer two of the three Chinese characters i, i + 1, i + 2 (i = k - 1 or k) may be the word
    twin = (hflags & TWIN) != 0
    twin |= view.double
    starts = (twin[:-1] & han[2:]) | (twin[1:] & han[:-2])  # i = k (k up to size - 3), i = k - 1 (k from 1)
    places = starts.nonzero()[0].tolist()
    made = [text[i] + text[i + 2] for i in places]
    for i, outer_word, score in zip(places, made, words.get_all(made)):
        if score >= min_frequency:
            rare.append((i, 3, score, outer_word, "extra"))
    _edge_echoes(text, index, min_frequency, (twin & ~is_word).nonzero()[0].tolist(), strength, rare)
    # a two-character word written twice (配合配合 → 配合); not numbers (一次一次)
    if size >= 4:
        alternate = codes[:-2] == codes[2:]  # alternate[i]: characters i and i + 2 are the same
        for i in (alternate[:-1] & alternate[1:]).nonzero()[0].tolist():
            if text[i] != text[i + 1] and (frequency := strength.item(i + 1)) >= min_frequency \
                    and text[i] not in NUMERALS and text[i:i + 4] not in words:
                rare.append((i, 4, frequency, text[i:i + 2], "extra"))
    # a dropped character: two characters (a GAP pair that is no word) or three (a GAP_HEAD pair
    # followed by a GAP_TAIL pair), all Chinese, that are a longer word with an inner character left out
    dropped = index.dropped
    for k in ((hflags & (GAP | WORD)) == GAP).nonzero()[0].tolist():
        if word := dropped.get(text[k:k + 2]):
            rare.append((k, 2, words.get(word, 0), word, "missing"))
    for k in ((hflags[:-1] << 2) & hflags[1:] & GAP_TAIL).nonzero()[0].tolist():  # GAP_HEAD << 2 == GAP_TAIL
        if word := dropped.get(text[k:k + 3]):
            rare.append((k, 3, words.get(word, 0), word, "missing"))
    found: list[Slip] = []
    if len(subs):  # a corrected word's key is its two characters' numbers
        id_text = index.id_text
        found += [Slip(i, i + 2, id_text[key >> 16] + id_text[key & 0xFFFF], "sub")
                  for i, key in zip(subs.tolist(), target_keys.tolist())]
    found += [Slip(i, i + 2, text[i + 1] + text[i], "swap") for i in swaps.tolist()]
    for i, length, frequency, correct, kind in rare:
        near = max(strength.item(i), strength.item(i + length))
        if near == 0 or near < rivalry * frequency:
            found.append(Slip(i, i + length, correct, kind))
    return found


def _edge_echoes(text: str, index: TypoIndex, min_frequency: int, alike: list[int], strength,
                 rare: list[tuple[int, int, int, str, str]]) -> None:
    """A character typed twice, or with a same-sound twin, at a word's edge (全会汇 → 全会,
    中心组组 → 中心组): the echo forms no word with its other neighbour (组织执法 is no 组织 with 执
    typed twice) and is no affix that makes a longer word (行政处罚法, 委机关). ``alike``: the
    pairs (k, k + 1) of alike characters that are no word; ``strength[k + 1]``: the frequency of
    the pair starting at k as a word. Adds (start, length, frequency, correction, "extra") to ``rare``."""
    def echoes(char: str, echo: str, affixes: frozenset[str]) -> bool:
        if echo in affixes:
            return False
        if echo == char:
            return True
        # a twin this frequent as a word of its own (负责人|任组长) is likelier that word than a double hit
        return same_reading(index, char, echo) and index.single.get(echo, 0) <= ECHO_SINGLE

    for k in alike:
        # a character typed twice makes no word of TAKEN frequency with its other neighbour; a
        # same-sound twin none at all (中试|示范, a rare word, is no 示 typed twice)
        char, echo = text[k], text[k + 1]
        bar = TAKEN if char == echo else 1
        # the word ends at k, the echo is k + 1; then the word starts at k + 1, the echo is k
        ends = strength.item(k + 2) < bar and echoes(char, echo, SUFFIXES)
        starts = strength.item(k) < bar and echoes(echo, char, PREFIXES)
        if not (ends or starts):
            continue
        for length in (2, 3):
            start = k - length + 1
            if ends and start >= 0:
                word = text[start:k + 1]
                frequency = index.words.get(word, 0)
                if frequency >= min_frequency:
                    rare.append((start, length + 1, frequency, word, "extra"))
            word = text[k + 1:k + 1 + length]
            if starts and len(word) == length:
                frequency = index.words.get(word, 0)
                if frequency >= min_frequency:
                    rare.append((k, length + 1, frequency, word, "extra"))


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
        return self._prefixes(text, keep)[-1]

    def _prefixes(self, text: str, keep: tuple[int, int] = (0, 0), known: list[float] | None = None,
                  inword: bytes | None = None) -> list[float]:
        """``best`` of every prefix of ``text`` (the empty one first); ``known``: those of its first
        prefixes, computed for another text that begins the same way (none of them inside ``keep``).
        ``inword`` (without ``known``): 1 for each pair of neighbours of ``text`` that occurs inside
        some dictionary word (``TextPairs.inword``); a word of 2-4 characters has no other pair, so
        no string with another is looked up (about half of them in running text)."""
        memo, logp = self.memo, self.logp
        best = [0.0] if known is None else known
        low, high = keep
        run = 3  # pairs right before i that occur in words (as many as a word of 4 characters has)
        for i in range(len(best), len(text) + 1):
            if inword is not None:
                run = run + 1 if i >= 2 and inword[i - 2] else 0
            if low < i < high:
                best.append(-1e18)
                continue
            # the last word is text[j:i], 1 to 4 characters (unrolled: this is the rule's inner loop;
            # the memo almost always knows the word, and a failed try costs nothing until it fails)
            top = -1e18
            word = text[i - 1:i]
            try:
                value = memo[word]
            except KeyError:
                value = logp(word)
            if value is not None and value + best[i - 1] > top:
                top = value + best[i - 1]
            if i >= 2 and run:
                word = text[i - 2:i]
                try:
                    value = memo[word]
                except KeyError:
                    value = logp(word)
                if value is not None and value + best[i - 2] > top:
                    top = value + best[i - 2]
                if i >= 3 and run >= 2:
                    word = text[i - 3:i]
                    try:
                        value = memo[word]
                    except KeyError:
                        value = logp(word)
                    if value is not None and value + best[i - 3] > top:
                        top = value + best[i - 3]
                    if i >= 4 and run >= 3:
                        word = text[i - 4:i]
                        try:
                            value = memo[word]
                        except KeyError:
                            value = logp(word)
                        if value is not None and value + best[i - 4] > top:
                            top = value + best[i - 4]
            best.append(top)
        return best

    def gain(self, text: str, slip: Slip, margin: int = 4, inword: bytes | None = None) -> float:
        """How much likelier the few characters around the slip read corrected than as written.
        ``inword``: the text's pairs that occur inside words (``TextPairs.inword``), if known."""
        low, high = max(0, slip.start - margin), min(len(text), slip.end + margin)
        at = slip.start - low
        written = self._prefixes(text[low:high], inword=None if inword is None else inword[low:high - 1])
        corrected = text[low:slip.start] + slip.correct + text[slip.end:high]
        # both read the same up to the slip: the written text's first prefixes are the corrected one's
        return self._prefixes(corrected, (at, at + len(slip.correct)), written[:at + 1])[-1] - written[-1]


class TextModel:
    """``SegmentModel.gain`` of many slips in one text, with the same values: the log-probabilities
    of the 1-4-character words ending at each place of the written text are looked up once (slips
    that share a window share them, and the corrected text reads them after the correction); only
    the few words that hold the whole correction are new strings. The best segmentations of the
    written text from each window's start are kept too (slips at one place share them)."""

    def __init__(self, model: SegmentModel, text: str, inword: bytes | None = None) -> None:
        self.model, self.text = model, text
        # 1 for each pair of neighbours that occurs inside some dictionary word (``TextPairs.inword``);
        # unknown: every pair may
        self.inword = inword if inword is not None else b"\x01" * max(0, len(text) - 1)
        # (log-probability of text[i - k:i] for k = 1 … 4, None where no word), filled on first need
        self._ends: list[tuple | None] = [None] * (len(text) + 1)
        self._written: dict[int, list[float]] = {}  # window start -> best of text[start:i], i = start, start + 1 …

    def _prefixes(self, low: int, high: int) -> list[float]:
        """Best of text[low:i] for i = low … high (at least; the list is kept and extended). The
        log-probabilities of the words text[i - k:i] (k = 1 … 4; None: no word) are looked up once
        per place; a string with a pair of neighbours that occurs inside no word is no word."""
        best = self._written.get(low)
        if best is None:
            best = self._written[low] = [0.0]
        text, inword, ends = self.text, self.inword, self._ends
        get, logp = self.model.memo.get, self.model.logp
        for i in range(low + len(best), high + 1):
            known = ends[i]
            if known is None:  # first need of this place (no log-probability is 0.0: 0.0 is "not looked up")
                word = text[i - 1]
                one = get(word, 0.0)
                if one == 0.0:
                    one = logp(word)
                two = three = four = None
                if i >= 2 and inword[i - 2]:
                    word = text[i - 2:i]
                    two = get(word, 0.0)
                    if two == 0.0:
                        two = logp(word)
                    if i >= 3 and inword[i - 3]:
                        word = text[i - 3:i]
                        three = get(word, 0.0)
                        if three == 0.0:
                            three = logp(word)
                        if i >= 4 and inword[i - 4]:
                            word = text[i - 4:i]
                            four = get(word, 0.0)
                            if four == 0.0:
                                four = logp(word)
                ends[i] = (one, two, three, four)
            else:
                one, two, three, four = known
            r = i - low
            top = one + best[r - 1]  # a single character is always a word
            if two is not None and r >= 2:
                value = two + best[r - 2]
                if value > top:
                    top = value
            if three is not None and r >= 3:
                value = three + best[r - 3]
                if value > top:
                    top = value
            if four is not None and r >= 4:
                value = four + best[r - 4]
                if value > top:
                    top = value
            best.append(top)
        return best

    def gain(self, slip: Slip, margin: int = 4) -> float:
        """``SegmentModel.gain(text, slip, margin, inword)``, the same value."""
        text, ends, inword = self.text, self._ends, self.inword
        start, end, correct = slip.start, slip.end, slip.correct
        low, high = max(0, start - margin), min(len(text), end + margin)
        written = self._prefixes(low, high)
        at, size = start - low, len(correct)
        # the corrected text's best prefixes: the written ones up to the slip; none inside the
        # correction (kept whole; a word that starts inside it never wins: -1e18 plus a
        # log-probability is -1e18); after it, the written text's words, and words holding the whole
        # correction with s characters before it and t after it (of at most 4 characters; one with
        # a pair of the written text that occurs in no word is none)
        best = written[:at + 1]
        if size > 1:
            best += _INSIDE[size]
        get, logp = self.model.memo.get, self.model.logp
        spare = 4 - size  # characters a word holding the correction adds to it
        before = min(at, spare) if spare < 2 or at < 2 or inword[start - 2] else 1
        heads = [correct] + [text[start - s:start] + correct for s in range(1, before + 1)]
        for t in range(high - end + 1):
            q = at + size + t
            top = -1e18
            if t:
                one, two, three, four = ends[end + t]  # looked up by _prefixes
                top = one + best[q - 1]
                if two is not None and t >= 2:
                    value = two + best[q - 2]
                    if value > top:
                        top = value
                if three is not None and t >= 3:
                    value = three + best[q - 3]
                    if value > top:
                        top = value
                if four is not None and t >= 4:
                    value = four + best[q - 4]
                    if value > top:
                        top = value
            if t <= spare and (t < 2 or inword[end]):
                tail = text[end:end + t]
                for s in range(min(before, spare - t) + 1):
                    word = heads[s] + tail if t else heads[s]
                    value = get(word, 0.0)
                    if value == 0.0:
                        value = logp(word)
                    if value is not None:
                        value += best[at - s]
                        if value > top:
                            top = value
            best.append(top)
        return best[-1] - written[high - low]


_INSIDE = {size: (-1e18,) * (size - 1) for size in range(2, 5)}  # the corrected prefixes inside a correction


def implausible(text: str, slip: Slip, index: TypoIndex) -> bool:
    """A numeral taken for a slip (分七期 is not 分期 with 七 typed twice: numbers are content), a
    function character of formal writing or 的/地/得 taken for a mistyped one (党的二十届 is not 第二,
    报告会暨学习会 no 会计; 的/地/得 belong to the ``usage`` rules; other frequent characters are what an
    input method offers first: 对伍 → 队伍, 组只 → 组织), one of the most frequent function characters
    taken for an extra one, a "dropped" character that stands right beside the span (矛盾纷纠, 管放服: a swap), a
    span right after a number (318件建议: a measure word), a measure word said twice after 一
    (一份份) or a light verb after a word ending in it (工作|作经验交流)."""
    written, single = text[slip.start:slip.end], index.single
    if slip.kind in ("sub", "extra") and after_number(text, slip.start):
        return True
    if slip.kind == "sub":
        for c, d in zip(written, slip.correct):
            if c != d and c in _NEVER_TYPED:
                return True
        return False
    if slip.kind == "extra":
        removed = odd_char(written, slip.correct)
        if removed in NUMERALS or single.get(removed, 0) > FUNCTION_FREQUENCY:
            return True
        twice = written.find(removed + removed)
        if twice < 0:
            return False
        # a light verb after a word that ends in it, before its object (工作|作经验交流, 工作|作了汇报)
        if removed in LIGHT_VERBS and written.endswith(removed + removed) and \
                (text[slip.end:slip.end + 1] == "了" or index.words.get(text[slip.end:slip.end + 2], 0) >= TAKEN):
            return True
        # a measure word said twice after 一 (一份份, 一项项; not 第一|责责任人) is written on purpose
        at = slip.start + twice
        return at > 0 and text[at - 1] in "一两几" and text[max(0, at - 2):at] not in index.words
    if slip.kind == "missing":
        return odd_char(slip.correct, written) in text[max(0, slip.start - 1):slip.start] + text[slip.end:slip.end + 1]
    return False


def after_number(text: str, start: int) -> bool:
    """The span starts right after a number (318件建议, 3.1万羽, 58万剂次): a measure word or a unit
    stands there, an open class of its own."""
    at = start - 1
    if at >= 0 and text[at] in "万千百亿余多":
        at -= 1
    return at >= 0 and text[at].isdigit()


def odd_char(longer: str, shorter: str) -> str:
    """The character of ``longer`` that ``shorter`` (``longer`` with one character left out) lacks."""
    for i, char in enumerate(shorter):
        if longer[i] != char:
            return longer[i]
    return longer[-1]


def same_reading(index: TypoIndex, a: str, b: str) -> bool:
    """Two characters with the same usual reading (转/传; not 凝/疑, although 疑 has a rare reading
    níng): what a pinyin input method types for one another."""
    usual = index.primary.get(a)
    return bool(usual) and usual == index.primary.get(b)


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
    return evidence(model.gain(text, slip), used, takes_a_word(text, slip, model.index.words), weights)


def evidence(gain: float, used: bool, taken: bool, weights: Weights) -> float:
    """``score`` from its parts: the model's gain, the corrected form used elsewhere, the correction
    taking a character from a word on its other side."""
    value = gain
    if used:
        value += weights.used_bonus
    if taken:
        value -= weights.taken_penalty
    return value
