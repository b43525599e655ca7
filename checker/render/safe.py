"""Text from a document or the file system on its way into an output: always text, never markup,
a terminal control sequence, a CI workflow command or a character an XML writer refuses.

Each output kind has one gate here, and every renderer sends foreign text through it:

- `plain` (terminal, plain-text logs, GitHub annotations, HTML tooltips): C0/C1 control characters
  (ESC, CSI U+009B, BEL, NUL …) become visible stand-ins, so a file name or a heading cannot move
  the cursor, clear the screen, set the window title or hide text. Tab and newline stay. The
  invisible bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) become
  U+FFFD: they reorder how the rest of a line is displayed ("Trojan Source"), so a file name or a
  quoted phrase could otherwise show something other than what it is.
- `rich_text` (anything printed with rich): `plain` text in a `rich.text.Text`, which rich never
  parses as markup, so ``[/b]`` or ``鲁政办字[2023]12号`` print as they are.
- `xml_text` (xlsx, JUnit, .docx): characters XML 1.0 cannot hold (C0 controls, U+FFFE/U+FFFF,
  lone surrogates) become U+FFFD.
- `not_a_command` (GitHub Actions): a line that is not one of our commands never starts a
  workflow command, even after the runner trims its leading whitespace.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, the C1 range (U+0080–U+009F: U+009B is CSI), and the
# bidirectional embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What XML 1.0 allows: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The runner trims whitespace, then reads "::name …::" (and "##[name …]" anywhere in older runners).
_COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def _stand_in(match: re.Match) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␛ for ESC, ␀ for NUL …
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def plain(text: object) -> str:
    """`text` with every control character except tab and newline, and every bidirectional
    override, made visible and harmless (one character for one: positions and widths hold)."""
    value = "" if text is None else str(text)
    return _CONTROL.sub(_stand_in, value) if _CONTROL.search(value) else value


def rich_text(text: object, style: str = "") -> Text:
    """A rich `Text` (never parsed as markup) of `plain(text)`."""
    return Text(plain(text), style=style)


def xml_text(text: object) -> str:
    """`text` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    value = "" if text is None else str(text)
    return _NOT_XML.sub("\ufffd", value) if _NOT_XML.search(value) else value


def not_a_command(text: str) -> str:
    """Lines of `text` that would start a workflow command get a visible ``| `` in front."""
    return _COMMAND_START.sub(r"\1| \2", text)


MAX_CELL = 32_000  # Excel and WPS hold 32,767 characters per cell
TRUNCATED = "…（已截断）"


def cap(text: str, limit: int = MAX_CELL) -> str:
    """A spreadsheet cell's text: at most `limit` characters, visibly marked when cut."""
    return text if len(text) <= limit else text[:limit - len(TRUNCATED)] + TRUNCATED
