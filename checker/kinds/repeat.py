"""repeats — a paragraph or a long sentence that occurs twice in one report.

Paragraphs (lines) and sentences (ended by 。！？；) of the body are compared after dropping
whitespace and punctuation, so a copy with other spaces or marks still counts, and so does a
near copy (a character or two changed, the numbers the same). A later paragraph
equal to an earlier one is one finding; otherwise each later sentence (runs of neighbouring
sentences are one finding) equal to an earlier sentence. Only text of at least ``min_chars``
characters counts (short boilerplate such as “特此报告” may recur), except a sentence written
twice in a row (二是明确工作目标。二是明确工作目标。), reported from ``min_line_chars``; the title (a web page shows it
twice: as page title and as document title, with page chrome between), headings, page chrome and
the closing block are left out. A line written twice in a row, with nothing but blank lines
between (a title pasted twice), is reported whatever it is.

Options:
  min_chars     the shortest paragraph or sentence (characters, punctuation and spaces not
                counted) that may not repeat (default 30)
  min_line_chars  a line written twice in a row (only blank lines between; the title too), or a
                sentence written twice in a row, is reported from this length on (default 12);
                table rows (with | or tabs) are not
  max_findings  at most this many findings per document (default 10)
  similarity    a paragraph or sentence this similar to an earlier one (normalised Levenshtein,
                0.5-1) is a near copy and counts as a repeat, unless their numbers differ
                (default 0.95: one character in 20; 1 turns near copies off)

Placeholders: {first} (line of the earlier occurrence), {what} (段落 or 句子), {excerpt} (the
start of the repeated text).

Passing: two paragraphs that share a phrase but differ in their sentences.
Failing: ``注重矛盾纠纷排查梳理工作，抓早、抓小，严防各类纠纷激化和升级。`` twice in the report.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterator
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from checker.context import Context
from checker.kinds._text import in_spans, rule_scope, skipped_lines
from checker.packs import Rule
from checker.result import Finding

# Proofreading: not run on lines read by OCR (recognition errors are not the writer's).
PROOFREADS = True

OPTIONS = {
    "min_chars": (int, 30),
    "min_line_chars": (int, 12),
    "max_findings": (int, 10),
    "similarity": (float, 0.95),
}

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
# what is not compared: spaces and punctuation of either width
_NOT_TEXT = re.compile(r"[\s\u3000\xa0，。、；：？！“”‘’（）《》【】〔〕…—·,.;:?!\"'()\[\]<>\-]+")
_MARKS = frozenset("，。、；：？！“”‘’（）《》【】〔〕…—·,.;:?!\"'()[]<>-")  # what _NOT_TEXT drops besides white space


def validate(options: dict) -> dict:
    if options["min_line_chars"] < 2:
        raise ValueError("min_line_chars 应不小于 2")
    if options["min_chars"] < 8:
        raise ValueError("min_chars 应不小于 8")
    if options["max_findings"] < 1:
        raise ValueError("max_findings 应为正整数")
    if not 0.5 <= options["similarity"] <= 1:
        raise ValueError("similarity 应在 0.5 到 1 之间")
    return options


def _key(text: str) -> str:
    return _NOT_TEXT.sub("", text)


class _Keys:
    """The key (`_key`) of every span of one text, from one pass over it: the text without what
    `_NOT_TEXT` drops, and where each offset of the text falls in it. A span's key is then a
    slice (a repeat check keys every paragraph and sentence of a report)."""

    def __init__(self, text: str) -> None:
        import numpy as np  # imported on first use: loading a pack must stay light

        self.text = text
        try:
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        except UnicodeEncodeError:  # a lone surrogate (documents have none): key each span itself
            self.kept, self.at = None, []
            return
        # no character beyond U+FFFF is dropped, nor U+FFFF itself
        kept = _kept_table().take(np.minimum(codes, 0xFFFF))
        self.kept = codes[kept].tobytes().decode("utf-32-le")
        at = np.zeros(len(codes) + 1, dtype=np.int64)
        at[1:] = kept
        # read through a memoryview: a span's two look-ups cost less than making a list of them all
        self.at: memoryview | list[int] = memoryview(at.cumsum(out=at))

    def of(self, start: int, end: int) -> str:
        """The key of ``text[start:end]``."""
        if self.kept is None:
            return _key(self.text[start:end])
        at = self.at
        return self.kept[at[start]:at[end]]


# Every character white space is (``str.isspace``, what ``\s`` matches): with _MARKS, what _NOT_TEXT
# drops (tests/test_properties.py checks both over all of Unicode).
_SPACES = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
           "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


@lru_cache(maxsize=1)
def _dropped_table():
    """For each code point of the Basic Multilingual Plane, whether `_NOT_TEXT` drops it."""
    import numpy as np

    table = np.zeros(0x10000, dtype=bool)
    table[[ord(char) for char in _SPACES + "".join(_MARKS)]] = True
    return table


@lru_cache(maxsize=1)
def _kept_table():
    """For each code point of the Basic Multilingual Plane, whether `_NOT_TEXT` keeps it."""
    return ~_dropped_table()


def check(ctx: Context, rule: Rule) -> Iterator[Finding]:
    scope = rule_scope(ctx, rule)
    if scope is None:
        return
    document = ctx.document
    text = document.text
    minimum = rule.options["min_chars"]
    doubled = min(minimum, rule.options["min_line_chars"])
    skipped = skipped_lines(ctx, headings=False)
    # a heading at a line start: the paragraph is compared from the end of the heading on
    heading_end = {h.line: h.end for h in document.outline.headings if not h.inline}
    title = document.outline.title
    title_key = _key(title.text) if title is not None else ""
    keys = _Keys(text)  # shared with the doubled-line check
    paragraphs: dict[str, int] = {}  # key -> line of first occurrence
    sentences: dict[str, int] = {}
    similarity = rule.options["similarity"]
    near_paragraphs, near_sentences = _Earlier(similarity), _Earlier(similarity)
    found: list[tuple[int, int, int, str]] = []  # start, end, first line, what
    # the whole text of a body-wide rule: the opening paragraph before the body counts too
    begin = 0 if rule.scope in (None, "body") else scope.start
    position = begin
    first_line, _ = document.position(begin)
    for line, raw in enumerate(text[begin:scope.end].split("\n"), start=first_line):
        line_start, position = position, position + len(raw) + 1
        if len(raw) < minimum or in_spans(line_start, skipped):
            continue
        if line in heading_end:
            cut = max(0, min(heading_end[line] - line_start, len(raw)))
            line_start, raw = line_start + cut, raw[cut:]
        key = keys.of(line_start, line_start + len(raw))
        if len(key) < minimum or (title_key and (key in title_key or title_key in key) and len(key) < 2 * len(title_key)):
            continue
        first = paragraphs.get(key) or near_paragraphs.find(key)
        if first:
            lead = len(raw) - len(raw.lstrip())
            found.append((line_start + lead, line_start + len(raw.rstrip()), first, "段落"))
            continue
        paragraphs[key] = line
        near_paragraphs.add(key, line)
        run: tuple[int, int, int] | None = None  # a run of neighbouring repeated sentences
        previous_key = ""  # the sentence just before: one written twice in a row counts from min_line_chars
        for match in _SENTENCE.finditer(raw):
            if len(match.group()) < doubled:
                previous_key = ""
                continue
            sentence_key = keys.of(line_start + match.start(), line_start + match.end())
            written_twice = sentence_key == previous_key and len(sentence_key) >= doubled
            previous_key = sentence_key
            if len(sentence_key) < minimum and not written_twice:
                continue
            start = line_start + match.start() + (len(match.group()) - len(match.group().lstrip()))
            end = line_start + match.end()
            first = line if written_twice else sentences.get(sentence_key) or near_sentences.find(sentence_key)
            if first:
                if run is not None and run[1] >= start - 1:
                    run = (run[0], end, run[2])
                else:
                    if run is not None:
                        found.append((*run, "句子"))
                    run = (start, end, first)
            else:
                sentences[sentence_key] = line
                near_sentences.add(sentence_key, line)
                if run is not None:
                    found.append((*run, "句子"))
                    run = None
        if run is not None:
            found.append((*run, "句子"))
    found += _doubled_lines(ctx, rule.options["min_line_chars"], keys)
    found.sort()
    reported: list[tuple[int, int]] = []
    for start, end, first, what in found[: rule.options["max_findings"]]:
        if any(a < end and start < b for a, b in reported):
            continue
        reported.append((start, end))
        excerpt = text[start:end]
        excerpt = excerpt if len(excerpt) <= 24 else excerpt[:22] + "……"
        yield ctx.finding(rule, start, end, first=first, what=what, excerpt=excerpt)


class _Earlier:
    """Earlier paragraphs (or sentences), by length, for finding a near copy: one that differs in
    a character or two (a copy edited after pasting, a slip in one of the two) but not in its
    numbers (全年办结5件 / 全年办结6件 are two facts)."""

    CANDIDATES = 64  # comparisons per look-up at most: a long document stays linear

    def __init__(self, similarity: float) -> None:
        self.similarity = similarity
        self.by_length: dict[int, list[tuple[str, int]]] = {}
        self.lengths: list[int] = []  # the lengths in by_length, in order

    def add(self, key: str, line: int) -> None:
        same = self.by_length.get(len(key))
        if same is None:
            self.by_length[len(key)] = same = []
            insort(self.lengths, len(key))
        same.append((key, line))

    def find(self, key: str) -> int | None:
        if self.similarity >= 1 or not self.lengths:
            return None
        similarity, by_length, lengths = self.similarity, self.by_length, self.lengths
        slack = int(len(key) * (1 - similarity)) + 1
        compared = 0
        digits = None  # the key's numbers, read when a near copy is found
        # the lengths within the slack that have earlier keys, shortest first
        at, longest = bisect_left(lengths, len(key) - slack), len(key) + slack
        while at < len(lengths) and lengths[at] <= longest:
            for other, line in by_length[lengths[at]]:
                compared += 1
                if compared > self.CANDIDATES:
                    return None
                if Levenshtein.normalized_similarity(key, other, score_cutoff=similarity):
                    digits = _DIGITS.findall(key) if digits is None else digits
                    if _DIGITS.findall(other) == digits:
                        return line
            at += 1
        return None


_DIGITS = re.compile(r"[0-9０-９]+|[一二三四五六七八九十百千万]+")


def _doubled_lines(ctx: Context, minimum: int, keys: _Keys) -> list[tuple[int, int, int, str]]:
    """A line equal to the line before it (blank lines between do not count), anywhere in the text:
    a title pasted twice is as much a slip as a paragraph."""
    text = ctx.document.text
    out = []
    previous: tuple[str, int, int] | None = None  # the last non-blank line as written, its number and start
    position = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line_start, position = position, position + len(raw) + 1
        if len(raw) < minimum or not raw.strip():
            if raw.strip():
                previous = None
            continue
        if "|" in raw or "\t" in raw:  # a table row: cells may repeat
            previous = None
            continue
        # two lines whose keys begin with different characters differ: most lines, told apart
        # without their keys
        if previous is not None and _first_kept(raw) == _first_kept(previous[0]) != "":
            key = keys.of(line_start, line_start + len(raw))
            if key and key == keys.of(previous[2], previous[2] + len(previous[0])) and len(key) >= minimum:
                lead = len(raw) - len(raw.lstrip())
                out.append((line_start + lead, line_start + len(raw.rstrip()), previous[1], "行"))
        previous = (raw, number, line_start)
    return out


def _first_kept(raw: str) -> str:
    """The first character of the line's key (what `_NOT_TEXT` leaves), '' if none."""
    for char in raw:
        if not (char.isspace() or char in _MARKS):
            return char
    return ""
