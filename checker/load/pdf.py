"""PDF: text in reading order, one line per paragraph, running headers and footers removed.

- Extraction: PDFium (pypdfium2). Each page's text comes out in one call with PDFium's line
  breaks; per visual line only the boxes of its first and last character and one font size are
  asked for, so a page costs a handful of calls per line, not per character. Lines are put in
  top-to-bottom order and pieces of one visual line (a table row, a change of font) are joined.
  PDFium drops fake-bold duplicate glyphs (the same text drawn twice at an offset).
- Running headers/footers: among the first and last two lines of a page, lying in the top or
  bottom 12% of it, a line is dropped when it is a page number ("— 1 —", "- 2 -", "第 3 页",
  "3/10", "第1页 共5页"), when it is set in a clearly smaller font than the body text (at most
  85% of the median size), or when, with its digits masked, it repeats on at least half the
  pages (at least two).
- Paragraphs: visual lines are joined back into paragraphs as the text seeds have them. A line
  starts a new paragraph when it is indented, when the line before it stopped short of the
  right margin, or when it opens with a heading/list number ("一、" "（二）" "3." "第四章") after
  a line ending a sentence (。：；！？); otherwise it continues the paragraph (also across a
  page break).
- Locations: each paragraph line is labelled with the page it starts on ("第3页").
- Scans: pages with no text layer (or only a page number) are read by OCR
  (`checker.load.ocr`, the optional ``checker[ocr]`` extra); without it a scan is refused with a
  message saying how to install it. ``Source.ocr_pages`` lists the pages read by OCR.
- Hostile files are bounded before PDFium parses them (`prescan`): any stream that inflates
  beyond ``Limits.pdf_max_stream_bytes`` (a compression bomb), a page-content stream beyond
  ``Limits.pdf_max_content_bytes`` (e.g. one 15 MB string) or with more than
  ``Limits.pdf_max_text_ops`` text-showing operators, more characters than ``Limits.max_chars``,
  and extraction beyond ``Limits.pdf_max_seconds`` (checked after every page) are refused with a
  one-line reason.
- Refusals (one line each): encrypted, malformed, more pages than ``Limits.pdf_max_pages``,
  no text at all.
"""

from __future__ import annotations

import re
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from statistics import median

from checker.errors import InputError
from checker.load import Limits, Source

_PAGE_NUMBER = re.compile(
    # "一" is how OCR reads the dashes of "— 1 —"
    r"^[\s—\-–－―~·•一]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s—\-–－―~·•一]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_EDGE_ZONE = 0.12
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# A line opening with a heading or list number ("一、" "（二）" "3." "第四章") after a line that
# ended a sentence starts a new paragraph even when the margins cannot tell (no line wraps).
_ITEM_START = re.compile(r"[\s\u3000]*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[)）]"
                         r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十\d]{1,3}[章节部分])")
_SENTENCE_END = re.compile(r"[。：:；;！!？?]\s*$")
# A page whose body has fewer characters than this has no real text layer (a scan with at most
# a page number or a stamped header as text).
_SCAN_PAGE_CHARS = 5


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


# --- pre-scan of the raw file: bounds PDFium cannot enforce itself --------------------------------

_STREAM_START = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_NOT_CONTENT = re.compile(rb"/(?:Length1|Length2|Length3|Subtype\s*/Image|Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile|XObject\s*/Subtype\s*/Image))\b")
_DEFLATE_MAX_RATIO = 1032  # deflate can expand at most ~1032:1


def prescan(path: str, data: bytes, limits: Limits) -> None:
    """Refuse a PDF whose streams would make PDFium allocate or work without bound.

    Every stream is found in the raw bytes (``stream`` … ``endstream``). A FlateDecode stream is
    inflated with a bound only when its compressed size could exceed the limit at all (deflate
    expands at most ~1032:1), so ordinary fonts and images are not inflated; page-content streams
    (no ``/Subtype /Image``, no font lengths) are inflated (bounded) to count text operators.
    """
    content_cap, stream_cap = limits.pdf_max_content_bytes, limits.pdf_max_stream_bytes
    for match in _STREAM_START.finditer(data):
        start = match.end()
        head = data[max(0, match.start() - 2048):match.start()]
        head = head[head.rfind(b"obj") + 1:] if b"obj" in head else head
        end = data.find(b"endstream", start)
        raw = data[start:end if end >= 0 else len(data)]
        content = _NOT_CONTENT.search(head) is None
        if b"/FlateDecode" in head or b"/Fl " in head or b"/Fl]" in head:
            cap = content_cap if content else stream_cap
            if not content and len(raw) * _DEFLATE_MAX_RATIO <= cap:
                continue  # cannot exceed the cap whatever it holds
            body, size = _inflate(raw, cap, keep=content)
            if size > cap:
                what = "页面内容流" if content else "数据流"
                raise InputError(path, f"PDF {what}解压后过大（超过 {cap // (1024 * 1024)} MB 上限，可能是压缩炸弹），已拒绝")
        elif b"/Filter" in head:
            continue  # other filters (images: DCT, JBIG2, CCITT; rare LZW) are not inflated here
        else:
            body = raw
            if content and len(raw) > content_cap:
                raise InputError(path, f"PDF 页面内容流过大（超过 {content_cap // (1024 * 1024)} MB 上限），已拒绝")
        if content and len(body) > limits.pdf_max_text_ops:
            # Tj TJ ' " (may over-count inside strings; the limit is far above real pages)
            operators = body.count(b"Tj") + body.count(b"TJ") + body.count(b"'") + body.count(b'"')
            if operators > limits.pdf_max_text_ops:
                raise InputError(path, f"PDF 页面内容中的文字绘制指令过多（{operators} 个，上限 {limits.pdf_max_text_ops}），已拒绝")


def _inflate(raw: bytes, cap: int, keep: bool) -> tuple[bytes, int]:
    """Inflate at most cap + 1 bytes; (the bytes if `keep`, the size reached)."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    size = 0
    pending = raw
    try:
        while pending and size <= cap:
            piece = inflater.decompress(pending, min(cap + 1 - size, 4 * 1024 * 1024))
            size += len(piece)
            if keep:
                pieces.append(piece)
            pending = inflater.unconsumed_tail
            if not piece:
                break
    except zlib.error:
        pass  # PDFium tolerates broken streams the same way: it uses what inflated
    return b"".join(pieces), size


# --- text layer -----------------------------------------------------------------------------------


def _page_lines(textpage, number: int, height: float) -> list[_Line]:
    """Visual lines of one page, top to bottom, with the geometry the paragraph rules need."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    lines: list[_Line] = []
    position = 0
    for piece in text.split("\r\n"):
        start, position = position, position + len(piece) + 2
        stripped = piece.strip()
        if not stripped:
            continue
        first = start + (len(piece) - len(piece.lstrip()))
        last = start + len(piece.rstrip()) - 1
        if last >= count:  # characters outside the BMP shift indices: clamp
            first, last = min(first, count - 1), count - 1
        left, bottom_a, _, top_a = textpage.get_charbox(first)
        _, bottom_b, right, top_b = textpage.get_charbox(last)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, (first + last) // 2) or 10.0
        lines.append(_Line(number, piece.rstrip(), left, right, height - max(top_a, top_b),
                           height - min(bottom_a, bottom_b), size))
    return _visual_order(lines)


def _visual_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; pieces of one visual line (same row, left to right) joined into one."""
    if all(a.top <= b.top + 1 for a, b in zip(lines, lines[1:])) and not _same_rows(lines):
        return lines
    lines = sorted(lines, key=lambda line: (round(line.top / 2), line.x0))
    out: list[_Line] = []
    for line in lines:
        if out and _same_row(out[-1], line) and line.x0 >= out[-1].x1 - 1:
            prev = out[-1]
            gap = " " if line.x0 - prev.x1 > 0.5 * line.size or _ASCII_WORD.match(prev.text[-1:]) else ""
            out[-1] = _Line(prev.page, prev.text + gap + line.text.lstrip(), prev.x0, line.x1,
                            min(prev.top, line.top), max(prev.bottom, line.bottom), max(prev.size, line.size))
        else:
            out.append(line)
    return out


def _same_row(a: _Line, b: _Line) -> bool:
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap > 0.5 * min(a.bottom - a.top, b.bottom - b.top, a.size, b.size)


def _same_rows(lines: list[_Line]) -> bool:
    return any(_same_row(a, b) for a, b in zip(lines, lines[1:]))


def _running_lines(pages: list[list[_Line]], heights: list[float]) -> set[int]:
    """ids of header/footer lines: page numbers and lines repeated on most pages."""
    candidates: list[tuple[_Line, str]] = []
    for lines, height in zip(pages, heights):
        edge = lines[:2] + lines[-2:] if len(lines) > 4 else lines
        for line in edge:
            if line.top < _EDGE_ZONE * height or line.bottom > (1 - _EDGE_ZONE) * height:
                candidates.append((line, re.sub(r"\d+", "#", line.text.strip())))
    counts = Counter(key for _, key in {(line.page, key): None for line, key in candidates})
    threshold = max(2, (len(pages) + 1) // 2)
    sizes = [line.size for lines in pages for line in lines]
    body_size = median(sizes) if sizes else 0.0
    dropped: set[int] = set()
    for line, key in candidates:
        small = line.size <= 0.85 * body_size  # headers and footers are set smaller than the text
        if _PAGE_NUMBER.match(line.text.strip()) or small or (len(pages) >= 2 and counts[key] >= threshold):
            dropped.add(id(line))
    return dropped


def _paragraphs(lines: list[_Line]) -> list[tuple[str, int]]:
    """Join visual lines into (paragraph text, page where it starts)."""
    if not lines:
        return []
    char = median(line.size for line in lines) or 10.0
    left = min(line.x0 for line in lines)
    rights = sorted(line.x1 for line in lines)
    right = rights[int(0.95 * (len(rights) - 1))]
    out: list[tuple[str, int]] = []
    previous: _Line | None = None
    for line in lines:
        indented = line.x0 > left + 1.5 * char
        short_before = previous is None or previous.x1 < right - 2 * char
        new_item = previous is not None and _ITEM_START.match(line.text) and _SENTENCE_END.search(previous.text)
        if previous is None or indented or short_before or new_item:
            out.append((line.text.strip(" \xa0\u3000"), line.page))
        else:
            text, page = out[-1]
            glue = " " if _ASCII_WORD.match(text[-1:]) and _ASCII_WORD.match(line.text.lstrip()[:1]) else ""
            out[-1] = (text + glue + line.text.lstrip(" \xa0\u3000"), page)
        previous = line
    return out


def paragraphs_from_lines(pages: list[list[_Line]], heights: list[float]) -> list[tuple[str, int]]:
    running = _running_lines(pages, heights)
    return _paragraphs([line for lines in pages for line in lines if id(line) not in running])


def load_pdf(path: str, data: bytes, limits: Limits) -> Source:
    import pypdfium2 as pdfium

    prescan(path, data, limits)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(path, _reason(exc)) from None
    try:
        count = len(pdf)  # the page tree's count: nothing is parsed yet
        if count > limits.pdf_max_pages:
            raise InputError(path, f"PDF 页数过多（超过 {limits.pdf_max_pages} 页上限），已拒绝")
        if count == 0:
            raise InputError(path, "PDF 中没有页面（文件已损坏）")
        pages: list[list[_Line]] = []
        heights: list[float] = []
        characters = 0
        deadline = time.monotonic() + limits.pdf_max_seconds
        for number in range(1, count + 1):
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as exc:
                raise InputError(path, _reason(exc)) from None
            try:
                height = page.get_height() or 842.0
                textpage = page.get_textpage()
                try:
                    characters += textpage.count_chars()
                    if characters > limits.max_chars:
                        raise InputError(path, f"PDF 文字过多（超过 {limits.max_chars} 字上限），已拒绝")
                    pages.append(_page_lines(textpage, number, height))
                finally:
                    textpage.close()
            finally:
                page.close()
            heights.append(height)
            if time.monotonic() > deadline:
                raise InputError(path, f"PDF 解析超时（超过 {limits.pdf_max_seconds:g} 秒，停在第 {number} 页），已拒绝")
        running = _running_lines(pages, heights)
        tried_ocr = False
        scanned = [number for number, lines in enumerate(pages, 1)
                   if sum(len(line.text.strip()) for line in lines if id(line) not in running) < _SCAN_PAGE_CHARS]
        ocr_pages: list[int] = []
        scanned = [number for number in scanned if _has_image(pdf, number)]
        tried_ocr = bool(scanned)
        if scanned:
            from checker.load.ocr import ocr_pdf_pages

            recognised = ocr_pdf_pages(path, pdf, scanned, limits)
            for number, lines in recognised.items():
                pages[number - 1] = lines
            ocr_pages = [number for number in sorted(recognised) if recognised[number]]
            running = _running_lines(pages, heights)
    finally:
        pdf.close()
    body = [line for lines in pages for line in lines if id(line) not in running]
    if sum(len(line.text.strip()) for line in body) < 10:
        raise InputError(path, "PDF 是扫描件，文字识别没有读出文字" if tried_ocr else "PDF 中没有可提取的文字")
    paragraphs = _paragraphs(body)
    text = "\n".join(text for text, _ in paragraphs)
    return Source(path=path, text=text, format="pdf", encoding=None,
                  locations={i: f"第{page}页" for i, (_, page) in enumerate(paragraphs, 1)},
                  ocr_lines={i for i, (_, page) in enumerate(paragraphs, 1) if page in set(ocr_pages)},
                  ocr_pages=ocr_pages)


def _has_image(pdf, number: int) -> bool:
    """Whether a page draws an image (what a scanned page is)."""
    import pypdfium2.raw as pdfium_c

    page = pdf[number - 1]
    try:
        return any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    finally:
        page.close()


def _reason(exc: Exception) -> str:
    text = f"{type(exc).__name__} {exc}"
    if "assword" in text or "ncrypt" in text or "security" in text.lower():
        return "PDF 已加密，请先解除密码保护"
    return "PDF 文件已损坏或无法解析（PDFium 无法打开）"
