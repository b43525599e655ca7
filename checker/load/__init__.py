"""Loading: turn a file on disk into a `Source` (decoded text plus what the format tells us).

Every loader returns the same `Source`; the document model never knows the file format.
Input files are only ever opened for reading (legacy .doc/.wps are copied to a temporary
directory before LibreOffice sees them).

The reader is chosen by content first and suffix second (`sniff`):

=====================  ===============================================  ==================
content                what it is                                       reader
=====================  ===============================================  ==================
``PK\\x03\\x04`` + ``word/document.xml``  Word 2007+ (.docx, some .wps)  `checker.load.docx`
``%PDF`` (first 1 KB)  PDF                                               `checker.load.pdf`
``D0 CF 11 E0``        OLE2: Word 97-2003 .doc, old WPS .wps             `checker.load.legacy`
``{\\rtf``              RTF (often saved as .doc)                        `checker.load.legacy`
``<html`` ``<!DOCTYPE`` ``<meta`` …  web page                             `checker.load.html`
anything else          plain text in any common encoding                 `checker.load.text`
=====================  ===============================================  ==================

A file whose suffix promises a container it does not hold (a ``.docx`` that is not a zip, a
``.pdf`` without ``%PDF``) is refused with a one-line reason; a file that *is* a known container
under another suffix is read by its content.

Limits against hostile input live in `Limits` (all configurable; defaults are documented there).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field

from checker.errors import InputError, os_reason

# Files larger than this are refused rather than read (configurable by callers).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits for reading one document. Defaults suit real reports with wide margins.

    - ``max_bytes``: size of the file on disk (20 MB).
    - ``max_chars``: characters of decoded text modelled (2,000,000; a long real report has
      under 100,000); longer texts are refused by `checker.model.document.build_document`.
    - ``zip_max_members``: entries in a .docx package (5,000).
    - ``zip_max_total``: declared *and* actually decompressed bytes of all entries (200 MB).
    - ``zip_max_ratio``: compression ratio of any entry larger than 1 MB (200×; real XML is ~10×).
    - ``xml_max_part``: one decompressed XML part (30 MB; the text of a long report is < 5 MB).
    - ``pdf_max_pages``: pages in a PDF (300); longer files are refused, not truncated.
    - ``pdf_max_seconds``: time to extract a PDF's text (60 s; a real report takes well under 5 s).
    - ``ocr_page_seconds``: CPU seconds allowed per scanned page read by OCR (60 s; a dense A4
      page took 10–25 CPU s on the busy 2-core test machine).
    - ``pdf_max_stream_bytes``: bytes any one PDF stream may inflate to (64 MB; compression bombs).
    - ``pdf_max_content_bytes``: bytes of one page-content stream, inflated (16 MB; a text page
      has well under 1 MB).
    - ``pdf_max_text_ops``: text-showing operators in one page-content stream (100,000; a dense
      A4 page has at most a few thousand).
    - ``html_max_nodes``: tags in a web page (500,000).
    - ``html_max_depth``: nesting depth of elements in a web page (2,000; real pages stay under 100).
    - ``html_max_attributes``: attributes of one element (200; real ones have under 30). The HTML
      parser's cost grows with the square of an element's attributes.
    - ``convert_timeout``: seconds LibreOffice may take to convert a .doc/.wps (120).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = 2_000_000
    zip_max_members: int = 5000
    zip_max_total: int = 200 * 1024 * 1024
    zip_max_ratio: int = 200
    xml_max_part: int = 30 * 1024 * 1024
    pdf_max_pages: int = 300
    pdf_max_seconds: float = 60.0
    ocr_page_seconds: float = 60.0
    pdf_max_stream_bytes: int = 64 * 1024 * 1024
    pdf_max_content_bytes: int = 16 * 1024 * 1024
    pdf_max_text_ops: int = 100_000
    html_max_nodes: int = 500_000
    html_max_depth: int = 2000
    html_max_attributes: int = 200
    convert_timeout: float = 120.0


@dataclass
class Source:
    """Decoded text of one document and the facts its format gave us."""

    path: str
    text: str
    format: str = "text"  # text | docx | pdf | html | doc (converted .doc/.wps)
    encoding: str | None = None
    # Facts from the container: publication date from HTML meta, etc. Keys are Chinese labels
    # as they appear in documents (发布时间, 成文日期); dates are normalised to YYYY-MM-DD.
    metadata: dict[str, str] = field(default_factory=dict)
    # Line number (1-based) -> heading level given by the format (Word outline level / style).
    heading_hints: dict[int, int] = field(default_factory=dict)
    # Line number (1-based) -> a label a person can find again ("第3页", "第12段").
    locations: dict[int, str] = field(default_factory=dict)
    # In-document directives that are not part of the text: Word comments whose text starts
    # with ``checker-disable``, as (line the comment is anchored to, comment text). Line is the
    # 1-based line of `text` holding the commented paragraph (1 when the anchor is unknown).
    directives: list[tuple[int, str]] = field(default_factory=list)
    # Pages (1-based) whose text came from OCR (scanned pages), and the lines of `text` that
    # came from them: OCR errors are not the writer's, so proofreading skips these lines.
    ocr_pages: list[int] = field(default_factory=list)
    ocr_lines: set[int] = field(default_factory=set)


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, with one-line errors for the usual failures."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(path, f"无法读取文件（{os_reason(exc)}）") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "这是一个目录，不是文件")
    if not stat.S_ISREG(info.st_mode):  # a FIFO would block forever, a device never ends
        raise InputError(path, "不是普通文件（管道、设备或套接字），已跳过")
    size = info.st_size
    if size > max_bytes:
        raise InputError(path, f"文件过大（{size} 字节，上限 {max_bytes} 字节）")
    try:
        with open(path, "rb") as handle:
            # size + 1 bytes, not max_bytes + 1: reading allocates what it is asked for (20 MB
            # per file cost more than the rest of loading); a file that grew is read on.
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(max_bytes + 1 - len(data))
    except IsADirectoryError:
        raise InputError(path, "这是一个目录，不是文件") from None
    except OSError as exc:
        raise InputError(path, f"无法读取文件（{os_reason(exc)}）") from None
    if len(data) > max_bytes:  # the file grew after the size check
        raise InputError(path, f"文件过大（超过上限 {max_bytes} 字节）")
    if data and size == 0:  # /proc, /sys and similar: a "regular" file of size 0 that has content
        raise InputError(path, "不是普通文件（系统伪文件，如 /proc 下的文件），已跳过")
    return data


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<meta", b"<head", b"<body")
# Binary formats people mistake for reports, with the name to show them.
_OTHER_SIGNATURES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
)
_SUFFIX_FORMAT = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
                  ".shtml": "html", ".xhtml": "html", ".doc": "doc", ".wps": "doc"}
_FORMAT_NAMES = {"docx": "Word 文档（.docx）", "pdf": "PDF 文件", "html": "网页", "doc": "Word 97-2003/WPS 文档"}


def _looks_like_html(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM
        head = head[:512].decode("utf-16", errors="ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):  # every page (and <?xml) opens with a tag
        return False
    lowered = stripped.lower()
    if lowered.startswith(b"<?xml") and b"<html" in lowered:
        return True
    return any(marker in lowered for marker in _HTML_MARKERS) and lowered[:1] == b"<"


def sniff(path: str, data: bytes) -> str:
    """The reader for `data`: content first, suffix second; refuse a lying suffix."""
    suffix = os.path.splitext(path)[1].lower()
    head = data[:1024]
    if data.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or b"word/document.xml" in data[-65536:]:
            return "docx"
        if suffix in (".docx", ".docm", ".wps"):
            return "docx"  # the docx reader gives the precise reason (no word/document.xml)
        raise InputError(path, "是 ZIP 压缩包（或 Excel/PPT 等），不是 Word 报告文档")
    if b"%PDF" in head:
        return "pdf"
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:  # encrypted .docx inside an OLE2 wrapper
            raise InputError(path, "文档已设置打开密码（加密），请解除密码后另存再检查")
        if suffix in (".xls", ".ppt", ".msg"):
            raise InputError(path, "是 Office 表格/演示文稿，不是报告文档")
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "doc"  # RTF: LibreOffice converts it like .doc
    for signature, name in _OTHER_SIGNATURES:
        if data.startswith(signature):
            raise InputError(path, f"是{name}，不是报告文本")
    if _looks_like_html(head):
        return "html"
    expected = _SUFFIX_FORMAT.get(suffix)
    if expected in ("docx", "pdf", "doc"):
        raise InputError(path, f"扩展名为 {suffix}，但内容不是{_FORMAT_NAMES[expected]}（文件已损坏或扩展名有误）")
    if expected == "html":
        return "html"
    return "text"


def load(path: str, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits | None = None) -> Source:
    """Load any supported document, choosing the reader by content first and suffix second."""
    if limits is None:
        limits = Limits(max_bytes=max_bytes)
    data = read_bytes(path, limits.max_bytes)
    if not data:
        raise InputError(path, "文件为空")
    kind = sniff(path, data)
    try:
        return _read(path, data, kind, limits)
    except InputError:
        raise
    except MemoryError:
        raise InputError(path, "文件内容过大，内存不足，已拒绝") from None
    except RecursionError:
        raise InputError(path, "文件结构嵌套过深，已拒绝") from None
    except Exception as exc:  # a parsing library choking on malformed input: one line, never a traceback
        raise InputError(path, f"文件已损坏或结构异常，无法读取（{_FORMAT_NAMES.get(kind, kind)}，"
                               f"{type(exc).__name__}）") from None


def _read(path: str, data: bytes, kind: str, limits: Limits) -> Source:
    if kind == "docx":
        from checker.load.docx import load_docx

        return load_docx(path, data, limits)
    if kind == "pdf":
        from checker.load.pdf import load_pdf

        return load_pdf(path, data, limits)
    if kind == "html":
        from checker.load.html import load_html

        return load_html(path, data, limits)
    if kind == "doc":
        from checker.load.legacy import load_legacy

        return load_legacy(path, data, limits)
    from checker.load.text import decode_text

    text, encoding = decode_text(path, data)
    return Source(path=path, text=text, format="text", encoding=encoding)
