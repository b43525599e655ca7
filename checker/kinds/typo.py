"""typo — a character sequence that is no word, but becomes a common word with one slip undone.

Judged against real data, not a list of errors: jieba's dictionary (about 350,000 words with
frequencies), pinyin (pypinyin), a table of similar-shape characters
(``rules/data/confusables.yaml``) and the genre's own vocabulary (``rules/data/phrases.yaml``).

One cheap pass finds the suspicious spots: a Chinese character that forms no dictionary word with
either neighbour (neither pair of characters occurs inside any word). Characters that are words
on their own and common (的, 是, 在, 对 …, see ``max_single``) are never suspects. Only these few
spots are then verified; a finding needs strong evidence, one of:

  * sound or shape: the character replaced by a same-sound or similar-shape character makes a
    frequent word with a neighbour (``踪合`` → 综合, ``办政`` → 办证, ``间题`` → 问题);
  * extra character: without it, its neighbours make a frequent word (``硬影件`` → 硬件);
  * swapped characters: the two in the other order make a frequent word (``评好`` → 好评);
  * missing character: one character put back makes a frequent word of 3–4 characters
    (``矛盾纷`` → 矛盾纠纷).

The corrected word must be at least ``min_frequency`` in the dictionary (or a word of the genre),
the written form must not be a word, and when two corrections compete the stronger must be
clearly stronger; otherwise the rule stays silent. Never checked: names in the dictionary, text
in 《…》 (the ``lexicon`` rules) and in quotation marks, numbers, dates, ASCII, and a spot next to a
place-name suffix (镇、乡、村、街道、社区、县、区、市、局 …), where an unknown local name is likelier
than a typo. ``words`` (and the ``words`` key of ``.checker.yaml``) is a user dictionary: a word
listed there is right as written, for good.

The dictionaries are read on first use, once per process, from a disk cache (built once, about
2 s; ``CHECKER_CACHE_DIR`` or the user cache directory).

Options:
  words          list of words that are right as written (a user dictionary)
  min_frequency  least dictionary frequency of the corrected word (default 300)
  max_single     a character more frequent than this as a one-character word is never a suspect
                 (default 20000)
  max_findings   at most this many findings per document (default 20)

Placeholders: {found} (as written), {correct} (the corrected text), {problem} (in Chinese).

Passing: ``深入推进综合行政执法改革，在便民服务中心设立办证窗口``.
Failing: ``深入推进踪合行政执法改革``; ``设立办政窗口``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from checker.context import Context
from checker.kinds._text import prepared, rule_scope
from checker.kinds._typo_index import TypoIndex, typo_index
from checker.model.normalize import fold
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "words": (list, []),
    "min_frequency": (int, 300),
    "max_single": (int, 5000),
    "max_findings": (int, 20),
}

_QUOTED = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,80}”|\"[^\"\n]{0,80}\"|「[^「」\n]{0,80}」")
# a spot this close before one of these characters may be part of a local name
_NAME_SUFFIXES = set("镇乡村县区市省州旗局委办街路巷屯寨组庄湾坪坝岭沟河溪山桥港")
_PARTNER_MAX = 100000  # see _corrections
# function characters of formal writing, rare in the dictionary's general text: never suspects
_FORMAL = set("暨系兹该均亦乃之其予于及并或即")
_TAKEN = 50  # a neighbour pair this frequent as a word keeps its character
_MARGIN = 2.0  # the best correction must be this many times as frequent as the next
# a name usually follows a title or is followed by what people do in reports
_NAME_BEFORE = ("书记", "省长", "市长", "县长", "区长", "镇长", "乡长", "主任", "局长", "部长", "厅长", "处长",
                "科长", "所长", "院长", "主席", "委员", "总理", "同志", "代表", "组长", "队长", "支书")
_NAME_AFTER = ("同志", "强调", "指出", "表示", "要求", "书记", "主任", "局长")


@dataclass(frozen=True)
class Options:
    words: frozenset[str]
    min_frequency: int
    max_single: int


def prepare(options: dict) -> Options:
    words = options.get("words") or []
    if not all(isinstance(w, str) and w for w in words):
        raise ValueError("words 应为非空字符串的列表")
    return Options(frozenset(fold(w) for w in words), options["min_frequency"], options["max_single"])


def validate(options: dict) -> dict:
    if options["min_frequency"] < 1:
        raise ValueError("min_frequency 应为正整数")
    prepare(options)
    return options


def warm(rule: Rule) -> None:
    """Load the index before the first document (batch workers call this at start)."""
    typo_index()


def suspects(text: str, index: TypoIndex):
    """Positions of Chinese characters that form no dictionary word with either neighbour, and
    for every pair of neighbouring characters whether it occurs inside a word (NumPy arrays)."""
    import numpy as np  # imported on first use: loading a pack must stay light

    if len(text) < 3:
        return np.empty(0, dtype=np.int64), np.zeros(0, dtype=bool)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    pairs = (codes[:-1] << np.uint64(32)) | codes[1:]
    at = np.searchsorted(index.inword, pairs)
    at[at >= len(index.inword)] = 0
    inword = index.inword[at] == pairs
    han = (codes >= 0x4E00) & (codes <= 0x9FFF)
    covered = np.zeros(len(codes), dtype=bool)
    covered[:-1] |= inword
    covered[1:] |= inword
    lonely = np.flatnonzero(han & ~covered)
    return lonely[(lonely > 0) & (lonely < len(text) - 1)], inword


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _corrections(text: str, p: int, index: TypoIndex, options: Options,
                 covered_left: bool, covered_right: bool) -> list[tuple[int, int, int, str, str]]:
    """(frequency, start, end, corrected text, problem) for the slips that explain spot ``p``.

    ``covered_left`` / ``covered_right``: the left / right neighbour already forms a word with
    the character on its far side (a correction must not take it from that word)."""
    words, found = index.words, []
    char, left, right = text[p], text[p - 1], text[p + 1]
    confusables = index.confusables

    def frequent(word: str) -> int:
        frequency = words.get(word, 0)
        return frequency if frequency >= options.min_frequency and not words.is_name(word) else 0

    # a correction pairing the character with a neighbour that is a common word on its own
    # (为, 是, 的 …) is weak evidence: 宣传屏|为 is not 评为
    left_free = not covered_left and index.single.get(left, 0) <= _PARTNER_MAX
    right_free = not covered_right and index.single.get(right, 0) <= _PARTNER_MAX
    for other in confusables.get(char, ""):
        for start, word, free in ((p - 1, left + other, left_free), (p, other + right, right_free)):
            if free and _han(word[0]) and _han(word[1]) and (score := frequent(word)):
                found.append((score, start, start + 2, word, f"「{text[start:start + 2]}」疑似「{word}」的错字"))
    # an extra character typed with the same sound as a neighbour (硬影件) or twice (始始终)
    if _han(left) and _han(right) and (char in (left, right) or char in confusables.get(left, "")
                                       or char in confusables.get(right, "")):
        if (score := frequent(left + right)) and text[p - 1:p + 2] not in words:
            found.append((score, p - 1, p + 2, left + right, f"「{text[p - 1:p + 2]}」疑似多了「{char}」字"))
    for start, taken in ((p - 1, covered_left), (p, covered_right)):
        pair = text[start:start + 2]
        if not taken and _han(pair[0]) and _han(pair[1]) and pair not in words and (score := frequent(pair[::-1])):
            found.append((score, start, start + 2, pair[::-1], f"「{pair}」疑似「{pair[::-1]}」的字序颠倒"))
    for start in (p - 2, p - 1, p):
        if start < 0:
            continue
        key = text[start:start + 3]
        word = index.dropped.get(key)
        if word and all(map(_han, key)) and (score := frequent(word)):
            found.append((score, start, start + 3, word, f"「{key}」疑似「{word}」少了一个字"))
    return found


def _near_name(text: str, p: int) -> bool:
    """Within a name's length after a title (书记应勇) or before 同志/强调…: likely a person's name."""
    if any(text.endswith(title, 0, p - k) for k in (0, 1, 2) for title in _NAME_BEFORE):
        return True
    return any(text.startswith(word, p + k) for k in (1, 2, 3) for word in _NAME_AFTER)


def _parallel(text: str, p: int) -> bool:
    """Inside a parallel four-character expression (学深学透, 走深走实, 常思常新): A?A? or ?B?B."""
    return any(text[j] == text[j + 2] and _han(text[j]) for j in range(max(0, p - 3), min(len(text) - 2, p + 2)))


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    options: Options = prepared(rule, prepare)
    index = typo_index()
    text = scope.text
    norm = ctx.document.norm
    spots, inword = suspects(text, index)
    if not len(spots):
        return
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    user = [(m.start(), m.start() + len(w)) for w in options.words for m in re.finditer(re.escape(w), text)]
    single = index.single
    last_end = -1
    count = 0
    for p in spots.tolist():
        if p < last_end or single.get(text[p], 0) > options.max_single or text[p] in _FORMAL:
            continue
        if any(ch in _NAME_SUFFIXES for ch in text[p + 1:p + 3]) or _near_name(text, p) or _parallel(text, p):
            continue
        # a neighbour already forms a word with the character on its far side (合|行政 does not)
        words = index.words
        candidates = _corrections(text, p, index, options, words.get(text[p - 2:p], 0) >= _TAKEN,
                                  words.get(text[p + 1:p + 3], 0) >= _TAKEN)
        if not candidates:
            continue
        candidates.sort(reverse=True)
        best = candidates[0]
        if len(candidates) > 1 and candidates[1][3] != best[3] and candidates[1][0] * _MARGIN > best[0]:
            continue  # two corrections compete: not sure enough
        _, start, end, correct, problem = best
        if any(s < end and start < e for s, e in quoted + user):
            continue
        if count >= rule.options["max_findings"]:
            return
        count += 1
        last_end = end
        orig_start, orig_end = scope.orig(start, end, norm)
        yield ctx.finding(rule, orig_start, orig_end, found=text[start:end], correct=correct, problem=problem)
