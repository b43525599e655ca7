"""The `Document`: built once per file and shared, read-only, by every rule."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from checker.errors import InputError
from checker.load import Limits, Source
from checker.model.directives import CommentLine, Directive, blank_comments, comment_lines, directives_of
from checker.model.normalize import NormalizedText, normalize
from checker.model.outline import Outline, build_outline


@dataclass
class Document:
    """One report: original text, positions, normalised text and outline."""

    path: str
    text: str
    format: str
    metadata: dict[str, str]
    line_starts: list[int]
    norm: NormalizedText
    outline: Outline
    locations: dict[int, str] = field(default_factory=dict)
    comments: list[CommentLine] = field(default_factory=list)  # <!-- … --> lines, blanked in `text`
    directives: list[Directive] = field(default_factory=list)  # checker-disable suppressions
    # Scanned pages read by OCR and the lines that came from them (not proofread for typos).
    ocr_pages: list[int] = field(default_factory=list)
    ocr_lines: frozenset[int] = frozenset()

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset into `text`."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    @cached_property
    def body_text(self) -> str:
        start, end = self.outline.body
        return self.text[start:end]


def line_starts_of(text: str) -> list[int]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index != -1:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return starts


# Longest text modelled, in characters (about 6 MB of Chinese in UTF-8; a long real report is
# under 100 000). Longer texts are refused with a clear message; callers may raise the limit
# (`checker.load.Limits.max_chars`, `checker check --max-chars`).
DEFAULT_MAX_CHARS = Limits.max_chars
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD."""
    try:
        # UTF-16 has no code for a lone surrogate, so strict encoding fails exactly when there is
        # one; otherwise it is a fast copy (the regex scan costs ~4x as much on a surrogate-free text).
        text.encode("utf-16-le")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def build_document(source: Source, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    if len(source.text) > max_chars:
        raise InputError(source.path, f"文字过长（{len(source.text)} 个字符，上限 {max_chars} 个字符）")
    # Lone surrogates (from broken PDF text maps or API callers) cannot be written as UTF-8:
    # each becomes U+FFFD, one character for one, so every offset stays valid.
    raw = _without_surrogates(source.text)
    comments = comment_lines(raw)
    # Comment lines become spaces: invisible to rules and outline, positions unchanged.
    text = blank_comments(raw, comments)
    starts = line_starts_of(text)
    norm = normalize(text)
    outline = build_outline(text, norm, starts, source.metadata, source.heading_hints)
    return Document(
        path=source.path,
        text=text,
        format=source.format,
        metadata=dict(source.metadata),
        line_starts=starts,
        norm=norm,
        outline=outline,
        locations=dict(source.locations),
        comments=comments,
        directives=directives_of(raw, comments, source.directives),
        ocr_pages=list(source.ocr_pages),
        ocr_lines=frozenset(source.ocr_lines),
    )


def document_from_text(text: str, path: str = "<text>", max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    """Convenience for tests and callers that already hold text."""
    # Same line endings as the text loader: CRLF and lone CR both end a line.
    return build_document(Source(path=path, text=text.replace("\r\n", "\n").replace("\r", "\n")), max_chars)
