"""Scanned PDF pages: not read yet (OCR lands next); the reader refuses them with a clear reason."""

from __future__ import annotations

from checker.errors import InputError


def ocr_pdf_pages(path: str, pdf, numbers: list[int], limits) -> dict:
    raise InputError(path, "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）或提供 Word/文本版本")
