"""Paths as reports print them: relative to a base directory (default: the working directory),
with forward slashes, so SARIF artifact URIs and annotations match the repository layout."""

from __future__ import annotations

import os
from urllib.parse import quote


def relative_path(path: str, base_dir: str | None = None) -> str:
    base = os.path.abspath(base_dir or os.getcwd())
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        rel = absolute
    if rel.startswith(".."):
        rel = absolute
    return rel.replace(os.sep, "/")


def artifact_uri(path: str, base_dir: str | None = None) -> str:
    """A relative URI reference (percent-encoded, '/' kept); absolute paths become file: URIs."""
    rel = relative_path(path, base_dir)
    # Percent-encode the file system's bytes: a name that is not valid UTF-8 (a GBK name from an
    # unpacked zip, surrogate-escaped by Python) still gets a URI instead of an exception.
    if os.path.isabs(rel):
        return "file://" + quote(os.fsencode(rel if rel.startswith("/") else "/" + rel), safe="/:")
    return quote(os.fsencode(rel), safe="/")
