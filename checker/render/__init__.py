"""Renderers: one module per output format, each a leaf that only formats results.

A renderer module exposes ``render(results, options) -> str`` (a whole report) and may expose
``stream`` support later; `FORMATS` maps a format name to its module path, imported lazily so
start-up stays fast.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

FORMATS: dict[str, str] = {
    "terminal": "checker.render.terminal",
    "json": "checker.render.json",
}


@dataclass
class RenderOptions:
    """What renderers may need beyond the results themselves."""

    pack: object | None = None  # the Pack used, for rule metadata
    color: bool | None = None  # None: decide from the output stream
    base_dir: str | None = None  # paths in outputs are relative to this
    extras: dict = field(default_factory=dict)


def renderer(name: str) -> ModuleType:
    return importlib.import_module(FORMATS[name])
