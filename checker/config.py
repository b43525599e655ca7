"""Project configuration: which pack, extra rule files, disabled rules, severity overrides.

Found by walking up from the current directory: in each directory ``.checker.yaml`` (or
``.checker.yml``) wins, else a ``pyproject.toml`` with a ``[tool.checker]`` table; the first
directory with either is used. ``--config FILE`` names the file directly. Keys (both forms)::

    pack: county                 # bundled name, or a path relative to the config file
    rules: [rules/extra.yaml]    # overlay rule files, applied in order on top of the pack
    disable: [standard-heading]  # rule ids switched off
    severity: {title: error}     # rule id -> error | warning | info
    compare:                     # batch comparisons (checker check DIR…), see checker.compare
      expect: 应报单位.xlsx       # the units that must report (CSV/XLSX, one name per row)
      previous: [../2023报告]     # last year's reports
      shared: true               # shared passages between reports of different units
    words: [撤村改居, 金龙街道]    # a user dictionary: right as written for the typo and lexicon rules

Order of layers: pack (with its ``extends`` chain) → config ``rules`` → config ``disable`` and
``severity`` → ``--rules`` files → ``--disable``. A command-line ``--pack`` replaces the config's.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.errors import RuleFileError, UnknownRuleError, os_reason
from checker.packs import (Mark, MarkedList, Pack, apply_layer, apply_overlays, check_keys, fail, item_mark,
                           key_mark, load_pack, read_yaml, typed, value_mark)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAMES = (".checker.yaml", ".checker.yml")
CONFIG_KEYS = {"pack", "rules", "disable", "severity", "compare", "words"}
COMPARE_KEYS = {"expect", "previous", "shared"}


@dataclass
class Config:
    path: str | None = None  # None: no configuration file found
    pack: str | None = None
    rules: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # marked mapping, for error positions
    compare: dict = field(default_factory=dict)  # expect (path), previous (paths), shared (bool)


def find_config(start: str | Path | None = None) -> Path | None:
    """The nearest configuration file at or above ``start`` (default: the current directory)."""
    directory = Path(start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return re.search(r"^\s*\[tool\.checker\]", path.read_text(encoding="utf-8"), re.M) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load_config(path: str | Path | None = None, *, discover: bool = True) -> Config:
    """Read ``path``, or the discovered configuration file, or return an empty Config."""
    if path is None:
        found = find_config() if discover else None
        if found is None:
            return Config()
        path = found
    path = Path(path)
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(label, f"无法读取配置文件（{os_reason(exc)}）") from None
    except UnicodeDecodeError:
        raise RuleFileError(label, "配置文件不是 UTF-8 编码") from None
    data = _read_toml(label, text) if path.suffix == ".toml" else read_yaml(label, text)
    what = "配置" if path.suffix != ".toml" else "[tool.checker] "
    check_keys(data, CONFIG_KEYS, what)
    pack = typed(data, "pack", str, what)
    rules = typed(data, "rules", list, what, [])
    base = path.parent
    resolved = []
    for index, rule_file in enumerate(rules):
        if not isinstance(rule_file, str):
            raise fail(item_mark(rules, index, value_mark(data, "rules")), "rules 只能列出文件路径")
        resolved.append(str(base / rule_file))
    if pack is not None and (pack.endswith((".yaml", ".yml")) or "/" in pack):
        pack = str(base / pack)
    typed(data, "disable", list, what, [])
    words = typed(data, "words", list, what, [])
    for index, word in enumerate(words):
        if not isinstance(word, str) or not word.strip():
            raise fail(item_mark(words, index, value_mark(data, "words")), "words 只能列出非空的词语")
    severity = typed(data, "severity", dict, what, {})
    for key, value in severity.items():
        if not key.startswith("__") and value not in ("error", "warning", "info"):
            raise fail(value_mark(severity, key), f"severity 中 '{key}' 的级别应为 error / warning / info")
    compare = typed(data, "compare", dict, what, {})
    check_keys(compare, COMPARE_KEYS, "compare ")
    comparison: dict = {}
    expect = typed(compare, "expect", str, "compare ")
    if expect is not None:
        comparison["expect"] = str(base / expect)
    previous = typed(compare, "previous", list, "compare ", [])
    for index, folder in enumerate(previous):
        if not isinstance(folder, str):
            raise fail(item_mark(previous, index, value_mark(compare, "previous")), "previous 只能列出目录或文件路径")
    if previous:
        comparison["previous"] = [str(base / folder) for folder in previous]
    shared = typed(compare, "shared", bool, "compare ")
    if shared is not None:
        comparison["shared"] = shared
    return Config(path=label, pack=pack, rules=resolved, data=data, compare=comparison)


def _read_toml(label: str, text: str) -> dict:
    """``[tool.checker]`` as a marked mapping; positions are found by scanning the table's lines."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        raise RuleFileError(label, f"TOML 语法错误: {exc}", *(int(g) for g in match.groups()) if match else ()) \
            from None
    table = document.get("tool", {}).get("checker")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"\s*\[tool\.checker\]", line)), 0)
    if not isinstance(table, dict):
        raise RuleFileError(label, "pyproject.toml 中没有 [tool.checker] 表")

    def mark_of(key: str) -> Mark:
        for number in range(start, len(lines)):
            found = re.search(rf"(?:^|[\s{{,])({re.escape(key)}|\"{re.escape(key)}\")\s*=", lines[number])
            if found:
                return (label, number + 1, found.start(1) + 1)
        return (label, start + 1, 1)

    def marked(value: Any, mark: Mark) -> Any:
        if isinstance(value, dict):
            keys = {k: mark_of(k) for k in value}
            result = {k: marked(v, keys[k]) for k, v in value.items()}
            result.update(__mark__=mark, __keys__=keys, __values__=keys)
            return result
        if isinstance(value, list):
            items = MarkedList(marked(v, mark) for v in value)
            items.marks = [mark] * len(value)
            return items
        return value

    return marked(table, (label, start + 1, 1))


def build_pack(config: Config, pack: str | None = None, rules: tuple[str, ...] | list[str] = (),
               disable: tuple[str, ...] | list[str] = ()) -> Pack:
    """The pack a ``checker check`` run uses: configuration plus command-line options."""
    loaded = load_pack(pack or config.pack or "national", config.rules)
    if config.path is not None:
        loaded = _override_layer(loaded, config.path, config.data)
    if rules:
        loaded = apply_overlays(loaded, rules)
    if disable:
        where: Mark = ("--disable", 0, 0)
        unknown = [rule_id for rule_id in disable if rule_id not in loaded.raw_rules]
        if unknown:
            raise UnknownRuleError("--disable", unknown[0], list(loaded.raw_rules))
        layer = {"disable": list(disable), "__mark__": where, "__keys__": {}, "__values__": {}}
        loaded = apply_layer(loaded, "--disable", layer, overlay=True)
    return loaded


def _override_layer(pack: Pack, path: str, data: dict) -> Pack:
    """Turn the config's ``disable`` and ``severity`` into a pack layer, checking every id exists."""
    disable = data.get("disable") or MarkedList()
    for index, rule_id in enumerate(disable):
        if not isinstance(rule_id, str) or rule_id not in pack.raw_rules:
            raise fail(item_mark(disable, index, value_mark(data, "disable")), f"disable 中的规则 '{rule_id}' 不存在")
    severity = data.get("severity") or {}
    rules = MarkedList()
    rules.marks = []
    for rule_id, level in severity.items():
        if rule_id.startswith("__"):
            continue
        if rule_id not in pack.raw_rules:
            raise fail(key_mark(severity, rule_id), f"severity 中的规则 '{rule_id}' 不存在")
        mark = value_mark(severity, rule_id)
        rules.append({"id": rule_id, "severity": level, "__mark__": mark,
                      "__keys__": {"severity": mark}, "__values__": {"severity": mark}})
        rules.marks.append(mark)
    words = [w for w in data.get("words") or [] if isinstance(w, str)]
    if words:
        from checker.kinds import KINDS

        mark = value_mark(data, "words")
        for rule_id, raw in pack.raw_rules.items():
            kind = KINDS.get(raw.get("kind"))
            if kind is not None and "words" in getattr(kind, "OPTIONS", {}):
                merged = [*(raw.get("words") or []), *words]
                rules.append({"id": rule_id, "words": merged, "__mark__": mark,
                              "__keys__": {"words": mark}, "__values__": {"words": mark}})
                rules.marks.append(mark)
    if not disable and not rules:
        return pack
    layer = {"rules": rules, "disable": disable, "__mark__": data.get("__mark__"), "__keys__": {}, "__values__": {}}
    return apply_layer(pack, path, layer, overlay=True)
