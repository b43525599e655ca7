"""The PDF reader (PDFium): hostile PDF classes bounded before PDFium parses them, reading order,
and scanned pages read by OCR. Every input is built in the test."""

from __future__ import annotations

import json
import zlib

import pytest

from checker.errors import InputError
from checker.load import Limits, load
from tests.hostile import pdf_from_objects, run_checker

MB = 1024 * 1024


def one_page_pdf(content: bytes, compress: bool = True, extra: bytes = b"", deflated: bytes | None = None) -> bytes:
    """A hand-made one-page PDF drawing `content` with Helvetica (or whose content stream is the
    already `deflated` bytes); `extra` adds one more object."""
    stream = deflated if deflated is not None else zlib.compress(content, 9) if compress else content
    flate = b" /Filter /FlateDecode" if compress or deflated is not None else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
               b" /Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d%s >>\nstream\n" % (len(stream), flate) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if extra:
        objects.append(extra)
    return pdf_from_objects(objects)


def _deflate_spaces(size: int) -> bytes:
    packer = zlib.compressobj(1)
    chunk = b" " * MB
    return b"".join(packer.compress(chunk) for _ in range(size // MB)) + packer.flush()


@pytest.fixture(scope="module")
def bomb_stream() -> bytes:
    # 256 MiB of spaces deflate to ~1.1 MB (a 1 GiB bomb takes seconds just to build; the bound
    # stops at the cap either way).
    return _deflate_spaces(256 * MB)


def _cpu_seconds_to_load(path) -> float:
    import time

    started = time.process_time()  # CPU time: a busy shared machine must not fail the test
    try:
        load(str(path))
    except InputError:
        pass
    return time.process_time() - started


def _refused_quickly(path, *needles: str) -> None:
    run = run_checker("check", "--no-progress", "--format", "json", str(path), timeout=60)
    assert run.peak_mb < 1024, run.peak_mb
    error = json.loads(run.stdout)["documents"][0]["error"]
    assert error and "\n" not in error and all(needle in error for needle in needles), error
    assert _cpu_seconds_to_load(path) < 10


def test_compression_bomb_in_page_content_is_refused(tmp_path, bomb_stream):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(one_page_pdf(b"", deflated=bomb_stream))
    _refused_quickly(path, "解压后过大", "压缩炸弹")


def test_compression_bomb_in_an_image_stream_is_refused(tmp_path, bomb_stream):
    image = (b"<< /Type /XObject /Subtype /Image /Width 16384 /Height 16384 /BitsPerComponent 8"
             b" /ColorSpace /DeviceGray /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb_stream)
             + bomb_stream + b"\nendstream")
    path = tmp_path / "image-bomb.pdf"
    path.write_bytes(one_page_pdf(b"BT /F1 12 Tf 72 700 Td (hello) Tj ET", extra=image))
    with pytest.raises(InputError, match="数据流解压后过大"):
        load(str(path))


def test_one_huge_string_in_a_content_stream_is_bounded(tmp_path):
    path = tmp_path / "string.pdf"
    path.write_bytes(one_page_pdf(b"BT /F1 12 Tf 72 700 Td (" + b"a" * (15 * MB) + b") Tj ET", compress=False))
    run = run_checker("check", "--no-progress", "--format", "json", str(path), timeout=60)
    assert run.peak_mb < 1024, run.peak_mb
    assert _cpu_seconds_to_load(path) < 10
    # PDFium keeps at most 32,767 characters of one string; a smaller content limit refuses it outright.
    with pytest.raises(InputError, match="页面内容流过大"):
        load(str(path), limits=Limits(pdf_max_content_bytes=MB))


def test_millions_of_text_operators_are_refused(tmp_path):
    path = tmp_path / "operators.pdf"
    path.write_bytes(one_page_pdf(b"BT /F1 12 Tf 72 700 Td " + b"(a)Tj " * 1_500_000 + b"ET"))
    assert path.stat().st_size < 100_000
    _refused_quickly(path, "文字绘制指令过多")


def test_real_pages_pass_the_prescan(tmp_path):
    from tests.makedocs import write_pdf

    text = "\n".join(["XX镇2023年法治政府建设年度报告"] + ["一、主要举措"] + ["镇政府依法行政，推进法治建设。" * 30] * 40)
    source = load(str(write_pdf(text, tmp_path / "long.pdf")))
    assert source.text.split("\n") == text.split("\n")


def test_lines_are_read_top_to_bottom_whatever_the_drawing_order(tmp_path):
    # The footer is drawn first and the two body lines in reverse order; one row is drawn in two pieces.
    content = (b"BT /F1 9 Tf 280 40 Td (- 1 -) Tj ET "
               b"BT /F1 12 Tf 120 700 Td (Second paragraph starts here and runs on for a much longer line of text.) Tj ET "
               b"BT /F1 12 Tf 120 660 Td (Third paragraph is also a rather long line of text, longer.) Tj ET "
               b"BT /F1 12 Tf 96 740 Td (First paragraph,) Tj ET "
               b"BT /F1 12 Tf 200 740 Td (same row.) Tj ET")
    path = tmp_path / "order.pdf"
    path.write_bytes(one_page_pdf(content))
    source = load(str(path))
    assert source.text.split("\n") == ["First paragraph, same row.", "Second paragraph starts here and runs on for a much longer line of text.",
                                        "Third paragraph is also a rather long line of text, longer."]


# ---------------------------------------------------------------- scanned pages (OCR)


def scan_of(text_pdf, path):
    """An image-only PDF made from a text PDF: every page rendered at 150 dpi, saved as a picture."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(text_pdf))
    images = [pdf[index].render(scale=150 / 72, grayscale=True).to_pil() for index in range(len(pdf))]
    pdf.close()
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


@pytest.fixture(scope="module")
def scanned_report(tmp_path_factory):
    from tests.makedocs import write_pdf
    from tests.test_formats import REPORT

    folder = tmp_path_factory.mktemp("scan")
    text_pdf = write_pdf(REPORT, folder / "report.pdf")
    return text_pdf, scan_of(text_pdf, folder / "scan.pdf")


def test_scanned_pdf_is_read_by_ocr_with_same_sections_and_year(scanned_report, engine):
    pytest.importorskip("rapidocr_onnxruntime")
    text_pdf, scan = scanned_report
    source = load(str(scan))
    assert source.ocr_pages == [1] and source.ocr_lines == set(range(1, source.text.count("\n") + 2))
    assert set(source.locations.values()) == {"第1页"}
    from checker.model.document import build_document

    from_text, from_scan = engine.check_path(str(text_pdf)), engine.check_document(build_document(source))
    assert [s["id"] for s in from_scan.sections] == [s["id"] for s in from_text.sections] == [
        "measures", "shortcomings", "first-responsible", "next-year"]
    assert from_scan.report_year == from_text.report_year == 2023
    assert from_scan.ocr_pages == [1] and from_scan.ocr_note() == "第1页为扫描件，经文字识别读取，未做错别字检查"


def test_scan_without_the_ocr_extra_says_how_to_install_it(scanned_report, monkeypatch):
    import checker.load.ocr as ocr

    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    with pytest.raises(InputError) as info:
        load(str(scanned_report[1]))
    message = str(info.value)
    assert "扫描件" in message and "pip install 'checker[ocr]'" in message and "\n" not in message


def test_image_only_docx_is_read_by_ocr(scanned_report, tmp_path):
    pytest.importorskip("rapidocr_onnxruntime")
    import docx
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(scanned_report[1]))
    image = pdf[0].render(scale=150 / 72, grayscale=True).to_pil()
    pdf.close()
    image = image.crop((0, 0, image.width, image.height // 5))  # the title lines only: one small OCR job
    picture = tmp_path / "page.png"
    image.save(picture)
    document = docx.Document()
    document.add_picture(str(picture))
    path = tmp_path / "scan.docx"
    document.save(str(path))
    source = load(str(path))
    assert source.format == "docx" and source.ocr_pages == [1]
    assert "XX镇2023年度法治政府建设年度报告" in source.text and "县委、县政府：" in source.text.split("\n")
