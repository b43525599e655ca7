"""Dates a page carries, as real pages write them, and which one is the publication date.

Three kinds of date are read; none of them is ever the report year:

* **publication** (发布时间): a page-header line labelled 发布时间 / 发布日期 / 日期 / 时间 / 更新时间 /
  发表时间 …, also in brackets (``[ 发布日期 ]``, ``【发布时间】``) and with the value on the next
  line; the value as 2021/03/29, 2023-03-24 11:26, 2023.3.24 or 2023年05月11日. A news dateline in
  the opening lines (``新华社北京3月29日电``, ``本报讯 … 3月29日``) is a publication date too: the
  story was public that day, even when the page that reposts it is dated later. Dates from the
  file's own metadata (HTML ``<meta name="PubDate">``) count as well.
* **document date** (成文日期): 成文日期 / 成文时间 / 发文日期 / 印发日期 in a page's metadata table.
* **signing date** (落款日期): the date under the issuer at the end of the report (read by the outline).

The publication date is the earliest *credible* one: a real calendar date, not a page's "today"
stamp (``2024年3月5日 星期二``), not in the future, and not before the report year (a 2023 report
cannot have been published in 2022; such a date belongs to something else on the page).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CN_SMALL = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10}
_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
                "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

PUBLICATION_LABELS = ("发布时间", "发布日期", "更新时间", "更新日期", "发表时间", "发表日期", "发稿时间",
                      "上传时间", "上传日期", "信息时间", "公开日期", "公开时间", "日期", "时间")
WRITTEN_LABELS = ("成文日期", "成文时间", "发文日期", "印发日期")

_DATE = re.compile(r"(?P<y>(?:19|20)\d{2}|[〇零○O一二三四五六七八九]{4})\s*[-/.年]\s*(?P<m>[0-9一二三四五六七八九十]{1,3})\s*"
                   r"[-/.月]\s*(?P<d>[0-9一二三四五六七八九十]{1,3})(?![0-9])")
_VALUE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_LABELS = "|".join(sorted(PUBLICATION_LABELS + WRITTEN_LABELS, key=len, reverse=True))
# A label, optionally bracketed, then a colon or table bar, then (maybe) the value.
_LABELLED = re.compile(rf"[\[【]?\s*(?P<label>{_LABELS})\s*[\]】]?\s*[:|]?\s*\|?\s*(?P<date>{_VALUE})?")
_LABEL_ONLY = re.compile(rf"^[\[【]?\s*(?P<label>{_LABELS})\s*[\]】]?\s*[:|]?\s*\|?$")
_VALUE_ONLY = re.compile(rf"^\|?\s*(?P<date>{_VALUE})\s*\|?$")
_WEEKDAY = re.compile(r"^\s*(?:星期|周)[一二三四五六日天]")
# News datelines: "新华社北京3月29日电", "(记者 张三)3月29日电", "本报讯(记者 李四)3月29日，…".
_DATELINE = re.compile(
    r"(?:^|[\s)】])(?:[\u4e00-\u9fff]{0,12}?)(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日电"
    r"|^本报讯[^。]{0,30}?(?:(?P<y2>(?:19|20)\d{2})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日")


# The publishing body in a page header: 发布机构：某县司法局 / 来源：某镇 / [ 信息来源 ] on one line, value on the next.
_PUBLISHER = re.compile(r"(?:^|[\s|])[\[【]?\s*(?:发布机构|发布单位|发文机关|信息来源|来源)\s*[\]】]?\s*[:|]\s*\|?\s*"
                        r"(?P<name>[^\s|:：]{2,40})")
_PUBLISHER_LABEL_ONLY = re.compile(r"^[\[【]?\s*(?:发布机构|发布单位|发文机关|信息来源|来源)\s*[\]】]?\s*[:|]?\s*\|?$")
_NOT_A_PUBLISHER = re.compile(r"^(?:本站|本网|网站|原创|转载|暂无|无)")


def publisher(lines: list[str], candidates: list[int]) -> str | None:
    """The publishing body a page header names (发布机构 / 来源), if any; "本站" and the like are not one."""
    pending = False
    for index in candidates:
        line = lines[index].strip()
        if pending:
            pending = False
            name = line.strip("| ")
            if 2 <= len(name) <= 40 and not re.search(r"[\s。,:：]", name) and not _NOT_A_PUBLISHER.match(name):
                return name
        if len(line) > 120:
            continue
        if "来源" not in line and "发布" not in line and "发文" not in line:
            continue  # no label (发布机构, 发布单位, 发文机关, 信息来源, 来源): no publisher
        if _PUBLISHER_LABEL_ONLY.match(line):
            pending = True
            continue
        match = _PUBLISHER.search(line)
        if match and not _NOT_A_PUBLISHER.match(match.group("name")):
            return match.group("name")
    return None


@dataclass(frozen=True)
class DateMark:
    """One date read from the page: what it is, as written, its value and where it stands."""

    label: str  # 发布时间 | 成文日期 | 落款日期 | 电头 (a news dateline)
    written: str  # the date as written (a metadata date: YYYY-MM-DD)
    date: dt.date
    source: str  # page | metadata | dateline | closing
    line: int | None = None  # 1-based; None for file metadata
    written_label: str = ""  # the label as the page writes it (发布日期, 日期 …)

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "written": self.written, "label": self.written_label or self.label,
                "source": self.source, "line": self.line}


def _small_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + CN_SMALL[text[1]]
    if len(text) >= 2 and text[1] == "十":
        return CN_SMALL[text[0]] * 10 + (CN_SMALL[text[2]] if len(text) == 3 else 0)
    return CN_SMALL[text]


def parse_date(text: str) -> dt.date | None:
    """2024-03-20, 2024/3/20, 2023-03-24 11:26, 2024年1月19日, 二〇二四年一月十九日 → date; None if unreadable."""
    match = _DATE.search(text)
    if not match:
        return None
    year = match.group("y")
    if not year.isdigit():
        year = "".join(_YEAR_DIGITS[ch] for ch in year)
    try:
        return dt.date(int(year), _small_number(match.group("m")), _small_number(match.group("d")))
    except (ValueError, KeyError):
        return None


_TIME = re.compile(r"\s*\d{1,2}:\d{2}(?::\d{2})?$")


def _date_part(written: str) -> str:
    """The date as written, without a trailing time of day: 2023-03-24 11:26 → 2023-03-24."""
    return _TIME.sub("", written.strip())


def _kind_of(label: str) -> str:
    return "成文日期" if label in WRITTEN_LABELS else "发布时间"


def page_dates(lines: list[str], candidates: list[int], limit: int = 40) -> tuple[list[DateMark], set[int]]:
    """Labelled page dates on short header/footer lines among `candidates` (line indexes).

    Returns the dates and the indexes of the lines that are nothing but a date label and/or value
    (page furniture the outline must not read as title, opening or body).
    """
    marks: list[DateMark] = []
    furniture: set[int] = set()
    pending: str | None = None  # a label whose value is on the next line
    for index in candidates:
        line = lines[index].strip()
        compact = line.replace("•", "").replace("·", "").strip() if "•" in line or "·" in line else line
        if not compact:
            continue
        if pending is not None:
            value = _VALUE_ONLY.match(compact)
            label, pending = pending, None
            if value:
                date = parse_date(value.group("date"))
                if date:
                    marks.append(DateMark(_kind_of(label), _date_part(value.group("date")), date, "page", index + 1, label))
                    furniture.add(index)
                    continue
        if len(line) > 120 or "。" in line:
            continue
        # Every label has 日期 or 时间 and every value a year 19xx/20xx: a line with neither holds no date.
        if "日期" not in compact and "时间" not in compact and "19" not in compact and "20" not in compact:
            continue
        only = _LABEL_ONLY.match(compact)
        if only:
            pending = only.group("label")
            furniture.add(index)
            continue
        bare = _VALUE_ONLY.match(compact)
        if bare and ":" in compact:  # a bare time-stamped date: 2023-03-24 11:26
            date = parse_date(compact)
            if date:
                marks.append(DateMark("发布时间", _date_part(bare.group("date")), date, "page", index + 1, "日期"))
                furniture.add(index)
                continue
        found = False
        for match in _LABELLED.finditer(compact):
            if not match.group("date") or _WEEKDAY.match(compact[match.end():]):
                continue
            date = parse_date(match.group("date"))
            if date:
                label = match.group("label")
                marks.append(DateMark(_kind_of(label), _date_part(match.group("date")), date, "page", index + 1, label))
                found = True
        if found and len(compact) <= 80:
            furniture.add(index)
        if len(marks) >= limit:
            break
    return marks, furniture


def dateline(lines: list[str], candidates: list[int], anchor: dt.date | None) -> DateMark | None:
    """A news dateline in the first lines (`candidates`); its year is written or taken from `anchor`."""
    for index in candidates:
        head = lines[index].strip()[:80]
        # every dateline has 日电 or opens with 本报讯 (the regex is slow to rule a line out)
        if "日电" not in head and not head.startswith("本报讯"):
            continue
        match = _DATELINE.search(head)
        if not match:
            continue
        year = match.group("y") or match.group("y2")
        month = int(match.group("m") or match.group("m2"))
        day = int(match.group("d") or match.group("d2"))
        if year:
            value = int(year)
        elif anchor is not None:
            value = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
        else:
            continue
        try:
            date = dt.date(value, month, day)
        except ValueError:
            continue
        return DateMark("发布时间", match.group().strip(" )】"), date, "dateline", index + 1, "电头")
    return None


def metadata_dates(metadata: dict[str, str]) -> list[DateMark]:
    marks = []
    for label, written in metadata.items():
        date = parse_date(written) if isinstance(written, str) else None
        if date is not None and label in PUBLICATION_LABELS + WRITTEN_LABELS:
            marks.append(DateMark(_kind_of(label), written, date, "metadata", None, label))
    return marks


def credible(mark: DateMark, report_year: int | None, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    if mark.date > today + dt.timedelta(days=1):
        return False
    return report_year is None or mark.date.year >= report_year


def earliest(marks: list[DateMark], label: str, report_year: int | None) -> DateMark | None:
    """The earliest credible date of a kind (发布时间 or 成文日期)."""
    today = dt.date.today()
    usable = [m for m in marks if m.label == label and credible(m, report_year, today)]
    return min(usable, key=lambda m: (m.date, m.source != "page"), default=None)
