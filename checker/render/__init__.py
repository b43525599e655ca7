"""Renderers: one module per output format, each a leaf that only formats results.

Every format module defines ``class Report(BaseReport)``. Results are streamed to it one
document at a time (``add``), so a batch of any size keeps memory flat, and ``close`` writes
whatever comes last (a summary, closing brackets). ``BINARY`` says whether the report writes
bytes (xlsx) instead of text. `render()` is a convenience that renders a list to a string.

Format modules are imported lazily through `FORMATS`, so start-up stays fast.
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from checker.result import DocumentResult

# Every report the checker writes says so near its start, so a later run over the same folder
# recognises it by content (whatever its name) and skips it instead of checking it as a document.
GENERATOR = "checker"
OWN_REPORT_MARKERS = (
    re.compile(rb'<meta name="generator" content="checker'),  # html
    re.compile(rb'"generator": "checker'),  # json
    re.compile(rb'"driver":\s*\{\s*"name":\s*"checker"'),  # sarif
    re.compile(rb'<testsuites name="checker"'),  # junit
)
OWN_REPORT_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".json", ".sarif", ".xml")


def is_own_report(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a report this tool wrote."""
    return any(marker.search(head) for marker in OWN_REPORT_MARKERS)


def pack_label(pack) -> str:
    """How a report header names the rule pack used: 'national：全国通用模板（…）'."""
    if pack is None:
        return ""
    return f"{pack.name}：{pack.title}" if pack.title else pack.name


FORMATS: dict[str, str] = {
    "terminal": "checker.render.terminal",
    "json": "checker.render.json",
    "sarif": "checker.render.sarif",
    "junit": "checker.render.junit",
    "github": "checker.render.github",
    "csv": "checker.render.csv",
    "xlsx": "checker.render.xlsx",
    "html": "checker.render.html",
}


@dataclass
class RenderOptions:
    """What renderers may need beyond the results themselves."""

    pack: Any = None  # the Pack used, for rule metadata (SARIF driver rules, grades)
    color: bool | None = None  # None: decide from the output stream
    base_dir: str | None = None  # paths in outputs are made relative to this
    extras: dict = field(default_factory=dict)


class BaseReport:
    """Streaming report: ``add`` each result as it is ready, then ``close`` once.

    A format whose output for one document depends only on that document and the options may
    also render it where the document was checked (a worker process): ``piece(result, options)``
    returns what ``add`` writes for it (text, or a small picklable value), `Rendered` carries the
    pieces back, and ``add`` writes a piece as it would have written the result. ``piece``
    returning `NO_PIECE` (the default) means this format needs the whole result in the main
    process (then every result is sent whole).
    """

    BINARY = False
    SUMMARY = False  # keeps a batch summary (checker.render.summary): pieces come with their Facts

    def __init__(self, out: IO, options: RenderOptions) -> None:
        self.out = out
        self.options = options

    @classmethod
    def piece(cls, result: DocumentResult, options: RenderOptions) -> object:
        return NO_PIECE

    def add(self, result: DocumentResult) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Write the end of the report; does not close the stream."""

    def discard(self) -> None:
        """The run was interrupted: release what the report holds (temporary files); nothing is written."""


NO_PIECE = object()


@dataclass
class Rendered:
    """A document checked and already rendered (in a worker) for every output of the run: what the
    main process needs to write the reports and decide the exit code, and nothing else (no
    findings, no text), so it stays cheap to send and to keep."""

    path: str
    error: str | None
    score: float | None
    worst_severity: Any  # Severity | None
    pieces: dict[str, Any]  # format name → its piece
    facts: Any = None  # checker.render.summary.Facts, for the formats that keep a batch summary

    def worst(self):
        return self.worst_severity


def pieces_supported(outputs: list[tuple[str, RenderOptions]]) -> bool:
    """Whether every output (format name, options) can take pieces rendered in the workers."""
    probe = DocumentResult(path="")
    return all(report_class(name).piece(probe, options) is not NO_PIECE for name, options in outputs)


def render_pieces(result: DocumentResult, outputs: list[tuple[str, RenderOptions]]) -> Rendered:
    """`result` rendered for every output (in the process that checked it)."""
    from checker.render.summary import facts

    pieces = {name: report_class(name).piece(result, options) for name, options in outputs}
    summary = facts(result) if any(report_class(name).SUMMARY for name, _ in outputs) else None
    return Rendered(result.path, result.error, result.score, result.worst(), pieces, summary)


def report_class(name: str) -> type[BaseReport]:
    return importlib.import_module(FORMATS[name]).Report


def render(name: str, results: Iterable[DocumentResult], options: RenderOptions | None = None) -> str | bytes:
    """Render a whole list at once (tests, small runs)."""
    cls = report_class(name)
    buffer: IO = io.BytesIO() if cls.BINARY else io.StringIO()
    report = cls(buffer, options or RenderOptions())
    for result in results:
        report.add(result)
    report.close()
    return buffer.getvalue()
