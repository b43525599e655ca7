"""Rule packs: YAML files that hold the template, the scoring and the rules.

A pack is built from layers: the pack named by ``extends`` (recursively), the pack itself,
then any overlay files (``--rules``, config ``rules:``) and the project configuration.
Each layer is applied on top of the one below with these semantics (documented in docs/rules.md):

* ``rules``: an entry whose ``id`` already exists *overrides* that rule key by key — only the
  keys it gives change (e.g. just ``severity``); a key's value replaces the parent's value
  wholesale (lists are not concatenated). An entry with a new id adds a rule and needs ``kind``
  and ``message``. An override may not change ``kind``.
* ``disable: [id, …]`` switches rules off (same as ``{id: X, enabled: false}``); a later layer
  can switch one back on with ``enabled: true``. Naming an unknown id is an error.
* ``template.sections``: merged by section id the same way; new ids are appended.
* ``template`` thresholds, ``scoring`` keys, ``settings`` keys, ``name``/``title``: replaced.

Loading is strict: unknown keys, wrong types, duplicate keys, unknown kinds, invalid options
(kinds raise ValueError in ``validate``) and references to unknown sections raise
`RuleFileError` with ``file:line:column``.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from checker.errors import RuleFileError, UnknownPackError, os_reason
from checker.result import Severity

RULE_HEADER_KEYS = {"id", "kind", "severity", "weight", "scope", "message", "suggestion", "basis", "link",
                    "description", "enabled", "examples", "from_year", "until_year", "guess_year",
                    "skip_cited_titles"}
PACK_KEYS = {"name", "title", "description", "extends", "template", "scoring", "rules", "settings", "disable"}
TEMPLATE_KEYS = {"heading_threshold", "substance_threshold", "partial_weights", "generic_words", "sections"}
SCORING_KEYS = {"severity_factors", "grades", "caps"}
CAP_KEYS = {"grade", "rules", "severity", "reason"}
SECTION_KEYS = {"id", "name", "standard", "year", "required", "aliases", "bullet_keywords"}
EXAMPLE_KEYS = {"pass", "fail"}
# Scopes that are not template sections.
PSEUDO_SCOPES = {"body"}
# Option names (besides ``scope``) whose values name template sections, unless a kind lists its
# own in ``SECTION_OPTIONS``.
DEFAULT_SECTION_OPTIONS = ("section", "sections", "scopes")

Mark = tuple[str, int, int]  # path, line, column (1-based)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: Severity
    weight: float
    message: str
    suggestion: str | None = None
    basis: str | None = None
    link: str | None = None
    description: str | None = None
    scope: str | None = None  # a template section id, or None for the whole body
    options: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    # When the rule applies (honoured by the engine for every kind): reports of these years only
    # (a report whose year is unknown is skipped, unless ``guess_year``: then the latest year its
    # text names stands in, and a text naming none is checked); never inside a cited title 《…》.
    from_year: int | None = None
    until_year: int | None = None
    guess_year: bool = False
    skip_cited_titles: bool = False
    origin: str = ""  # file:line where the rule was (last) defined or overridden
    # what the kind's optional ``prepare(options)`` built once at load (compiled patterns, indexes)
    prepared: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SectionSpec:
    id: str
    name: str
    standard: str
    year: str  # report | next | none: which year the standard heading names
    required: bool
    aliases: tuple[str, ...]
    bullet_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class GradeCap:
    """Whatever the score, a document with an active finding that matches grades at most ``grade``.

    A finding matches when its rule is among ``rules`` (any rule when empty) and its severity is
    at least ``severity`` (any when None)."""

    grade: str
    reason: str  # Chinese, shown in the grade's explanation
    rules: tuple[str, ...] = ()
    severity: Severity | None = None

    def matches(self, rule_id: str, severity: Severity) -> bool:
        return (not self.rules or rule_id in self.rules) and (self.severity is None or severity >= self.severity)


@dataclass
class Pack:
    name: str
    title: str
    path: str
    sections: list[SectionSpec]
    heading_threshold: float
    substance_threshold: float
    # (max length ratio, weight) pairs: how much a partial (substring) match counts when the
    # longer text is up to that many times the shorter; ratio None means "any longer".
    partial_weights: list[tuple[float | None, float]]
    # words every heading of such a report may contain (法治政府建设…): ignored when comparing
    generic_words: tuple[str, ...]
    severity_factors: dict[Severity, float]
    grades: list[tuple[float, str]]  # (minimum score, grade), best first
    rules: list[Rule]
    caps: list[GradeCap] = field(default_factory=list)  # grade ceilings, see checker/grading.py
    settings: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    disabled: list[str] = field(default_factory=list)  # ids of rules switched off by some layer
    layers: list[str] = field(default_factory=list)  # files applied, bottom first
    raw_rules: dict[str, dict] = field(default_factory=dict, repr=False)
    raw_sections: dict[str, dict] = field(default_factory=dict, repr=False)
    # id -> (raw mapping, built rule, enabled): lets a child layer reuse rules it does not touch
    built: dict[str, tuple[dict, Rule, bool]] = field(default_factory=dict, repr=False)

    def section(self, section_id: str) -> SectionSpec:
        for spec in self.sections:
            if spec.id == section_id:
                return spec
        raise KeyError(section_id)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def grade_for(self, score: float) -> str:
        for minimum, grade in self.grades:
            if score >= minimum:
                return grade
        return self.grades[-1][1]


# --- YAML with positions ---------------------------------------------------------------------

class MarkedList(list):
    """A YAML sequence that remembers where each item is."""

    marks: list[Mark]


# libyaml's parser when available (5-10x faster; nodes carry the same marks)
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that remembers where every mapping, key, value and list item is."""

    path = ""

    def mark(self, node: yaml.Node) -> Mark:
        return (self.path, node.start_mark.line + 1, node.start_mark.column + 1)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    keys: dict[str, Mark] = {}
    values: dict[str, Mark] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise RuleFileError(loader.path, f"键 {key!r} 必须是字符串", *loader.mark(key_node)[1:])
        if key in mapping:
            raise RuleFileError(loader.path, f"重复的键 '{key}'", *loader.mark(key_node)[1:])
        mapping[key] = loader.construct_object(value_node, deep=True)
        keys[key] = loader.mark(key_node)
        values[key] = loader.mark(value_node)
    mapping["__mark__"] = loader.mark(node)
    mapping["__keys__"] = keys
    mapping["__values__"] = values
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list:
    items = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    items.marks = [loader.mark(child) for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# Bounds on a rule, pack or config file (the bundled national pack is ~30 KB with ~5,000 nodes).
MAX_RULE_FILE_BYTES = 2 * 1024 * 1024
# Nodes once aliases are expanded: a 1 KB "anchor bomb" (&a [*b, *b, …] nine levels deep) names a
# billion; no file within the size bound legitimately needs more than this.
MAX_YAML_NODES = 1_000_000


def _expanded_size(root: yaml.Node, limit: int) -> int | None:
    """Nodes of the document with every alias expanded (at most limit + 1), in time linear in the
    distinct nodes; None if an alias refers to a node that contains it (a cycle)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            continue
        children = ([item for pair in node.value for item in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value))
        if children_done:
            open_nodes.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(child)] for child in children))
            continue
        if key in open_nodes:
            return None
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def read_yaml(path: str, text: str) -> dict:
    """Parse a rule or config file into marked dicts; the top level must be a mapping.

    Bounded: at most `MAX_RULE_FILE_BYTES` of text and `MAX_YAML_NODES` nodes after aliases are
    expanded (an anchor bomb is refused before anything is built from it)."""
    if len(text) > MAX_RULE_FILE_BYTES:
        raise RuleFileError(path, f"规则文件过大（{len(text)} 个字符，上限 {MAX_RULE_FILE_BYTES} 个字符）")
    loader = _LineLoader(text)
    loader.path = path
    try:
        node = loader.get_single_node()
        if node is not None:
            size = _expanded_size(node, MAX_YAML_NODES)
            if size is None:
                raise RuleFileError(path, "YAML 别名（*引用）形成了循环引用", *loader.mark(node)[1:])
            if size > MAX_YAML_NODES:
                raise RuleFileError(path, f"YAML 锚点与别名展开后过大（超过 {MAX_YAML_NODES} 个节点），疑似 YAML 炸弹，已拒绝",
                                    *loader.mark(node)[1:])
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleFileError(path, f"YAML 语法错误: {getattr(exc, 'problem', None) or exc}",
                            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    finally:
        loader.dispose()
    if data is None:
        data = {"__mark__": (path, 1, 1), "__keys__": {}, "__values__": {}}
    if not isinstance(data, dict):
        raise RuleFileError(path, "规则文件的顶层必须是映射（key: value）", 1, 1)
    return data


def strip_marks(value: Any) -> Any:
    """Plain Python data: dicts without position keys, plain lists."""
    if isinstance(value, dict):
        return {k: strip_marks(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [strip_marks(v) for v in value]
    return value


def fail(mark: Mark | None, reason: str, path: str = "") -> RuleFileError:
    """A RuleFileError at a mark (or at the file when there is none)."""
    if mark is None:
        return RuleFileError(path, reason)
    return RuleFileError(mark[0], reason, mark[1], mark[2])


def key_mark(data: dict, key: str) -> Mark | None:
    return (data.get("__keys__") or {}).get(key) or data.get("__mark__")


def value_mark(data: dict, key: str) -> Mark | None:
    return (data.get("__values__") or {}).get(key) or data.get("__mark__")


def item_mark(items: Any, index: int, fallback: Mark | None) -> Mark | None:
    marks = getattr(items, "marks", None)
    return marks[index] if marks and index < len(marks) else fallback


def check_keys(data: dict, allowed: set[str], what: str) -> None:
    for key in data:
        if key.startswith("__"):
            continue
        if key not in allowed:
            raise fail(key_mark(data, key), f"{what}中有未知的键 '{key}'（允许: {', '.join(sorted(allowed))}）")


_TYPE_NAMES = {str: "字符串", bool: "布尔值 (true/false)", int: "整数", float: "数字", list: "列表", dict: "映射"}


def type_name(expected: type | tuple[type, ...]) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return " 或 ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def is_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in kinds:
        return False
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, kinds)


def typed(data: dict, key: str, expected: type | tuple[type, ...], what: str, default: Any = None,
          required: bool = False) -> Any:
    if key not in data:
        if required:
            raise fail(data.get("__mark__"), f"{what}缺少必填键 '{key}'")
        return default
    value = data[key]
    if not is_type(value, expected):
        raise fail(value_mark(data, key), f"{what}的 '{key}' 应为{type_name(expected)}")
    return value


def _string_list(data: dict, key: str, what: str) -> list[str]:
    items = typed(data, key, list, what, [])
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise fail(item_mark(items, index, value_mark(data, key)), f"{what}的 '{key}' 只能包含字符串")
    return list(items)


def merge_mapping(base: dict, over: dict) -> dict:
    """Key-by-key override: keys of ``over`` replace those of ``base``; marks follow the keys."""
    merged = {k: v for k, v in base.items() if not k.startswith("__")}
    keys = dict(base.get("__keys__") or {})
    values = dict(base.get("__values__") or {})
    for key, value in over.items():
        if key.startswith("__"):
            continue
        merged[key] = value
        keys[key] = key_mark(over, key)
        values[key] = value_mark(over, key)
    merged["__mark__"] = over.get("__mark__") or base.get("__mark__")
    merged["__keys__"] = keys
    merged["__values__"] = values
    return merged


# --- finding and reading packs -----------------------------------------------------------------

def bundled_pack_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("checker.rulepacks").iterdir() if p.name.endswith(".yaml"))


def resolve(name_or_path: str, relative_to: str | None = None) -> tuple[str, str]:
    """Return (path label, text) for a bundled pack name or a file path."""
    label, text, _ = _locate(name_or_path, relative_to)
    return label, text


def _locate(name_or_path: str, relative_to: str | None = None) -> tuple[str, str, str]:
    """(path label, text, identity): identity tells files and bundled packs apart for cycle checks."""
    candidate = Path(name_or_path)
    if relative_to and not candidate.is_absolute():
        candidate = Path(relative_to).parent / candidate
    if candidate.suffix in (".yaml", ".yml") or candidate.exists() or "/" in name_or_path:
        try:
            if candidate.stat().st_size > MAX_RULE_FILE_BYTES:
                raise RuleFileError(str(candidate), f"规则文件过大（{candidate.stat().st_size} 字节，"
                                                    f"上限 {MAX_RULE_FILE_BYTES} 字节）")
            return str(candidate), candidate.read_text(encoding="utf-8"), str(candidate.resolve())
        except OSError as exc:
            raise RuleFileError(str(candidate), f"无法读取规则文件（{os_reason(exc)}）") from None
        except UnicodeDecodeError:
            raise RuleFileError(str(candidate), "规则文件不是 UTF-8 编码") from None
    resource = resources.files("checker.rulepacks") / f"{name_or_path}.yaml"
    if not resource.is_file():
        raise UnknownPackError(name_or_path, bundled_pack_names())
    return f"rules/{name_or_path}.yaml", resource.read_text(encoding="utf-8"), f"bundled:{name_or_path}"


def load_pack(name_or_path: str = "national", overlays: tuple[str, ...] | list[str] = ()) -> Pack:
    """Load a bundled pack by name or a pack file by path, following ``extends``, then apply
    overlay rule files (which may not use ``extends``)."""
    return apply_overlays(_load(name_or_path, None, ()), overlays)


def check_extends(target: str, relative_to: str) -> str | None:
    """Why ``extends: target`` in the file `relative_to` is not allowed, or None.

    Rule packs come from other offices: they are data, and may reach only bundled packs (by
    name) or ``.yaml``/``.yml`` files in their own directory or below it (symlinks resolved).
    Absolute paths and ``..`` out of that directory are refused, so a pack can never make the
    checker read /etc/passwd or a file elsewhere on the reviewer's machine.
    """
    if re.fullmatch(r"[A-Za-z0-9_-]+", target) and not (Path(relative_to).parent / target).exists():
        return None  # a bundled pack name
    candidate = Path(target)
    if candidate.is_absolute() or target.startswith("~"):
        return "extends 不能使用绝对路径，只能写内置规则包名称或本规则包所在目录内的相对路径"
    if candidate.suffix not in (".yaml", ".yml"):
        return "extends 指向的文件必须是 .yaml 或 .yml 规则文件"
    base = Path(os.path.realpath(Path(relative_to).parent))
    resolved = Path(os.path.realpath(base / candidate))
    if resolved != base and base not in resolved.parents:
        return "extends 不能指向本规则包所在目录之外的文件（不允许 ../ 跳出目录）"
    return None


def apply_overlays(pack: Pack, files: tuple[str, ...] | list[str]) -> Pack:
    """Apply overlay rule files (same format as a pack, without ``extends``) in order."""
    for overlay in files:
        path, text = resolve(overlay)
        data = read_yaml(path, text)
        if "extends" in data:
            raise fail(key_mark(data, "extends"), "附加规则文件（--rules）不能使用 extends；整套规则包请用 --pack")
        pack = apply_layer(pack, path, data, overlay=True)
    return pack


def _load(name_or_path: str, relative_to: str | None, seen: tuple[str, ...],
          mark: Mark | None = None) -> Pack:
    try:
        path, text, key = _locate(name_or_path, relative_to)
    except RuleFileError as exc:
        if mark is None:
            raise
        raise fail(mark, f"extends 无法加载: {exc}") from None
    if key in seen:
        raise fail(mark, "extends 形成了循环引用", path)
    data = read_yaml(path, text)
    parent = None
    if "extends" in data:
        extends = typed(data, "extends", str, "规则包")
        refused = check_extends(extends, path)
        if refused:
            raise fail(value_mark(data, "extends"), f"{refused}: {extends}")
        parent = _load(extends, path, seen + (key,), value_mark(data, "extends"))
    return apply_layer(parent, path, data)


def apply_layer(parent: Pack | None, path: str, data: dict, overlay: bool = False) -> Pack:
    """Apply one layer (a pack file, an overlay or a config-made layer) on top of ``parent``."""
    check_keys(data, PACK_KEYS, "规则包")
    template = typed(data, "template", dict, "规则包", {})
    check_keys(template, TEMPLATE_KEYS, "template ")
    raw_sections = dict(parent.raw_sections) if parent else {}
    sections_raw = typed(template, "sections", list, "template ", [])
    for index, raw in enumerate(sections_raw):
        if not isinstance(raw, dict):
            raise fail(item_mark(sections_raw, index, value_mark(template, "sections")), "每个章节定义必须是映射")
        section_id = typed(raw, "id", str, "章节定义", required=True)
        raw_sections[section_id] = merge_mapping(raw_sections[section_id], raw) if section_id in raw_sections else raw
    if not raw_sections:
        raise fail(data.get("__mark__"), "规则包没有定义模板章节（template.sections）", path)
    sections = [_section(raw) for raw in raw_sections.values()]

    scoring = typed(data, "scoring", dict, "规则包", {})
    check_keys(scoring, SCORING_KEYS, "scoring ")
    factors = dict(parent.severity_factors) if parent else {s: 0.0 for s in Severity}
    raw_factors = typed(scoring, "severity_factors", dict, "scoring ", {})
    for key, value in raw_factors.items():
        if key.startswith("__"):
            continue
        severity = _severity(key, key_mark(raw_factors, key))
        if not is_type(value, float) or not 0 <= value <= 1:
            raise fail(value_mark(raw_factors, key), f"severity_factors 的 '{key}' 应为 0 到 1 之间的数")
        factors[severity] = float(value)
    grades = parent.grades if parent else [(0.0, "—")]
    if "grades" in scoring:
        raw_grades = typed(scoring, "grades", list, "scoring ")
        grades = []
        for index, raw in enumerate(raw_grades):
            where = item_mark(raw_grades, index, value_mark(scoring, "grades"))
            if not isinstance(raw, dict):
                raise fail(where, "grades 的每一项应为 {min: 分数, grade: 等级}")
            check_keys(raw, {"min", "grade"}, "grades ")
            grades.append((float(typed(raw, "min", float, "grades ", required=True)),
                           str(typed(raw, "grade", str, "grades ", required=True))))
        if not grades:
            raise fail(value_mark(scoring, "grades"), "grades 不能为空")
        grades.sort(reverse=True)

    raw_rules = dict(parent.raw_rules) if parent else {}
    rules_raw = typed(data, "rules", list, "规则包", [])
    seen_here: set[str] = set()
    for index, raw in enumerate(rules_raw):
        where = item_mark(rules_raw, index, value_mark(data, "rules"))
        if not isinstance(raw, dict):
            raise fail(where, "每条规则必须是映射")
        rule_id = typed(raw, "id", str, "规则", required=True)
        if rule_id in seen_here:
            raise fail(value_mark(raw, "id"), f"规则 id '{rule_id}' 在同一文件中重复")
        seen_here.add(rule_id)
        if rule_id in raw_rules:
            base = raw_rules[rule_id]
            if "kind" in raw and raw["kind"] != base.get("kind"):
                raise fail(value_mark(raw, "kind"),
                           f"覆盖规则 {rule_id} 时不能更改 kind（原为 {base.get('kind')}）；请换一个 id")
            raw_rules[rule_id] = merge_mapping(base, raw)
        else:
            raw_rules[rule_id] = raw
    disable = typed(data, "disable", list, "规则包", [])
    for index, rule_id in enumerate(disable):
        where = item_mark(disable, index, value_mark(data, "disable"))
        if not isinstance(rule_id, str):
            raise fail(where, "disable 只能列出规则 id（字符串）")
        if rule_id not in raw_rules:
            raise fail(where, f"disable 中的规则 '{rule_id}' 不存在")
        off = {"enabled": False, "__mark__": where, "__keys__": {"enabled": where}, "__values__": {"enabled": where}}
        raw_rules[rule_id] = merge_mapping(raw_rules[rule_id], off)

    section_ids = {s.id for s in sections}
    rules: list[Rule] = []
    disabled: list[str] = []
    built: dict[str, tuple[dict, Rule, bool]] = {}
    reuse = parent is not None and section_ids == {s.id for s in parent.sections}
    for rule_id, raw in raw_rules.items():
        previous = parent.built.get(rule_id) if reuse and parent else None
        if previous is not None and previous[0] is raw:
            rule, enabled = previous[1], previous[2]
        else:
            rule, enabled = _rule(raw, section_ids)
        built[rule_id] = (raw, rule, enabled)
        if enabled:
            rules.append(rule)
        else:
            disabled.append(rule.id)

    settings = dict(parent.settings) if parent else {}
    settings.update(strip_marks(typed(data, "settings", dict, "规则包", {})))
    heading_threshold = typed(template, "heading_threshold", float, "template ",
                              parent.heading_threshold if parent else 75)
    substance_threshold = typed(template, "substance_threshold", float, "template ",
                                parent.substance_threshold if parent else 85)
    return Pack(
        name=str(typed(data, "name", str, "规则包") or (parent.name if parent else Path(path).stem)),
        title=str(typed(data, "title", str, "规则包") or (parent.title if parent else "")),
        description=str(typed(data, "description", str, "规则包") or (parent.description if parent else "")),
        path=parent.path if overlay and parent else path,
        sections=sections,
        heading_threshold=float(heading_threshold),
        substance_threshold=float(substance_threshold),
        partial_weights=_partial_weights(template, parent),
        generic_words=tuple(_string_list(template, "generic_words", "template ")) if "generic_words" in template
        else (parent.generic_words if parent else ()),
        severity_factors=factors,
        grades=grades,
        caps=_caps(scoring, grades, raw_rules) if "caps" in scoring else (parent.caps if parent else []),
        rules=rules,
        settings=settings,
        disabled=disabled,
        layers=(parent.layers if parent else []) + [path],
        raw_rules=raw_rules,
        raw_sections=raw_sections,
        built=built,
    )


def _caps(scoring: dict, grades: list[tuple[float, str]], raw_rules: dict[str, dict]) -> list[GradeCap]:
    """``scoring.caps``: grade ceilings. Rule ids must name rules of the pack (enabled or not), so
    that a renamed rule cannot silently drop out of the grading policy."""
    raw_caps = typed(scoring, "caps", list, "scoring ")
    names = [grade for _, grade in grades]
    caps = []
    for index, raw in enumerate(raw_caps):
        where = item_mark(raw_caps, index, value_mark(scoring, "caps"))
        if not isinstance(raw, dict):
            raise fail(where, "caps 的每一项应为 {grade: 等级, rules: [...], severity: ..., reason: 说明}")
        check_keys(raw, CAP_KEYS, "caps ")
        grade = str(typed(raw, "grade", str, "caps ", required=True))
        if grade not in names:
            raise fail(value_mark(raw, "grade"), f"caps 的等级 '{grade}' 不在 grades 中（{'、'.join(names)}）")
        rules = typed(raw, "rules", list, "caps ", [])
        for rule_index, rule_id in enumerate(rules):
            if not isinstance(rule_id, str) or rule_id not in raw_rules:
                raise fail(item_mark(rules, rule_index, value_mark(raw, "rules")),
                           f"caps 中的规则 '{rule_id}' 不存在（规则改名后请同时修改 scoring.caps）")
        severity = typed(raw, "severity", str, "caps ")
        caps.append(GradeCap(grade=grade, reason=str(typed(raw, "reason", str, "caps ", required=True)),
                             rules=tuple(rules),
                             severity=_severity(severity, value_mark(raw, "severity")) if severity else None))
    return caps


def _partial_weights(template: dict, parent: Pack | None) -> list[tuple[float | None, float]]:
    if "partial_weights" not in template:
        return parent.partial_weights if parent else [(1.5, 0.9), (2.5, 0.8), (None, 0.6)]
    items = typed(template, "partial_weights", list, "template ")
    pairs = []
    for index, item in enumerate(items):
        if not isinstance(item, list) or len(item) != 2 or not all(v is None or is_type(v, float) for v in item) \
                or item[1] is None:
            raise fail(item_mark(items, index, value_mark(template, "partial_weights")),
                       "template.partial_weights 的每一项应为 [长度比上限或 null, 权重]")
        limit, weight = item
        pairs.append((None if limit is None else float(limit), float(weight)))
    return pairs


def _severity(value: Any, where: Mark | None) -> Severity:
    try:
        return Severity.parse(str(value))
    except KeyError:
        raise fail(where, f"未知的严重程度 '{value}'（应为 error / warning / info）") from None


def _section(raw: dict) -> SectionSpec:
    check_keys(raw, SECTION_KEYS, "章节定义")
    section_id = raw["id"]
    what = f"章节 {section_id} "
    year = typed(raw, "year", str, what, "report")
    if year not in ("report", "next", "none"):
        raise fail(value_mark(raw, "year"), f"章节 {section_id} 的 year 应为 report / next / none")
    return SectionSpec(
        id=section_id,
        name=typed(raw, "name", str, what, required=True),
        standard=typed(raw, "standard", str, what, required=True),
        year=year,
        required=typed(raw, "required", bool, what, True),
        aliases=tuple(_string_list(raw, "aliases", what)),
        bullet_keywords=tuple(_string_list(raw, "bullet_keywords", what)),
    )


def _rule(raw: dict, section_ids: set[str]) -> tuple[Rule, bool]:
    from checker.kinds import KINDS

    rule_id = raw["id"]
    what = f"规则 {rule_id} "
    if "kind" not in raw:
        raise fail(raw.get("__mark__"), f"规则 {rule_id} 缺少 kind（新规则必须写 kind；覆盖已有规则时 id 要与原规则一致）")
    kind_name = typed(raw, "kind", str, what, required=True)
    kind = KINDS.get(kind_name)
    if kind is None:
        raise fail(value_mark(raw, "kind"), f"规则 {rule_id} 的类型 '{kind_name}' 未知（可用: {', '.join(sorted(KINDS))}）")
    check_keys(raw, RULE_HEADER_KEYS | set(kind.OPTIONS), what)
    options = {}
    for key, (expected, default) in kind.OPTIONS.items():
        if key in raw and expected is not None and raw[key] is not None and not is_type(raw[key], expected):
            raise fail(value_mark(raw, key), f"规则 {rule_id} 的选项 '{key}' 应为{type_name(expected)}")
        options[key] = strip_marks(raw.get(key, default))
    if hasattr(kind, "validate"):
        try:
            options = kind.validate(options)
        except (ValueError, KeyError, TypeError) as exc:
            raise _validation_error(raw, kind, exc) from None
    prepared = None
    if hasattr(kind, "prepare"):
        try:
            prepared = kind.prepare(options)
        except (ValueError, KeyError, TypeError) as exc:
            raise _validation_error(raw, kind, exc) from None
    weight = typed(raw, "weight", float, what, 0)
    if weight < 0:
        raise fail(value_mark(raw, "weight"), f"规则 {rule_id} 的 weight 必须是非负数")
    scope = typed(raw, "scope", str, what)
    section_options = getattr(kind, "SECTION_OPTIONS", DEFAULT_SECTION_OPTIONS)
    for key in ("scope", *section_options):
        if key not in raw:
            continue
        refs = raw[key] if isinstance(raw[key], list) else [raw[key]]
        for index, ref in enumerate(refs):
            if isinstance(ref, str) and ref not in section_ids and ref not in PSEUDO_SCOPES:
                where = item_mark(refs, index, value_mark(raw, key))
                known = ", ".join(sorted(section_ids | PSEUDO_SCOPES))
                raise fail(where, f"规则 {rule_id} 的 {key} 引用了未知的章节 '{ref}'（可用: {known}）")
    examples = typed(raw, "examples", dict, what, {})
    check_keys(examples, EXAMPLE_KEYS, f"规则 {rule_id} 的 examples ")
    for key in EXAMPLE_KEYS & set(examples):
        typed(examples, key, str, f"规则 {rule_id} 的 examples ")
    for key in ("message", "suggestion", *(k for k in kind.OPTIONS if k.endswith("message"))):
        if isinstance(raw.get(key), str):
            problem = template_problem(raw[key])
            if problem:
                raise fail(value_mark(raw, key), f"规则 {rule_id} 的 {key}{problem}")
    from_year, until_year = typed(raw, "from_year", int, what), typed(raw, "until_year", int, what)
    if from_year is not None and until_year is not None and from_year > until_year:
        raise fail(value_mark(raw, "until_year"), f"规则 {rule_id} 的 until_year 不能早于 from_year")
    mark = raw.get("__mark__") or ("", 0, 0)
    rule = Rule(
        id=rule_id,
        kind=kind_name,
        severity=_severity(raw.get("severity", "warning"), value_mark(raw, "severity")),
        weight=float(weight),
        message=typed(raw, "message", str, what, required=True),
        suggestion=typed(raw, "suggestion", str, what),
        basis=typed(raw, "basis", str, what),
        link=typed(raw, "link", str, what),
        description=typed(raw, "description", str, what),
        scope=scope,
        options=options,
        examples=strip_marks(examples),
        from_year=from_year,
        until_year=until_year,
        guess_year=bool(typed(raw, "guess_year", bool, what, False)),
        skip_cited_titles=bool(typed(raw, "skip_cited_titles", bool, what, False)),
        origin=f"{mark[0]}:{mark[1]}",
        prepared=prepared,
    )
    return rule, bool(typed(raw, "enabled", bool, what, True))


def template_problem(text: str) -> str | None:
    """Why a message template from a rule file is broken or unsafe, or None.

    Placeholders are plain names (``{name}``). Attribute or index access (``{x.__class__}``,
    ``{x[0]}``) could walk from a value to the program's internals, and a huge width
    (``{x:>999999999}``) would build a gigabyte string, so both are refused at load.
    """
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return " 中的花括号不成对（要写花括号本身，请写 {{ 或 }}）"
    for _, name, spec, _conversion in fields:
        if name is None:
            continue
        if not name.isidentifier():
            return f" 的占位符 {{{name}}} 无效：只能写 {{名称}}，不能访问属性或下标"
        if spec and ("{" in spec or len(spec) > 8 or any(int(n) > 200 for n in re.findall(r"\d+", spec))):
            return f" 的占位符 {{{name}:{spec}}} 格式过宽或过于复杂"
    return None


def _validation_error(raw: dict, kind: ModuleType, exc: Exception) -> RuleFileError:
    """Place a kind's validate() failure on the option it is about, where that can be told."""
    text = str(exc.args[0]) if exc.args else str(exc)
    given = [k for k in kind.OPTIONS if k in raw]
    bad = next((k for k in given if k in text), None)
    if bad is None:
        bad = next((k for k in given if isinstance(raw[k], (str, int, float)) and str(raw[k]).lower() in text.lower()),
                   None)
    if isinstance(exc, KeyError):
        text = f"选项 '{bad}' 的值 '{raw[bad]}' 无效" if bad else f"选项取值无效（{text}）"
    where = value_mark(raw, bad) if bad else raw.get("__mark__")
    # a list item named in the message (a bad regex, a malformed concept) is the most precise place
    for key in ([bad] if bad else given):
        items = raw[key]
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            values = [v for k, v in item.items() if not k.startswith("__")] if isinstance(item, dict) else [item]
            if any(isinstance(v, (str, int, float)) and str(v) and str(v) in text for v in values):
                return fail(item_mark(items, index, where), f"规则 {raw['id']}: {text}")
    return fail(where, f"规则 {raw['id']}: {text}")
