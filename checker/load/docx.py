"""Word 2007+ (.docx): paragraphs and tables in order, heading hints, Word's automatic numbering.

Protections, applied before python-docx sees the bytes (limits in `checker.load.Limits`):

- zip bombs: the member count, the *declared* uncompressed size of all members and each large
  member's compression ratio are checked from the central directory; then every member is
  *actually* decompressed as a stream with a byte budget, so a lying header cannot get past;
- XML attacks: the prolog of every XML part is read first by expat with DTD and entity
  declarations refused (the defusedxml approach, `xml_prolog_is_safe`), so entity expansion
  ("billion laughs") and external entities are refused, never expanded or fetched;
  python-docx's own lxml parser additionally runs with ``resolve_entities=False`` and lxml's
  default ``no_network``.

Text model: one line per paragraph (a soft line break inside a paragraph starts a new line),
one line per table cell. Automatic numbering (``w:numPr`` on the paragraph or its style) is
rendered into the line as Word shows it ("一、", "（一）", "1.") counting per list and level,
so the outline builder sees typed and automatic numbers alike; list instances sharing an abstract
list continue each other unless restarted, as in Word. Outline levels and heading
styles become `Source.heading_hints`; a lone top-level hint on the first line (the title set
in 标题 1) is dropped and the rest are shifted so the top section level is 1.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from checker.errors import InputError
from checker.load import Limits, Source

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{%s}" % W
_CHUNK = 64 * 1024
_RATIO_FLOOR = 1024 * 1024  # ratios are only judged for members larger than this

_T, _TAB, _BR, _CR, _NBH = _W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"
_P, _TBL, _SDT, _SDT_CONTENT = _W + "p", _W + "tbl", _W + "sdt", _W + "sdtContent"
_SKIP = {"{%s}Fallback" % MC, _W + "txbxContent", _W + "del", _W + "moveFrom", _W + "pPr", _W + "rPr", _W + "instrText"}
_COMMENT_ANCHORS = {_W + "commentRangeStart", _W + "commentReference"}


def _val(element, tag: str) -> str | None:
    """The w:val of child `tag` of `element` (None if absent)."""
    if element is None:
        return None
    child = element.find(_W + tag)
    return None if child is None else child.get(_W + "val")


# ---------------------------------------------------------------- package safety


def safe_parts(path: str, data: bytes, limits: Limits) -> dict[str, bytes]:
    """Check the zip container and return its XML parts, or raise InputError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(path, "不是有效的 .docx 文件（压缩包已损坏或不完整）") from None
    if len(infos) > limits.zip_max_members:
        raise InputError(path, f".docx 压缩包内文件过多（{len(infos)} 个，上限 {limits.zip_max_members} 个）")
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise InputError(path, "压缩包中没有 word/document.xml，不是 Word 文档")
    declared = sum(info.file_size for info in infos)
    if declared > limits.zip_max_total:
        raise InputError(path, f".docx 解压后过大（声明 {declared // 1048576} MB，上限 "
                               f"{limits.zip_max_total // 1048576} MB），疑似压缩炸弹，已拒绝")
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(path, ".docx 已加密，请先解除密码保护")
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.zip_max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(path, f".docx 中 {info.filename} 压缩比异常（{ratio} 倍），疑似压缩炸弹，已拒绝")
    parts: dict[str, bytes] = {}
    budget = limits.zip_max_total
    for info in infos:
        if info.is_dir():
            continue
        keep = info.filename.endswith((".xml", ".rels"))
        cap = min(info.file_size, budget, limits.xml_max_part if keep else budget)
        chunks: list[bytes] = []
        read = 0
        try:
            with archive.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    read += len(chunk)
                    if read > cap:
                        raise InputError(path, f".docx 中 {info.filename} 实际解压超过上限，疑似压缩炸弹，已拒绝")
                    if keep:
                        chunks.append(chunk)
        except (InputError, MemoryError):  # MemoryError: `load` names it, not "damaged"
            raise
        except Exception:  # zlib.error, BadZipFile (CRC), NotImplementedError (compression), EOFError
            raise InputError(path, f"不是有效的 .docx 文件（{info.filename} 已损坏）") from None
        budget -= read
        if keep:
            parts[info.filename] = b"".join(chunks)
    _check_xml(path, parts)
    return parts


class _Forbidden(Exception):
    pass


class _RootReached(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Forbidden


def _stop(*_args) -> None:
    raise _RootReached


def xml_prolog_is_safe(blob: bytes) -> bool | None:
    """True if the XML prolog declares no DTD or entity; False if it does; None if not XML.

    A DTD can only stand before the root element, so expat (the parser defusedxml wraps) reads
    the prolog with DTD, entity and external-entity handlers that refuse, and stops at the root
    element: constant time per part however large the part is.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = _stop
    try:
        parser.Parse(blob, True)
    except _RootReached:
        return True
    except _Forbidden:
        return False
    except (expat.ExpatError, ValueError):
        return None
    return None


def _check_xml(path: str, parts: dict[str, bytes]) -> None:
    for name, blob in parts.items():
        verdict = xml_prolog_is_safe(blob)
        if verdict is False:
            raise InputError(path, f".docx 中 {name} 含有 DTD/实体声明（可能是恶意文件），已拒绝")
        if verdict is None and (name == "word/document.xml" or name == "[Content_Types].xml"):
            raise InputError(path, f"不是有效的 .docx 文件（{name} 不是完整的 XML）")


# ---------------------------------------------------------------- numbering

# Word's own bounds: 9 list levels (0–8), start values 0–32767. A hostile file may claim a level
# 3000 or a start of 2e11 (one upperLetter label of millions of letters); such values are clamped
# or ignored here, and every label is bounded, so numbering costs O(paragraphs) whatever the file says.
LEVELS = 9
MAX_START = 32767
MAX_LEVEL_TEXT = 64  # characters of a level's lvlText template (real ones: "%1、", "（%2）", "%1.%2.")
MAX_LABEL = 32  # characters of one rendered number; beyond it (AAAA…, MMMM…) Arabic digits are shown
_ASCII_INT = re.compile(r"-?[0-9]{1,12}")


def _bounded_int(text: str | None, low: int, high: int, default: int | None = None) -> int | None:
    """`text` as an integer clamped to [low, high]; `default` when it is not a plain ASCII integer
    (``w:ilvl="²"`` passes str.isdigit() but not int())."""
    if text is None or not _ASCII_INT.fullmatch(text.strip()):
        return default
    return min(max(int(text), low), high)


def _level_index(text: str | None) -> int | None:
    """A list level 0–8 from ``w:ilvl``; None for anything else (a level Word cannot have)."""
    value = _bounded_int(text, -1, LEVELS)
    return value if value is not None and 0 <= value < LEVELS else None


_CN = "〇一二三四五六七八九"  # digit by digit (ideographDigital)
_CN_COUNT = "零一二三四五六七八九"  # counting: 一百零五
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_number(n: int, digits: str = _CN_COUNT, units: str = "十百千") -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    text = str(n)
    zero = False
    for position, ch in enumerate(text):
        value = int(ch)
        unit = len(text) - position - 1
        if value == 0:
            zero = True
            continue
        if zero and parts:
            parts.append(digits[0])
        zero = False
        if not (value == 1 and unit == 1 and position == 0):  # 十一, not 一十一
            parts.append(digits[value])
        if unit:
            parts.append(units[unit - 1])
    return "".join(parts)


def format_number(n: int, fmt: str) -> str:
    """The number `n` as Word shows it in format `fmt`, at most `MAX_LABEL` characters."""
    n = max(n, 0)
    label = _format_number(n, fmt)
    return label if len(label) <= MAX_LABEL else str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n))
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal"):
        return chinese_number(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographTraditional",):
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _DIZHI[(n - 1) % 12]
    if fmt in ("upperLetter", "lowerLetter"):
        if n < 1 or (n - 1) // 26 + 1 > MAX_LABEL:
            return str(n)
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        if not 1 <= n < 4000:  # Word, too, shows Arabic digits outside 1–3999
            return str(n)
        value, out = n, []
        for number, glyph in _ROMAN:
            while value >= number:
                out.append(glyph)
                value -= number
        roman = "".join(out)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    legal: bool = False


@dataclass
class Numbering:
    """Word's list definitions and the running counters.

    As in Word, list instances (numId) that share an abstract list continue one another's
    numbering; an instance with a ``startOverride`` restarts that level the first time it is
    used ("重新开始编号" creates exactly such an instance).
    """

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    restarts: dict[str, set[int]] = field(default_factory=dict)  # numId -> levels with startOverride
    style_levels: dict[tuple[str, str], int] = field(default_factory=dict)  # (abstractNumId, pStyle) -> ilvl
    counters: dict[str, list[int | None]] = field(default_factory=dict)  # abstractNumId -> counters
    used: set[str] = field(default_factory=set)

    @classmethod
    def from_element(cls, root) -> "Numbering":
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, _Level]] = {}
        for node in root.iterchildren(_W + "abstractNum"):
            abstract_id = node.get(_W + "abstractNumId", "")
            abstract[abstract_id] = {}
            for lvl in node.iterchildren(_W + "lvl"):
                ilvl = _level_index(lvl.get(_W + "ilvl", "0"))
                if ilvl is None:
                    continue
                abstract[abstract_id][ilvl] = _parse_level(lvl)
                style = _val(lvl, "pStyle")
                if style:
                    numbering.style_levels[(abstract_id, style)] = ilvl
        for num in root.iterchildren(_W + "num"):
            num_id = num.get(_W + "numId", "")
            abstract_id = _val(num, "abstractNumId") or ""
            # Shared with the abstract list (at most 9 entries); an override replaces an entry.
            levels = dict(abstract.get(abstract_id, {}))
            for override in num.iterchildren(_W + "lvlOverride"):
                ilvl = _level_index(override.get(_W + "ilvl", "0"))
                if ilvl is None:
                    continue
                full = override.find(_W + "lvl")
                if full is not None:
                    levels[ilvl] = _parse_level(full)
                start = _bounded_int(_val(override, "startOverride"), 0, MAX_START)
                if start is not None:
                    levels[ilvl] = replace(levels.get(ilvl, _Level()), start=start)
                    numbering.restarts.setdefault(num_id, set()).add(ilvl)
            numbering.levels[num_id] = levels
            numbering.abstract_of[num_id] = abstract_id
        return numbering

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        return self.style_levels.get((self.abstract_of.get(num_id, ""), style_id))

    def render(self, num_id: str, ilvl: int) -> str | None:
        """Advance the counter of (list, ilvl) and return the label Word shows, e.g. "一、"."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < LEVELS:
            return None
        level = levels[ilvl]
        counters = self.counters.setdefault(self.abstract_of.get(num_id) or f"num:{num_id}", [None] * 10)
        if num_id not in self.used:
            self.used.add(num_id)
            for restart in self.restarts.get(num_id, ()):
                if 0 <= restart < 10:
                    counters[restart] = None
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if level.fmt == "bullet":
            return ""

        def placeholder(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            lvl = levels.get(index, _Level())
            value = counters[index] if counters[index] is not None else lvl.start
            return format_number(value, "decimal" if level.legal and index != ilvl else lvl.fmt)

        label = re.sub(r"%([1-9])", placeholder, level.text)[:MAX_LEVEL_TEXT + 9 * MAX_LABEL]
        if not label:
            return ""
        if level.suffix != "nothing" and not label.endswith(("、", "）", "．", "，")):
            label += " "
        return label


def _parse_level(lvl) -> _Level:
    return _Level(
        start=_bounded_int(_val(lvl, "start"), 0, MAX_START, default=1),
        fmt=(_val(lvl, "numFmt") or "decimal")[:40],
        text=(_val(lvl, "lvlText") or "")[:MAX_LEVEL_TEXT],
        suffix=_val(lvl, "suff") or "tab",
        legal=lvl.find(_W + "isLgl") is not None,
    )


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _StyleFacts:
    num_id: str | None
    ilvl: int | None
    outline: int | None  # 0-based outline level; None for body text
    title: bool


_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)


def _style_facts(styles_root) -> dict[str, _StyleFacts]:
    """Numbering and outline level of every paragraph style, following basedOn."""
    if styles_root is None:
        return {}
    raw: dict[str, tuple] = {}
    for style in styles_root.iterchildren(_W + "style"):
        if style.get(_W + "type") != "paragraph":
            continue
        style_id = style.get(_W + "styleId", "")
        name = (_val(style, "name") or "").strip()
        ppr = style.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        ilvl = _val(num_pr, "ilvl") if num_pr is not None else None
        outline = _val(ppr, "outlineLvl") if ppr is not None else None
        heading = _HEADING_NAME.match(name)
        if outline is None and heading:
            outline = str(int(heading.group(1)) - 1)
        raw[style_id] = (_val(style, "basedOn"), num_id, ilvl, outline, name.lower() in ("title", "标题"))
    facts: dict[str, _StyleFacts] = {}

    def resolve(style_id: str, depth: int = 0) -> _StyleFacts:
        if style_id in facts:
            return facts[style_id]
        based_on, num_id, ilvl, outline, title = raw.get(style_id, (None, None, None, None, False))
        parent = resolve(based_on, depth + 1) if based_on and based_on in raw and depth < 20 else None
        if parent is not None:
            num_id = num_id if num_id is not None else parent.num_id
            ilvl = ilvl if ilvl is not None else (str(parent.ilvl) if parent.ilvl is not None else None)
            outline = outline if outline is not None else (str(parent.outline) if parent.outline is not None else None)
        result = _StyleFacts(num_id, _level_index(ilvl), _level_index(outline), title)
        facts[style_id] = result
        return result

    for style_id in raw:
        resolve(style_id)
    return facts


# ---------------------------------------------------------------- text


def _visible(p) -> Iterator[tuple[object, str | None]]:
    """The text-bearing nodes of a w:p in reading order, with their text (soft breaks as
    newlines); comment anchors come with ``None``. Deleted and moved-away text is skipped."""
    stack = [p]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == _T:
            yield node, node.text or ""
        elif tag == _TAB:
            yield node, "\t"
        elif tag == _BR:
            if node.get(_W + "type") in (None, "textWrapping"):
                yield node, "\n"
        elif tag == _CR:
            yield node, "\n"
        elif tag == _NBH:
            yield node, "-"
        elif tag in _COMMENT_ANCHORS:
            yield node, None
        elif tag not in _SKIP and (node is p or tag != _P):
            stack.extend(reversed(node))


def paragraph_text(p) -> tuple[str, set[str]]:
    """Visible text of a w:p (soft breaks as newlines) and the comment ids anchored in it."""
    out: list[str] = []
    comments: set[str] = set()
    for node, text in _visible(p):
        if text is None:
            comments.add(node.get(_W + "id", ""))
        else:
            out.append(text)
    return "".join(out), comments


def paragraph_runs(p) -> list[tuple[object, int, int]]:
    """The ``w:r`` elements holding a w:p's visible text, each with the span of the paragraph's
    text (as ``paragraph_text`` gives it) that it holds."""
    runs: list[tuple[object, int, int]] = []
    position = 0
    for node, text in _visible(p):
        if not text:
            continue
        run = node.getparent()
        if runs and runs[-1][0] is run:
            runs[-1] = (run, runs[-1][1], position + len(text))
        else:
            runs.append((run, position, position + len(text)))
        position += len(text)
    return runs


class _Builder:
    """Walks the body in reading order, one text line per paragraph (soft breaks add lines).

    With ``anchors`` on, each line also records its ``w:p`` element and the offset in that
    paragraph's own text (``paragraph_text``) where the line starts, minus any prefix the reader
    added (a rendered automatic-numbering label): ``checker annotate`` and tracked fixes use it to
    go from a finding's offsets back to Word runs.
    """

    def __init__(self, numbering: Numbering, styles: dict[str, _StyleFacts], anchors: bool = False) -> None:
        self.numbering = numbering
        self.styles = styles
        self.anchors: list[tuple[object, int]] | None = [] if anchors else None
        self.lines: list[str] = []
        self.locations: dict[int, str] = {}
        self.hints: dict[int, int] = {}
        self.comment_lines: dict[str, int] = {}
        self.paragraphs = 0
        self.tables = 0

    def add(self, text: str, where: str, comments: set[str] = frozenset(), p=None, shift: int = 0) -> int:
        """Append ``text`` as lines; ``shift`` is (offset in ``text``) − (offset in the paragraph's own text)."""
        first = len(self.lines) + 1
        offset = 0
        for piece in text.split("\n"):
            self.lines.append(piece.replace("\r", ""))
            self.locations[len(self.lines)] = where
            if self.anchors is not None:
                self.anchors.append((p, offset - shift))
            offset += len(piece) + 1
        for comment in comments:
            self.comment_lines.setdefault(comment, first)
        return first

    def paragraph(self, p, where: str | None = None) -> None:
        self.paragraphs += 1
        text, comments = paragraph_text(p)
        ppr = p.find(_W + "pPr")
        style = self.styles.get(_val(ppr, "pStyle") or "", _StyleFacts(None, None, None, False))
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        ilvl_text = _val(num_pr, "ilvl") if num_pr is not None else None
        style_id = _val(ppr, "pStyle") or ""
        if num_id is None:
            num_id = style.num_id
        if _level_index(ilvl_text) is not None:
            ilvl = _level_index(ilvl_text)
        elif style.ilvl is not None:
            ilvl = style.ilvl
        else:  # a heading style linked to a multilevel list names its level in the list (w:pStyle)
            linked = self.numbering.level_for_style(num_id, style_id) if num_id else None
            ilvl = linked if linked is not None else 0
        label = self.numbering.render(num_id, ilvl) if num_id and num_id != "0" and text.strip() else None
        shift = 0
        if label:
            stripped = text.lstrip()
            shift = len(label) - (len(text) - len(stripped))
            text = label + stripped
        line = self.add(text, where or f"第{self.paragraphs}段", comments, p, shift)
        outline = _val(ppr, "outlineLvl") if ppr is not None else None
        level = _level_index(outline) if _level_index(outline) is not None else style.outline
        if level is not None and text.strip() and not style.title:
            self.hints[line] = level + 1

    def table(self, tbl) -> None:
        self.tables += 1
        for row_index, tr in enumerate(tbl.iterchildren(_W + "tr"), 1):
            for col_index, tc in enumerate(tr.iterchildren(_W + "tc"), 1):
                where = f"表{self.tables}第{row_index}行第{col_index}列"  # compact: it heads a column
                if _val(tc.find(_W + "tcPr"), "vMerge") == "continue":
                    continue  # vertically merged: the text stands in the first cell
                for child in tc:
                    if child.tag == _P:
                        self.paragraph(child, where)
                    elif child.tag == _TBL:
                        self.table(child)

    def body(self, container) -> None:
        for child in container:
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.body(content)

    def relative_hints(self) -> dict[int, int]:
        """Drop a lone top-level hint on the first text line (the title) and make the top level 1."""
        hints = dict(self.hints)
        if not hints:
            return hints
        first_text = next((i for i, line in enumerate(self.lines, 1) if line.strip()), None)
        top = min(hints.values())
        if first_text in hints and hints[first_text] == top and list(hints.values()).count(top) == 1 and len(hints) > 1:
            del hints[first_text]
            top = min(hints.values())
        return {line: level - top + 1 for line, level in hints.items()}


def _comments(parts: dict[str, bytes]) -> dict[str, str]:
    blob = parts.get("word/comments.xml")
    if not blob:
        return {}
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        return {}
    from checker.model.directives import MAX_DIRECTIVES

    found: dict[str, str] = {}
    for comment in root.iterchildren(_W + "comment"):
        if "checker-disable" not in "".join(comment.itertext(_T)).lower():  # cheap test before the exact text
            continue
        text = "\n".join(paragraph_text(p)[0] for p in comment.iter(_P)).strip()
        found[comment.get(_W + "id", "")] = text
        if len(found) >= MAX_DIRECTIVES:
            break
    return found


def _walk(document, anchors: bool = False) -> _Builder:
    """Read a python-docx Document's body into lines (see ``_Builder``)."""
    part = document.part
    try:
        numbering_root = part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        numbering_root = None
    try:
        styles_root = part.styles.element
    except (KeyError, NotImplementedError, AttributeError):
        styles_root = None
    builder = _Builder(Numbering.from_element(numbering_root), _style_facts(styles_root), anchors)
    builder.body(document.element.body)
    return builder


def line_anchors(document) -> list[tuple[object, int]]:
    """For each text line the reader makes of a python-docx Document (index = line − 1): its
    ``w:p`` element and the offset in that paragraph's text where the line starts; negative
    where the line starts with a label Word generates (automatic numbering)."""
    anchors = _walk(document, anchors=True).anchors
    assert anchors is not None
    return anchors


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".gif")


def _media(data: bytes) -> list[bytes]:
    """Images under word/media/ in name order (image1, image2, … as Word numbers them); the
    container's sizes were already checked by `safe_parts`."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in archive.infolist()
             if info.filename.startswith("word/media/") and info.filename.lower().endswith(_IMAGE_SUFFIXES)]
    names.sort(key=lambda name: [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)])
    return [archive.read(name) for name in names]


def load_docx(path: str, data: bytes, limits: Limits) -> Source:
    parts = safe_parts(path, data, limits)
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(path, f"不是有效的 .docx 文件（{type(exc).__name__}）") from None
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        raise InputError(path, f"无法读取 .docx 文件（{type(exc).__name__}）") from None
    builder = _walk(document)
    text = "\n".join(builder.lines)
    media = _media(data) if len(text.strip()) < 10 else []
    if media:
        # A scan pasted into Word: its images are read by OCR, like a scanned PDF page.
        from checker.load.ocr import ocr_images

        return ocr_images(path, media, limits, "docx")
    if not text.strip():
        raise InputError(path, "Word 文档中没有文字内容")
    directives = []
    for comment_id, comment in _comments(parts).items():
        if comment.lower().startswith("checker-disable"):
            directives.append((builder.comment_lines.get(comment_id, 1), comment))
    directives.sort()
    return Source(path=path, text=text, format="docx", encoding=None,
                  heading_hints=builder.relative_hints(), locations=builder.locations, directives=directives)
