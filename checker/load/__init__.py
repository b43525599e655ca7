"""Loading: turn a file on disk into a `Source` (decoded text plus what the format tells us).

Every loader returns the same `Source`; the document model never knows the file format.
Input files are only ever opened for reading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from checker.errors import InputError

# Files larger than this are refused rather than read (configurable by callers).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Source:
    """Decoded text of one document and the facts its format gave us."""

    path: str
    text: str
    format: str = "text"
    encoding: str | None = None
    # Facts from the container: publication date from HTML meta, etc. Keys are Chinese labels
    # as they appear in documents (发布时间, 成文日期).
    metadata: dict[str, str] = field(default_factory=dict)
    # Line number (1-based) -> heading level given by the format (Word outline level / style).
    heading_hints: dict[int, int] = field(default_factory=dict)
    # Line number (1-based) -> a label a person can find again ("第3页", "第12段").
    locations: dict[int, str] = field(default_factory=dict)
    # In-document directives that are not part of the text: Word comments whose text starts
    # with ``checker-disable``, as (line the comment is anchored to, comment text). Line is the
    # 1-based line of `text` holding the commented paragraph (1 when the anchor is unknown).
    directives: list[tuple[int, str]] = field(default_factory=list)


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, with one-line errors for the usual failures."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise InputError(path, f"无法读取文件（{exc.strerror or exc}）") from None
    if size > max_bytes:
        raise InputError(path, f"文件过大（{size} 字节，上限 {max_bytes} 字节）")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise InputError(path, "这是一个目录，不是文件") from None
    except OSError as exc:
        raise InputError(path, f"无法读取文件（{exc.strerror or exc}）") from None


def load(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Load any supported document, choosing the reader by content first and suffix second."""
    from checker.load.text import decode_text

    data = read_bytes(path, max_bytes)
    text, encoding = decode_text(path, data)
    return Source(path=path, text=text, format="text", encoding=encoding)
