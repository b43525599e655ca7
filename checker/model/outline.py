"""The outline of a report: title, addressee, closing block, web boilerplate, headings, years.

Everything is found on the normalised text (full-width brackets folded, traditional characters
simplified) and reported with offsets into the original text.

Heading levels follow the standard hierarchy of Chinese official documents (GB/T 9704):
level 1 ``一、`` (or ``第一部分``), level 2 ``（一）``, level 3 ``1.``/``1、``, level 4 ``（1）``. A heading may stand at
the start of a line, or inline in a run-on paragraph whose line breaks were lost; its number
may be broken (``()强化领导``) or garbled (``一,、``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from checker.model import dates as page_dates
from checker.model.dates import DateMark
from checker.model.normalize import NormalizedText
from checker.model.records import record

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "0": "0", "一": "1", "二": "2", "三": "3",
               "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

LEVEL_OF_STYLE = {"cn": 1, "paren-cn": 2, "arabic": 3, "paren-arabic": 4}

# A numbering marker at the current position; groups tell the style.
_MARKER = re.compile(
    r"(?P<cn>[一二三四五六七八九十]{1,3})[ ]?[、,.](?:[ ]?[、,.])*"
    r"|第(?P<part>[一二三四五六七八九十]{1,3})(?:部分|章)[、,.:]?"
    r"|\([ ]?(?P<pcn>[一二三四五六七八九十]{0,3})[ ]?\)[、,.]?"
    r"|(?P<ar>\d{1,2})[ ]?[、.](?![\d%])"
    r"|\([ ]?(?P<par>\d{1,2})[ ]?\)[、.]?"
)
# Where an inline heading may begin: after a sentence end or a run of spaces. The match is the
# marker's first character (match.start() is the place). The definition: the outline uses the
# equivalent `_inline_starts` (tests/test_properties.py compares them).
_INLINE_START = re.compile(r"[一二三四五六七八九十(\d](?:(?<=[。;!?:|].)|(?<=[。;!?:|] .)|(?<=[^ ] .))")
# `_inline_starts` finds _INLINE_START's matches from the character before each (fewer and
# literal): a sentence end, or a space after something else than a space.
_INLINE_AFTER = "。;!?:|"
_INLINE_FIRST = frozenset("一二三四五六七八九十(")  # and decimal digits (\d)
_LEAD = re.compile(r"[\s|•·]*")  # what may precede a line's first marker
# The first character of a line with a lead or a marker, besides spaces and digits.
_MARKER_FIRST = frozenset("|•·一二三四五六七八九十第(")
_TERMINATORS = "。;!?:"  # where a heading's text ends
_RUN_ON_LENGTH = 300
_MAX_HEADING = 80
# A real report has a few hundred headings; a text with far more (a pasted table of numbers,
# hostile input) keeps only the first MAX_HEADINGS, so time and memory stay bounded. Every other
# pass over a line is linear in its length (tests/test_robustness.py proves it on long lines).
MAX_HEADINGS = 2000

# Web page furniture: a line that starts with one of these phrases (in folded text) is boilerplate.
_BOILERPLATE_PHRASES = (
    "回到首页", "返回首页", "网站首页", "首页",
    *(you + now + of + "位置" + mark for you in ("", "您", "你") for now in ("", "当前", "现在") for of in ("", "的", "所在")
      for mark in ":>"),
    "打印本页", "关闭窗口", "[打印本页", "[关闭窗口", "打印", "【打印", "关闭", "【关闭", "分享到", "无障碍", "简体", "繁体",
    "字号", "字体", "【字体", "索引号", "发布机构", "发布单位", "发文机关", "发文字号", "成文日期", "发布日期", "发布时间",
    "公开方式", "公开范围", "公开时限", "主题分类", "文号", "文件编号", "信息来源", "来源", "浏览次数", "访问次数", "点击数",
    "阅读次数", "作者", "责任编辑", "编辑", "扫一扫", "相关链接", "上一篇", "下一篇",
)


def _by_first_character(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The phrases grouped by their first character: a line is compared only with its group."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        groups.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(group) for first, group in groups.items()}


_BOILERPLATE_BY_FIRST = _by_first_character(_BOILERPLATE_PHRASES)
_WEEKDAY_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*星期")
# "— 3 —", "-12-": the dash/space runs are one class each, so matching stays linear on long lines.
_PAGE_NUMBER = re.compile(r"^[—\-\s]*\d{1,3}[—\-\s]*$")
_ONLY_PUNCT = re.compile(r"^[|\s•·*#=~_\-—]*$")
# _ONLY_PUNCT or _PAGE_NUMBER in one match.
_PUNCT_OR_PAGE_NUMBER = re.compile(rf"(?:{_ONLY_PUNCT.pattern})|(?:{_PAGE_NUMBER.pattern})")
_DATE_LINE = re.compile(
    r"^(?P<date>(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})[ ]?年[ ]?[0-9一二三四五六七八九十]{1,3}[ ]?月"
    r"[ ]?[0-9一二三四五六七八九十]{1,3}[ ]?日)$"
)
_DATE_TEXT = (r"(?:(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})[ ]?年[ ]?[0-9一二三四五六七八九十]{1,3}[ ]?月"
              r"[ ]?[0-9一二三四五六七八九十]{1,3}[ ]?日")
_ISSUER_DATE_LINE = re.compile(rf"^(?P<issuer>[^\s。,;:、|]{{2,30}}?)[ ]+(?P<date>{_DATE_TEXT})$")
_BRACKET_NOTE = re.compile(r"^[(（][^()（）]{1,30}[)）]$")
# A year not preceded by a digit: the look-behind follows "19"/"20" (and spans them), so the regex
# engine skips ahead in C to the characters a year can start with (a leading look-behind is tried
# at every character: 3x slower on a report's opening).
_YEAR = re.compile(r"(?P<year>(?:19|20)(?<!\d..)\d{2})[ ]?年|(?P<cnyear>[〇零○O0一二三四五六七八九]{4})年")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}[ ]?年?[ ]?[—\-~至到]+[ ]?(?:19|20)\d{2}[ ]?年?")
_CITATION = re.compile(r"《[^《》\n]{0,80}》")
# A covering letter's title: 关于报送《…报告》的报告 / 的函; the report's own title follows the letter.
_COVERING = re.compile(r"报送|呈报|上报|报请|转报|提交")
# A title that runs straight into the body on one line (line breaks lost): …法治政府建设…报告2023年，…
_RUN_IN_TITLE = re.compile(r"^[ |]*(?P<title>[^。:;,!?|>»]{2,50}?(?:法治政府|依法行政|法治建设)[^。:;,!?|>»]{0,24}?报告)"
                           r"(?=[^。:;,!?|)]{0,40}[。,:])")
# The first half of a title split over two lines: an issuer ("某市某区人民政府") above "关于…的报告".
_ISSUER_END = re.compile(r"(?:政府|办事处|委员会|局|厅|委|办公室|镇|乡|街道|区|县|市|部|院|署|中心|管委会)$")
_ATTACHMENT = re.compile(r"附件\s*\d*\s*[:：]")
_LINE_PUNCT = re.compile(r"[。,;:!?、]")
_CLOSING_STOP = re.compile(r"[。,;:、]")  # punctuation no issuer line of a closing block has
_PLUS_ONE = (1).__add__
_FULLWIDTH_MARKS = frozenset("（），．")  # in a marker as written: a full-width heading number


@dataclass(frozen=True)
class Line:
    """A recognised line (title, addressee, closing line, boilerplate) with its place."""

    text: str
    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Heading:
    """A numbered (or format-hinted) heading found in the body."""

    level: int
    style: str  # cn | paren-cn | arabic | paren-arabic | hint
    number: int | None  # None where the number is missing or unreadable: "()强化领导"
    marker: str  # the marker as written
    text: str  # the heading text as written, marker excluded
    key: str  # the folded heading text, for matching
    key_start: int  # offset of `key` in the folded (normalised) text
    start: int  # original offsets of marker + text
    end: int
    text_start: int
    line: int
    column: int
    inline: bool  # found inside a run-on paragraph, not at a line start
    fullwidth: bool  # brackets or separator written full-width


@dataclass(frozen=True)
class YearEvidence:
    year: int
    source: str  # title | opening | heading | closing
    start: int
    end: int
    line: int


@dataclass
class Outline:
    title: Line | None
    addressee: Line | None
    closing: list[Line]
    boilerplate: list[Line]
    body: tuple[int, int]
    headings: list[Heading]
    years: list[YearEvidence]
    report_year: int | None
    # Dates by kind (发布时间 / 成文日期 / 落款日期), as written; see checker.model.dates.
    dates: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # limits hit while building, for the user
    published: DateMark | None = None  # the earliest credible publication date
    document_date: DateMark | None = None  # 成文日期
    signed: DateMark | None = None  # the date of the closing block (落款)
    issuer: str | None = None  # the issuer named in the closing block, lines joined by "、"
    publisher: str | None = None  # the publishing body the page header names (发布机构 / 来源)
    date_marks: list[DateMark] = field(default_factory=list)  # every date read, credible or not

    @property
    def top_level(self) -> int | None:
        return min((h.level for h in self.headings), default=None)

    def top_headings(self) -> list[Heading]:
        top = self.top_level
        return [h for h in self.headings if h.level == top]


def parse_number(style: str, digits: str) -> int | None:
    """The integer value of a marker's number, or None if missing/unreadable."""
    if not digits:
        return None
    if style in ("arabic", "paren-arabic"):
        return int(digits)
    if len(digits) == 1:
        return CN_DIGITS.get(digits)
    if digits[0] == "十":
        return 10 + CN_DIGITS.get(digits[1], 0) if len(digits) == 2 else None
    if len(digits) == 2 and digits[1] == "十":
        return CN_DIGITS[digits[0]] * 10
    if len(digits) == 3 and digits[1] == "十":
        return CN_DIGITS[digits[0]] * 10 + CN_DIGITS.get(digits[2], 0)
    return None


def year_of(match: re.Match[str]) -> int:
    if match.group("year"):
        return int(match.group("year"))
    return int("".join(YEAR_DIGITS[ch] for ch in match.group("cnyear")))


def years_in(folded: str) -> list[re.Match[str]]:
    """Year mentions in folded text, ignoring ranges (2021—2025年) and titles in 《》."""
    if "年" not in folded:  # every year mention ends in 年
        return []
    return [m for m in _year_matches(_masked(folded)) if 1949 <= year_of(m) <= 2100]


def first_year_in(folded: str) -> re.Match[str] | None:
    """``years_in(folded)[0]`` (None if there is none), without finding the others."""
    if "年" not in folded:
        return None
    for match in _year_matches(_masked(folded)):
        if 1949 <= year_of(match) <= 2100:
            return match
    return None


def _year_matches(text: str) -> Iterator[re.Match[str]]:
    """``_YEAR.finditer(text)``, tried only where a match can start: 4 or 5 characters before a 年
    (every match ends in one; scanning for the class of digits a year starts with cost ~40
    instructions per character)."""
    done = 0  # the end of the last match: the next one may not start before it
    find = text.find
    at = find("年", 4)
    while at != -1:
        for start in (at - 5, at - 4):
            if start >= done:
                match = _YEAR.match(text, start)
                if match is not None:
                    yield match
                    done = match.end()
                    break
        at = find("年", max(at + 1, done + 4))


def _masked(folded: str) -> str:
    """`folded` with ranges, titles in 《》 and weekday stamps blanked (same length)."""
    masked = _CITATION.sub(_blank, folded) if "《" in folded else folded
    if "—" in masked or "-" in masked or "~" in masked or "至" in masked or "到" in masked:  # every range has one
        masked = _YEAR_RANGE.sub(_blank, masked)
    if "星期" in masked:
        masked = _WEEKDAY_DATE.sub(_blank, masked)  # a page's "today" stamp
    return masked


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _clean_title(text: str) -> str:
    return text.strip(" \t|\u3000")


def _is_boilerplate(compact: str, raw_len: int) -> bool:
    if _PUNCT_OR_PAGE_NUMBER.match(compact):
        return True
    if raw_len > 200 or (raw_len > 120 and "|" not in compact):
        return False  # a long line is body text, even when a page header ran into it
    phrases = _BOILERPLATE_BY_FIRST.get(compact[:1])
    if phrases is not None and compact.startswith(phrases):
        return True
    return "星期" in compact and _WEEKDAY_DATE.search(compact) is not None


def _looks_like_title(text: str) -> bool:
    if not 6 <= len(text) <= 70 or text[-1] in ":。;," or "如下" in text:
        return False
    has_topic = "法治" in text or "依法行政" in text
    if not (has_topic and ("报告" in text or ("建设" in text and "年" in text))):
        return False  # the substring tests first: most lines fail them
    return not (_MARKER.match(text) or _ATTACHMENT.match(text))


_STYLE_OF_GROUP = {"cn": "cn", "part": "cn", "pcn": "paren-cn", "ar": "arabic", "par": "paren-arabic"}


def _marker_at(line: str, pos: int) -> tuple[re.Match[str], str, str] | None:
    """(match, style, number as written) of the numbering marker at `pos`, if any."""
    match = _MARKER.match(line, pos)
    if not match:
        return None
    group = match.lastgroup  # the marker's one named group (the alternatives never nest)
    return match, _STYLE_OF_GROUP[group], match.group(group)


def _inline_starts(line: str, pos: int) -> list[int]:
    """``[m.start() for m in _INLINE_START.finditer(line, pos)]``: where an inline heading may begin.

    Found from the characters that must precede such a place, with str.find: scanning a run-on
    paragraph with the regex's class of marker characters cost ~50 instructions per character."""
    starts: list[int] = []
    find = line.find
    last = len(line) - 1  # the character before a place is never the line's last
    from_ = max(pos - 1, 0)
    for mark in _INLINE_AFTER:  # (?<=[。;!?:|].)
        at = find(mark, from_)
        while at != -1 and at < last:
            following = line[at + 1]
            if following in _INLINE_FIRST or following.isdecimal():
                starts.append(at + 1)
            at = find(mark, at + 1)
    at = find(" ", from_)
    while at != -1 and at < last:  # (?<=[^ ] .), which includes (?<=[。;!?:|] .)
        if at and line[at - 1] != " ":
            following = line[at + 1]
            if following in _INLINE_FIRST or following.isdecimal():
                starts.append(at + 1)
        at = find(" ", at + 1)
    starts.sort()
    return starts


def _heading_end(line: str, text_start: int, run_on: bool) -> int:
    end = min(len(line), text_start + _MAX_HEADING)
    # the first terminator before `end`: each find narrows the range (cheaper than a class regex)
    for terminator in _TERMINATORS:
        found = line.find(terminator, text_start, end)
        if found != -1:
            end = found
    if run_on:
        space = line.find(" ", text_start + 2, end)
        if space != -1:
            end = space
    return end


class _Builder:
    def __init__(self, text: str, norm: NormalizedText, starts: list[int], metadata: dict[str, str],
                 hints: dict[int, int]) -> None:
        self.text = text
        self.norm = norm
        self.folded = norm.text
        self.starts = starts
        self.metadata = metadata
        self.hints = hints
        self.notes: list[str] = []
        # Folded line boundaries: newlines are never deleted, so line i here is line i there.
        self.folded_lines = self.folded.split("\n")
        if norm.has_deletions:
            # each line's start: the lengths of the lines before it, each + 1 for its newline (in C)
            self.folded_starts = list(accumulate(map(_PLUS_ONE, map(len, self.folded_lines[:-1])), initial=0))
        else:
            self.folded_starts = starts  # nothing deleted: every offset is the original one

    def orig_span(self, line_index: int, start: int, end: int) -> tuple[int, int]:
        base = self.folded_starts[line_index]
        return self.norm.span_to_original(base + start, base + end)

    def line_end(self, index: int) -> int:
        """Original offset of the end of line `index` (before its newline)."""
        return self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)

    def line_obj(self, index: int) -> Line:
        start = self.starts[index]
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return record(Line, {"text": _clean_title(self.text[start:end]), "start": start, "end": end, "line": index + 1})

    def build(self) -> Outline:
        lines = self.folded_lines
        boiler: set[int] = set()
        filled: list[int] = []  # lines with something besides whitespace
        nonempty: list[int] = []  # … and besides bullet dots
        for index, line in enumerate(lines):
            compact = line.strip()
            if not compact:
                continue
            filled.append(index)
            if " " in compact:
                compact = compact.replace(" ", "")
            if "•" in compact or "·" in compact:
                compact = compact.replace("•", "").replace("·", "")
                if not compact:
                    continue
            nonempty.append(index)
            if _is_boilerplate(compact, len(line)):
                boiler.add(index)

        # Page dates stand in the page header and footer (and in boilerplate lines anywhere):
        # the short lines before the first long paragraph, and the last few lines.
        header: list[int] = []
        for index in nonempty[:15]:
            if len(lines[index]) > 120:
                break
            header.append(index)
        date_lines = sorted(boiler | set(header) | set(nonempty[-8:]))
        marks, furniture = page_dates.page_dates(lines, date_lines)
        publisher = page_dates.publisher(lines, date_lines)
        boiler |= furniture
        marks += page_dates.metadata_dates(self.metadata)

        content = [i for i in filled if i not in boiler] if boiler else filled

        # Closing block: a date line at the end (after it only a short note in brackets such as
        # （此件公开发布）), with short issuer lines above it, or issuer and date on one line.
        closing: list[int] = []
        signed: DateMark | None = None
        cursor = len(content) - 1
        trailing = 0
        while cursor >= 0 and trailing < 2 and _BRACKET_NOTE.match(lines[content[cursor]].strip()):
            closing.append(content[cursor])
            cursor -= 1
            trailing += 1
        last = lines[content[cursor]].strip() if cursor >= 0 else ""
        one_line = _ISSUER_DATE_LINE.match(last)
        if cursor >= 0 and (_DATE_LINE.match(last) or one_line):
            closing.append(content[cursor])
            written = (one_line.group("date") if one_line and not _DATE_LINE.match(last) else last).replace(" ", "")
            signed_date = page_dates.parse_date(written)
            if signed_date is not None:
                signed = DateMark("落款日期", written, signed_date, "closing", content[cursor] + 1, "落款日期")
            cursor -= 1
            while cursor >= 0 and len(closing) < 4 + trailing:
                candidate = lines[content[cursor]].strip()
                if len(candidate) > 30 or _CLOSING_STOP.search(candidate) or _MARKER.match(candidate):
                    break
                closing.append(content[cursor])
                cursor -= 1
        else:
            closing = []
        closing.sort()
        in_closing = set(closing)
        body_lines = [i for i in content if i not in in_closing]

        # Title: the first title-like line before the opening paragraph.
        # A category line without a year ("法治政府建设年度报告") yields to a titled one with a year.
        candidates: list[int] = []
        for index in body_lines[:8]:
            candidate = _clean_title(lines[index])
            if _looks_like_title(candidate):
                candidates.append(index)
            elif len(candidate) > 100 or _marker_at(candidate, 0):
                break
        title_index = next((i for i in candidates if years_in(lines[i])), candidates[0] if candidates else None)
        if title_index is not None and _COVERING.search(lines[title_index]):
            title_index = self.title_after_letter(body_lines, title_index)
        title_extent = self.title_extent(body_lines, title_index) if title_index is not None else []
        run_in: tuple[int, int] | None = None  # (line, folded end of the title) of a run-in title
        if title_index is None and body_lines:
            match = _RUN_IN_TITLE.match(lines[body_lines[0]])
            # a title never ends inside quotation or book-title marks (提出“实行法治建设年度报告制度”)
            if match and not _marker_at(match.group("title").strip(), 0) and _quotes_closed(match.group("title")):
                run_in = (body_lines[0], match.end("title"))
        skip: set[int] = set()
        if title_index is not None:
            # A title repeated on the next lines (page title + document title) is not body.
            for index in body_lines:
                if index < title_index or index in title_extent:
                    skip.add(index)
                elif index > title_index and _looks_like_title(_clean_title(lines[index])) and index - title_index <= 3:
                    skip.add(index)
                elif index > title_index:
                    break
        remaining = [i for i in body_lines if i != title_index and i not in skip]

        addressee_index: int | None = None
        if remaining:
            first = lines[remaining[0]].strip().strip("|").strip()
            if 2 <= len(first) <= 40 and first[-1] in ":" and "如下" not in first and "。" not in first \
                    and not _marker_at(first, 0):
                addressee_index = remaining[0]
                remaining = remaining[1:]

        headings = self.find_headings(remaining, run_on={run_in[0]} if run_in else set())
        body_start = self.starts[remaining[0]] if remaining else 0
        body_end = self.line_end(remaining[-1]) if remaining else 0
        title = None
        if title_extent:
            parts = [self.line_obj(i) for i in title_extent]
            title = Line("".join(part.text for part in parts), parts[0].start, parts[-1].end, parts[0].line)
        elif run_in is not None:
            start, end = self.orig_span(run_in[0], 0, run_in[1])
            title = Line(_clean_title(self.text[start:end]), start, end, run_in[0] + 1)
            body_start = end
            # the body runs at least to the end of the title's own line (nothing else may be left)
            body_end = max(body_end, self.line_end(run_in[0]), body_start)
        years, report_year = self.find_years(title_extent, run_in, remaining, headings, closing)
        published = page_dates.earliest(marks, "发布时间", report_year)
        news = page_dates.dateline(lines, remaining[:3], published.date if published else None)
        if news is not None:
            marks.append(news)
            published = page_dates.earliest(marks, "发布时间", report_year)
        document_date = page_dates.earliest(marks, "成文日期", report_year)
        dates = {label: mark.written for label, mark in
                 (("发布时间", published), ("成文日期", document_date), ("落款日期", signed)) if mark is not None}
        issuer_lines = [_clean_title(lines[i]) for i in sorted(closing)
                        if (signed is None or i + 1 != signed.line) and not _BRACKET_NOTE.match(lines[i].strip())]
        one_line = _ISSUER_DATE_LINE.match(lines[signed.line - 1].strip()) if signed is not None else None
        if one_line and not _DATE_LINE.match(lines[signed.line - 1].strip()):
            issuer_lines.append(one_line.group("issuer"))
        return Outline(
            title=title,
            addressee=self.line_obj(addressee_index) if addressee_index is not None else None,
            closing=[self.line_obj(i) for i in closing],
            boilerplate=[self.line_obj(i) for i in sorted(boiler | skip)],
            body=(body_start, body_end),
            headings=headings,
            years=years,
            report_year=report_year,
            dates=dates,
            notes=self.notes,
            published=published,
            document_date=document_date,
            signed=signed,
            issuer="、".join(issuer_lines) or None,
            publisher=publisher,
            date_marks=marks,
        )

    def title_after_letter(self, body_lines: list[int], letter_title: int) -> int:
        """The report's own title after a covering letter (关于报送…的报告, addressee, letter, 附件,
        issuer, date); the letter's title when no report title follows before the first heading."""
        for index in body_lines:
            if index <= letter_title:
                continue
            if index - letter_title > 20 or _marker_at(self.folded_lines[index].strip(), 0):
                break
            candidate = _clean_title(self.folded_lines[index])
            if _looks_like_title(candidate) and not _COVERING.search(candidate):
                return index
        return letter_title

    def title_extent(self, body_lines: list[int], title_index: int) -> list[int]:
        """The lines of a title, which may be split over two: an issuer line above 关于…的报告, or a
        first half without 报告 above a short line ending in 报告."""
        lines = self.folded_lines
        title = _clean_title(lines[title_index])
        position = body_lines.index(title_index)
        if position > 0 and body_lines[position - 1] == title_index - 1:
            above = _clean_title(lines[title_index - 1])
            if 2 <= len(above) <= 30 and not _LINE_PUNCT.search(above) and not _looks_like_title(above) \
                    and not years_in(above) and _ISSUER_END.search(above):
                return [title_index - 1, title_index]
        if "报告" not in title and position + 1 < len(body_lines) and body_lines[position + 1] == title_index + 1:
            below = _clean_title(lines[title_index + 1])
            if 2 <= len(below) <= 30 and below.endswith("报告") and not _LINE_PUNCT.search(below):
                return [title_index, title_index + 1]
        return [title_index]

    def find_headings(self, line_indexes: list[int], run_on: set[int] = frozenset()) -> list[Heading]:
        forced = run_on
        found: list[Heading] = []
        for index in line_indexes:
            if len(found) > MAX_HEADINGS:
                break
            line = self.folded_lines[index]
            run_on = len(line) > _RUN_ON_LENGTH or index in forced
            first = line[:1]
            if first and not (first in _MARKER_FIRST or first.isspace() or first.isdecimal()):
                lead, at_start = 0, None  # most lines: no lead, no marker (skip two regex calls)
            else:
                lead = _LEAD.match(line).end()
                at_start = _marker_at(line, lead)
            search_from = 0
            if at_start:
                heading = self.make_heading(index, line, at_start, run_on, inline=False)
                if heading:
                    found.append(heading)
                    search_from = heading.key_start - self.folded_starts[index] + len(heading.key)
            elif index + 1 in self.hints:
                hinted = self.hinted_heading(index, line, lead)
                if hinted:
                    found.append(hinted)
                continue
            if not run_on:
                continue
            for start in _inline_starts(line, max(search_from, 1)):
                hit = _marker_at(line, start)
                if hit and (hit[1] != "paren-cn" or hit[2]):
                    heading = self.make_heading(index, line, hit, run_on, inline=True)
                    if heading:
                        found.append(heading)
                        if len(found) > MAX_HEADINGS:
                            break
        if len(found) > MAX_HEADINGS:
            self.notes.append(f"标题超过 {MAX_HEADINGS} 个，只分析了前 {MAX_HEADINGS} 个")
            del found[MAX_HEADINGS:]
        return found

    def make_heading(self, index: int, line: str, hit: tuple[re.Match[str], str, str], run_on: bool,
                     inline: bool) -> Heading | None:
        match, style, digits = hit
        text_start = match.end()
        while text_start < len(line) and line[text_start].isspace():
            text_start += 1
        text_end = _heading_end(line, text_start, run_on or inline)
        if text_end - text_start < 2:
            return None
        key = line[text_start:text_end].rstrip()  # starts at text_start: key_start stays exact
        if style == "cn" and (key[:1] in "是要则来" or (key[:1] in CN_DIGITS and key[1:2] in "、,.季级类等个")):
            return None  # 一是… enumerations and 一、二季度 numeral lists are not headings
        # Marker and text are never empty: each span is (first character, last character + 1).
        base = self.folded_starts[index]
        marker_start, marker_end = base + match.start(), base + match.end()
        if self.norm.has_deletions:
            to_original = self.norm.to_original
            start = to_original(marker_start)
            end = to_original(base + text_end - 1) + 1
            marker = self.text[start:to_original(marker_end - 1) + 1]
            text_orig_start = to_original(base + text_start)
        else:  # nothing deleted: folded offsets are original offsets
            start, end, text_orig_start = marker_start, base + text_end, base + text_start
            marker = self.text[start:marker_end]
        return record(Heading, {  # every field: see checker/model/records.py
            "level": LEVEL_OF_STYLE[style],
            "style": style,
            "number": parse_number(style, digits),
            "marker": marker.strip(),
            "text": self.text[text_orig_start:end].strip(),
            "key": key,
            "key_start": base + text_start,
            "start": start,
            "end": end,
            "text_start": text_orig_start,
            "line": index + 1,
            "column": start - self.starts[index] + 1,
            "inline": inline,
            "fullwidth": not marker.isascii() and not _FULLWIDTH_MARKS.isdisjoint(marker),
        })

    def hinted_heading(self, index: int, line: str, lead: int) -> Heading | None:
        # A format-hinted heading is the whole paragraph, but only its start is matched.
        stop = min(len(line.rstrip()), lead + _MAX_HEADING)
        key = line[lead:stop].rstrip()
        if not key:
            return None
        start, end = self.orig_span(index, lead, stop)
        return Heading(level=self.hints[index + 1], style="hint", number=None, marker="",
                       text=self.text[start:end], key=key, key_start=self.folded_starts[index] + lead, start=start, end=end, text_start=start,
                       line=index + 1, column=start - self.starts[index] + 1, inline=False, fullwidth=False)

    def find_years(self, title: list[int], run_in: tuple[int, int] | None, body: list[int], headings: list[Heading],
                   closing: list[int]) -> tuple[list[YearEvidence], int | None]:
        evidence: list[YearEvidence] = []
        add = self.add_years
        lines = self.folded_lines
        for index in title:
            add(evidence, "title", index, years_in(lines[index]), 0)
        if run_in is not None:
            add(evidence, "title", run_in[0], years_in(lines[run_in[0]][:run_in[1]]), 0)
        # Opening: body text before the first heading, at most its first 300 characters.
        first_heading = headings[0].start if headings else None
        for index in body[:3]:
            line_start = self.starts[index]
            if first_heading is not None and line_start >= first_heading:
                break
            skip = run_in[1] if run_in is not None and run_in[0] == index else 0  # past a run-in title
            folded = lines[index][:300 + skip]
            if first_heading is not None and first_heading - line_start < len(folded):
                folded = folded[: max(0, first_heading - line_start)]
            first = first_year_in(folded[skip:])
            if first is not None:
                add(evidence, "opening", index, (first,), skip)
                break
        top = min((h.level for h in headings), default=None)
        for heading in headings:
            if heading.level == top and "年" in heading.key:
                line_index = heading.line - 1
                add(evidence, "heading", line_index, years_in(heading.key),
                    heading.key_start - self.folded_starts[line_index])
        headed = len(evidence)
        for index in closing:
            add(evidence, "closing", index, years_in(lines[index]), 0)

        # The first year of the title, else of the opening, else of a top-level heading; else the
        # closing's year - 1. Evidence is in that order.
        report_year: int | None = None
        if headed:
            report_year = evidence[0].year
        elif len(evidence) > headed:
            report_year = evidence[headed].year - 1
        return evidence, report_year

    def add_years(self, evidence: list[YearEvidence], source: str, index: int, found: Iterable[re.Match[str]],
                  offset: int) -> None:
        """Year matches in (a part of) folded line `index` starting at `offset`, as evidence."""
        for match in found:
            start, end = self.orig_span(index, offset + match.start(), offset + match.end())
            evidence.append(record(YearEvidence, {"year": year_of(match), "source": source, "start": start,
                                                  "end": end, "line": index + 1}))


def build_outline(text: str, norm: NormalizedText, starts: list[int], metadata: dict[str, str],
                  hints: dict[int, int]) -> Outline:
    return _Builder(text, norm, starts, metadata, hints).build()


def _quotes_closed(text: str) -> bool:
    """Every opening quotation or book-title mark in ``text`` is closed within it (a run-in title
    never ends inside a cited title: 《关于报送…情况报告|的通知》)."""
    return text.count("“") == text.count("”") and text.count("「") == text.count("」") \
        and text.count("《") == text.count("》")
