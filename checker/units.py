"""Reporting units: who issued a report, and which unit of a list it is.

A reviewer's list of units that must report (``--expect UNITS``: CSV or XLSX, one name per row,
a header row optional) is matched against each report's issuer. The issuer is read from, in
order: the reader's own issuer (when the model has one), the title (the words before the year or
before 关于), the closing block (the signing lines at the end), and the file name as a last
resort. Names are compared on a key that drops what varies between spellings of one unit:
spaces and brackets, the Party/government suffixes (人民政府, 办事处, 委员会 …) and the prefixes of
the county or district above it (某某县金城乡 matches 金城乡).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from checker.errors import CheckerError

# Longest first: 街道办事处 before 办事处.
_SUFFIXES = ("人民政府办公室", "人民政府", "街道办事处", "办事处", "委员会", "管理委员会", "管委会", "政府")
_PARTY = re.compile(r"^中共|^中国共产党")
_NOISE = re.compile(r"[\s\u3000()（）【】\[\]<>《》“”\"'·•、，,。.:：;；\-—_]+")
_YEAR_OR_ABOUT = re.compile(r"(?:19|20)\d{2}\s*年|关于|法治政府|法治建设|年度")
_ENDS_AS_UNIT = re.compile(r"(?:人民政府|办事处|委员会|管委会|政府|局|厅|委|办公室|街道|镇|乡|县|区|市|中心|院)$")
_HEADER_WORDS = {"单位", "单位名称", "名称", "unit", "units", "name", "机构", "部门", "序号"}
_PLACE_LEVELS = re.compile(r"^.*?(?:省|自治区)?.*?(?:市|州|盟)?.*?(?:县|区|旗)(?=.+(?:镇|乡|街道|局|委|办))")


def unit_key(name: str) -> str:
    """The comparable core of a unit's name: 某某县金城乡人民政府 → 金城乡 (prefix kept apart)."""
    key = _NOISE.sub("", name or "")
    key = _PARTY.sub("", key)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                key = key[: -len(suffix)]
                changed = True
    return key


def local_key(key: str) -> str:
    """``unit_key`` without the county/district (and city, province) before a township or a
    department: 大兴区旧宫镇 → 旧宫镇; 东城区司法局 → 司法局 is too short to stand alone, so kept."""
    match = _PLACE_LEVELS.match(key)
    if match and len(key) - match.end() >= 3:
        return key[match.end():]
    return key


@dataclass
class Unit:
    name: str
    key: str
    local: str
    reports: list[str] = field(default_factory=list)


def load_units(path: str) -> list[Unit]:
    """The unit list: first column of a CSV (any common encoding) or of an XLSX's first sheet."""
    if not os.path.isfile(path):
        raise CheckerError(f"{path}: 找不到单位名单文件")
    names: list[str] = []
    try:
        if path.lower().endswith((".xlsx", ".xlsm")):
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                for row in book.worksheets[0].iter_rows(values_only=True):
                    if row and row[0] is not None:
                        names.append(str(row[0]))
            finally:
                book.close()
        else:
            from charset_normalizer import from_bytes

            with open(path, "rb") as handle:
                data = handle.read(5_000_000)
            best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("utf-8", "replace")
            for row in csv.reader(text.lstrip("\ufeff").splitlines()):
                if row and row[0].strip():
                    names.append(row[0])
    except CheckerError:
        raise
    except Exception as exc:  # a broken spreadsheet is an input error with its reason
        raise CheckerError(f"{path}: 无法读取单位名单（{type(exc).__name__}）") from None
    names = [n.strip() for n in names if n and n.strip()]
    if names and names[0].strip().lower() in _HEADER_WORDS:
        names = names[1:]
    units: list[Unit] = []
    seen: set[str] = set()
    for name in names:
        key = unit_key(name)
        if key and key not in seen:
            seen.add(key)
            units.append(Unit(name=name, key=key, local=local_key(key)))
    if not units:
        raise CheckerError(f"{path}: 单位名单是空的（每行一个单位名称）")
    return units


def issuer_from_title(title: str | None) -> str | None:
    """The words of a title before the year or before 关于: 旧宫镇人民政府2022年… → 旧宫镇人民政府."""
    if not title:
        return None
    match = _YEAR_OR_ABOUT.search(title)
    head = title[: match.start()] if match else ""
    head = _NOISE.sub("", head)
    return head if len(head) >= 2 else None


def issuers_from_closing(lines: list[str]) -> list[str]:
    """Signing lines at the end of a report (金城乡人民政府 / 中共金城乡委员会)."""
    found = []
    for line in lines:
        text = _NOISE.sub("", line)
        if 3 <= len(text) <= 30 and _ENDS_AS_UNIT.search(text) and not re.search(r"\d", text):
            found.append(text)
    return found


def issuer_candidates(title: str | None, text: str | None, path: str, issuer: str | None = None) -> list[str]:
    """Where a report names its unit, most reliable first (the file name last)."""
    candidates: list[str] = []
    if issuer:  # the reader's closing-block issuer: one or more signing units joined by 、
        candidates.extend(part for part in issuer.split("、") if part.strip())
    from_title = issuer_from_title(title)
    if from_title:
        candidates.append(from_title)
    if text:
        tail = [line for line in text.rstrip().split("\n")[-8:] if line.strip()]
        candidates.extend(issuers_from_closing(tail))
        opening = next((line for line in text.split("\n")[:40] if _YEAR_OR_ABOUT.search(line)
                        and len(line.strip()) > 15), None)
        if opening and not from_title:
            head = issuer_from_title(opening.strip()[:40])
            if head and len(head) <= 20:
                candidates.append(head)
    stem = os.path.splitext(os.path.basename(path))[0]
    from_name = issuer_from_title(stem) or _NOISE.sub("", re.sub(r"^\d+[_\-. ]*", "", stem))
    if from_name:
        candidates.append(from_name)
    return [c for c in dict.fromkeys(candidates) if unit_key(c)]


class UnitMatcher:
    """Matches issuer names to the units of a list: exact key, then containment, then fuzzy."""

    def __init__(self, units: list[Unit], cutoff: float = 88.0) -> None:
        self.units = units
        self.cutoff = cutoff
        self._by_key: dict[str, Unit] = {}
        for unit in units:
            self._by_key.setdefault(unit.key, unit)
            self._by_key.setdefault(unit.local, unit)
        # containment is tried longest key first, so 金城乡中心校 is not taken for 金城乡
        self._by_length = sorted(units, key=lambda u: -len(u.local))
        self._locals = [u.local for u in units]

    def match(self, candidates: list[str]) -> Unit | None:
        keys = [unit_key(c) for c in candidates]
        for key in keys:  # the whole key, or the key without its county/district
            unit = self._by_key.get(key) or self._by_key.get(local_key(key))
            if unit is not None:
                return unit
        for key in keys:
            for unit in self._by_length:
                if len(unit.local) >= 3 and unit.local in key:
                    return unit
        for key in keys:
            found = process.extractOne(local_key(key), self._locals, scorer=fuzz.ratio, score_cutoff=self.cutoff)
            if found is not None:
                return self.units[found[2]]
        return None


def same_unit(a: list[str], b: list[str]) -> bool:
    """Whether two reports' issuer candidates name the same unit (for pairing with last year)."""
    keys_a = {local_key(unit_key(x)) for x in a[:2]}
    keys_b = {local_key(unit_key(x)) for x in b[:2]}
    return bool(keys_a & keys_b)
