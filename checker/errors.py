"""Errors that reach users as one clear line, never as a traceback."""

from __future__ import annotations


class CheckerError(Exception):
    """Base class: every subclass renders as a single line for the user."""


class InputError(CheckerError):
    """A document could not be read: binary, empty, undecodable, unsupported, too large."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RuleFileError(CheckerError):
    """A rule pack or config file is invalid; carries file:line:column where known."""

    def __init__(self, path: str, reason: str, line: int | None = None, column: int | None = None) -> None:
        place = path
        if line is not None:
            place += f":{line}"
            if column is not None:
                place += f":{column}"
        super().__init__(f"{place}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
