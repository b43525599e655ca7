"""PDF: text in reading order, one line per paragraph, running headers and footers removed.

- Extraction: pdfplumber (pdfminer.six) visual lines per page, top to bottom; fake-bold duplicate
  glyphs are removed (``dedupe_chars``).
- Running headers/footers: among the first and last two lines of a page, lying in the top or
  bottom 12% of it, a line is dropped when it is a page number ("— 1 —", "- 2 -", "第 3 页",
  "3/10", "第1页 共5页"), when it is set in a clearly smaller font than the body text (at most
  80% of the median size), or when, with its digits masked, it repeats on at least half the
  pages (at least two).
- Paragraphs: visual lines are joined back into paragraphs as the text seeds have them. A line
  starts a new paragraph when it is indented, or when the line before it stopped short of the
  right margin; otherwise it continues the paragraph (also across a page break).
- Locations: each paragraph line is labelled with the page it starts on ("第3页").
- Refusals (one line each): encrypted, malformed, more pages than ``Limits.pdf_max_pages``
  (counted without parsing page contents), and no text layer (a scan: run OCR or ask for the
  Word/text version).
"""

from __future__ import annotations

import io
import re
import time
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from statistics import median

from checker.errors import InputError
from checker.load import Limits, Source

_PAGE_NUMBER = re.compile(
    r"^[\s—\-–－―~·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s—\-–－―~·•]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_EDGE_ZONE = 0.12
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def _page_lines(page, number: int) -> list[_Line]:
    page = page.dedupe_chars()
    lines = []
    for raw in page.extract_text_lines(strip=False, return_chars=True):
        text = raw["text"].rstrip()
        if not text.strip():
            continue
        sizes = [c.get("size", 0) or 0 for c in raw.get("chars", []) if c.get("text", "").strip()]
        lines.append(_Line(number, text, raw["x0"], raw["x1"], raw["top"], raw["bottom"],
                           median(sizes) if sizes else 10.0))
    return lines


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
    body_size = median(line.size for lines in pages for line in lines) if any(pages) else 0.0
    dropped: set[int] = set()
    for line, key in candidates:
        small = line.size <= 0.8 * body_size  # headers and footers are set smaller than the text
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
        if previous is None or indented or short_before:
            out.append((line.text.strip(" "), line.page))
        else:
            text, page = out[-1]
            glue = " " if _ASCII_WORD.match(text[-1:]) and _ASCII_WORD.match(line.text.lstrip()[:1]) else ""
            out[-1] = (text + glue + line.text.lstrip(" "), page)
        previous = line
    return out


def load_pdf(path: str, data: bytes, limits: Limits) -> Source:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds on malformed files
        raise InputError(path, _reason(exc)) from None
    try:
        from pdfminer.pdfpage import PDFPage

        try:
            count = sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), limits.pdf_max_pages + 1))
        except Exception as exc:
            raise InputError(path, _reason(exc)) from None
        if count > limits.pdf_max_pages:
            raise InputError(path, f"PDF 页数过多（超过 {limits.pdf_max_pages} 页上限），已拒绝")
        if count == 0:
            raise InputError(path, "PDF 中没有页面（文件已损坏）")
        pages: list[list[_Line]] = []
        heights: list[float] = []
        images = 0
        deadline = time.monotonic() + limits.pdf_max_seconds
        try:
            for number, page in enumerate(pdf.pages, 1):
                pages.append(_page_lines(page, number))
                heights.append(float(page.height or 842))
                images += len(page.images)
                if time.monotonic() > deadline:
                    raise InputError(path, f"PDF 解析超时（超过 {limits.pdf_max_seconds:g} 秒，停在第 {number} 页），已拒绝")
        except InputError:
            raise
        except Exception as exc:
            raise InputError(path, _reason(exc)) from None
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    running = _running_lines(pages, heights)
    body = [line for lines in pages for line in lines if id(line) not in running]
    # Page numbers or a stamped header on scanned pages are not a text layer: count the body only.
    characters = sum(len(line.text.strip()) for line in body)
    if characters < 5 * len(pages) or characters < 10:
        if images:
            raise InputError(path, "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word/文本版本")
        raise InputError(path, "PDF 中没有可提取的文字")
    paragraphs = _paragraphs(body)
    text = "\n".join(text for text, _ in paragraphs)
    return Source(path=path, text=text, format="pdf", encoding=None,
                  locations={i: f"第{page}页" for i, (_, page) in enumerate(paragraphs, 1)})


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    text = f"{name} {exc}"
    if "Password" in text or "Encrypt" in text or "password" in text:
        return "PDF 已加密，请先解除密码保护"
    return f"PDF 文件已损坏或无法解析（{name}）"
