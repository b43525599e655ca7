"""Scanned pages read by OCR: RapidOCR (PP-OCR Chinese models shipped inside the
``rapidocr-onnxruntime`` wheel, so it works offline), installed with ``pip install 'checker[ocr]'``.

- Which pages: a PDF page whose text layer holds fewer than 5 characters besides running
  headers and page numbers, and that draws an image; a .docx whose only content is images
  (a scan pasted into Word). Without the extra such a file is refused with the install command.
- Rendering: PDFium renders the page in grey at `RENDER_DPI` (150 dpi: body text of a scanned
  A4 report is ~25 px high, plenty for the recogniser, which scales every line to 48 px; more
  pixels only slow detection down).
- Speed: the text direction classifier is off (scanned reports are upright; it costs a pass
  over every line), recognition runs in batches of `REC_BATCH` lines, and onnxruntime uses one
  thread per process by default (a batch uses one worker per core; set
  ``CHECKER_OCR_THREADS`` to give a single run more).
- Lines become `checker.load.pdf._Line`s in page coordinates (points), so paragraphs are
  rebuilt and running headers removed exactly as for a text PDF; positions say 第N页.
- Time: every OCR page may take ``Limits.ocr_page_seconds`` of CPU time (not wall time: a busy
  machine must not fail a scan) on top of the PDF's budget; the batch's per-document timeout
  (``--timeout``) grows by the same allowance for every page to be read by OCR.
- Progress: whoever checks the document may listen (`page_listener`, set for one document by
  `checker.batch.check_one`): it is told ``(0, pages)`` before the first page and ``(done, pages)``
  after each, so a long scan shows page by page in the progress bar.
- Recognised lines are marked (`Source.ocr_lines`): OCR errors are not the writer's, so
  proofreading for typos skips them and the report says which pages were read by OCR.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from checker.errors import InputError

RENDER_DPI = 150
REC_BATCH = 16
BLANK_LEVEL = 160  # grey level (0 black, 255 white): a page with no pixel darker is blank
MIN_SCORE = 0.5  # recognised lines scoring below this are dropped (noise, stamps)
INSTALL_HINT = "pip install 'checker[ocr]'"

# Told (pages read, pages to read) while a document's scanned pages are read; None: nobody listens.
page_listener: ContextVar[Callable[[int, int], None] | None] = ContextVar("checker_ocr_pages", default=None)


def _tell(done: int, total: int) -> None:
    listener = page_listener.get()
    if listener is not None:
        listener(done, total)


def ocr_available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def missing_message() -> str:
    return f"是扫描件（没有文字层），需要文字识别（OCR）：请安装 {INSTALL_HINT} 后重试，或提供 Word/文本版本"


@lru_cache(maxsize=1)
def _engine(threads: int):
    import logging

    from rapidocr_onnxruntime import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(use_cls=False, rec_batch_num=REC_BATCH, intra_op_num_threads=threads,
                    inter_op_num_threads=1, print_verbose=False)


def _threads() -> int:
    try:
        return max(1, int(os.environ.get("CHECKER_OCR_THREADS", "1")))
    except ValueError:
        return 1


def recognise(image) -> list[tuple[float, float, float, float, str]]:
    """(x0, top, x1, bottom, text) in pixels for every text line of an RGB/grey numpy image."""
    import numpy as np

    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.size == 0 or int(image.min()) > BLANK_LEVEL:
        return []  # a blank page: nothing dark enough to be ink
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    result, _ = _engine(_threads())(image)
    lines = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not text.strip():
            continue
        xs = [point[0] for point in box]
        ys = [point[1] for point in box]
        lines.append((min(xs), min(ys), max(xs), max(ys), text))
    return lines


def font_size(width: float, text: str) -> float:
    """A recognised line's font size from its width: Chinese characters and full-width
    punctuation are one em wide, others about half. (The detector's box height is padded by a
    near-constant margin, so it tells a 9 pt header from 12 pt body text poorly.)"""
    ems = sum(1.0 if ord(char) >= 0x2E80 else 0.5 for char in text.strip())
    return width / max(ems, 1.0)


def ocr_pdf_pages(path: str, pdf, numbers: list[int], limits) -> dict:
    """Page number -> visual lines (`checker.load.pdf._Line`) for the scanned pages `numbers`."""
    if not ocr_available():
        raise InputError(path, "PDF " + missing_message())
    from checker.load.pdf import _Line, _visual_order

    scale = RENDER_DPI / 72
    deadline = time.process_time() + limits.ocr_page_seconds * len(numbers)
    pages: dict[int, list] = {}
    _tell(0, len(numbers))
    for done, number in enumerate(numbers, 1):
        page = pdf[number - 1]
        try:
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                image = bitmap.to_numpy().copy()  # the array views PDFium's buffer: copy before closing it
            finally:
                bitmap.close()
        finally:
            page.close()
        lines = [_Line(number, text, x0 / scale, x1 / scale, top / scale, bottom / scale, font_size(x1 - x0, text) / scale)
                 for x0, top, x1, bottom, text in recognise(image)]
        pages[number] = _visual_order(sorted(lines, key=lambda line: (line.top, line.x0)))
        _tell(done, len(numbers))
        if time.process_time() > deadline:
            raise InputError(path, f"文字识别超时（每页上限 {limits.ocr_page_seconds:g} 秒，停在第 {number} 页），已拒绝")
    return pages


# Largest image OCR will decode (pixels): an A4 scan at 600 dpi is ~35 million.
MAX_IMAGE_PIXELS = 60_000_000


def ocr_images(path: str, images: list[bytes], limits, format: str):
    """A `Source` from page images (a scan pasted into Word): one image is one page."""
    if not ocr_available():
        raise InputError(path, "Word 文档只含图片，" + missing_message())
    import io

    import numpy as np
    from PIL import Image

    from checker.load import Source
    from checker.load.pdf import _Line, _visual_order, paragraphs_from_lines

    deadline = time.process_time() + limits.ocr_page_seconds * len(images)
    pages: list[list] = []
    heights: list[float] = []
    _tell(0, len(images))
    for number, blob in enumerate(images, 1):
        try:
            with Image.open(io.BytesIO(blob)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise InputError(path, f"第 {number} 张图片过大（{image.width}×{image.height} 像素），已拒绝")
                image.draft("L", (image.width, image.height))
                pixels = np.asarray(image.convert("L"))
        except InputError:
            raise
        except Exception:  # not an image PIL can read (EMF, broken file): nothing to recognise
            _tell(number, len(images))
            continue
        lines = [_Line(number, text, x0, x1, top, bottom, font_size(x1 - x0, text))
                 for x0, top, x1, bottom, text in recognise(pixels)]
        pages.append(_visual_order(sorted(lines, key=lambda line: (line.top, line.x0))))
        heights.append(float(pixels.shape[0]))
        _tell(number, len(images))
        if time.process_time() > deadline:
            raise InputError(path, f"文字识别超时（每页上限 {limits.ocr_page_seconds:g} 秒，停在第 {number} 张图片），已拒绝")
    paragraphs = paragraphs_from_lines(pages, heights)
    if sum(len(text) for text, _ in paragraphs) < 10:
        raise InputError(path, "文档只含图片，文字识别没有读出文字")
    text = "\n".join(text for text, _ in paragraphs)
    numbers = sorted({page for _, page in paragraphs})
    return Source(path=path, text=text, format=format, encoding=None,
                  locations={i: f"第{page}页" for i, (_, page) in enumerate(paragraphs, 1)},
                  ocr_lines=set(range(1, len(paragraphs) + 1)), ocr_pages=numbers)
