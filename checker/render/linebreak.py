"""Chinese line breaking for terminal text (rich folds CJK text at any character).

Rules followed (the usual 避头尾 rules of Chinese typesetting):
- a line never starts with closing punctuation (，。、；：？！）》」』】”’ …) nor with the second
  half of ``……`` or ``——``;
- a line never ends with opening punctuation (（《「『【“‘);
- a number stays with its measure word or unit (``608 字``, ``3处``, ``12%``) and Latin words and
  rule ids (``[standard-heading]``) are never split, unless longer than a whole line.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

NO_LINE_START = set("，。、；：？！）》」』】〕”’…—%％,.;:?!)]}·")
NO_LINE_END = set("（《「『【〔“‘([{")
# Unbreakable units: a number with its unit or measure word, a Latin word, one other character.
_UNIT = re.compile(r"[0-9０-９][0-9０-９.,，%％]*\s?[^\s\x00-\x7f（《「『【“‘]?|[A-Za-z\[\]_\-/:.@#]+|\s+|.", re.S)


def _units(text: str) -> list[str]:
    units: list[str] = []
    for piece in _UNIT.findall(text):
        if units and (piece[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END) and not piece.isspace():
            units[-1] += piece  # glue: closing marks to what precedes, what follows to opening marks
        else:
            units.append(piece)
    return units


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` cells, broken where Chinese typesetting allows."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            if cell_len(line) + cell_len(unit) <= width:
                line += unit
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = "" if unit.isspace() else unit
            while cell_len(line) > width:  # a unit longer than a line: fold it
                cut = len(line)
                while cell_len(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines
