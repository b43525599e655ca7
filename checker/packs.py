"""Rule packs: YAML files that hold the template, the scoring and the rules.

A pack may ``extends:`` another (by bundled name or relative path); the child's template and
scoring keys override the parent's, and its rules replace parent rules of the same id or are
added. Loading is strict: unknown keys and wrong types are reported with file:line:column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from checker.errors import RuleFileError
from checker.result import Severity

RULE_HEADER_KEYS = {"id", "kind", "severity", "weight", "scope", "message", "suggestion", "basis", "link",
                    "description", "enabled", "examples"}


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
    origin: str = ""  # file:line where the rule was defined


@dataclass(frozen=True)
class SectionSpec:
    id: str
    name: str
    standard: str
    year: str  # report | next | none: which year the standard heading names
    required: bool
    aliases: tuple[str, ...]
    bullet_keywords: tuple[str, ...] = ()


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
    settings: dict[str, Any] = field(default_factory=dict)

    def section(self, section_id: str) -> SectionSpec:
        for spec in self.sections:
            if spec.id == section_id:
                return spec
        raise KeyError(section_id)

    def grade_for(self, score: float) -> str:
        for minimum, grade in self.grades:
            if score >= minimum:
                return grade
        return self.grades[-1][1]


class _LineLoader(yaml.SafeLoader):
    """Safe loader that remembers where each mapping starts, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__column__"] = node.start_mark.column + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def bundled_pack_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("checker.rulepacks").iterdir() if p.name.endswith(".yaml"))


def _read_yaml(path: str, text: str) -> dict:
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleFileError(path, f"YAML 语法错误: {getattr(exc, 'problem', exc)}",
                            mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise RuleFileError(path, "规则文件的顶层必须是映射（key: value）")
    return data


def _resolve(name_or_path: str, relative_to: str | None) -> tuple[str, str]:
    """Return (path label, text) for a bundled pack name or a file path."""
    candidate = Path(name_or_path)
    if relative_to and not candidate.is_absolute():
        candidate = Path(relative_to).parent / candidate
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        try:
            return str(candidate), candidate.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleFileError(str(candidate), f"无法读取规则文件（{exc.strerror or exc}）") from None
    resource = resources.files("checker.rulepacks") / f"{name_or_path}.yaml"
    if not resource.is_file():
        known = "、".join(bundled_pack_names())
        raise RuleFileError(name_or_path, f"没有名为 {name_or_path} 的规则包（可用: {known}）")
    return f"rules/{name_or_path}.yaml", resource.read_text(encoding="utf-8")


def load_pack(name_or_path: str = "national") -> Pack:
    """Load a bundled pack by name or a pack file by path, following ``extends``."""
    return _load(name_or_path, None, ())


def _load(name_or_path: str, relative_to: str | None, seen: tuple[str, ...]) -> Pack:
    path, text = _resolve(name_or_path, relative_to)
    if path in seen:
        raise RuleFileError(path, "extends 形成了循环引用")
    data = _read_yaml(path, text)
    parent = _load(data["extends"], path, seen + (path,)) if data.get("extends") else None
    return _build(path, data, parent)


def _check_keys(path: str, data: dict, allowed: set[str], what: str) -> None:
    for key in data:
        if key.startswith("__"):
            continue
        if key not in allowed:
            raise RuleFileError(path, f"{what}中有未知的键 '{key}'（允许: {', '.join(sorted(allowed))}）",
                                data.get("__line__"), data.get("__column__"))


def _require(path: str, data: dict, key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if key not in data:
        raise RuleFileError(path, f"{what}缺少必填键 '{key}'", data.get("__line__"), data.get("__column__"))
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise RuleFileError(path, f"{what}的 '{key}' 类型不对", data.get("__line__"), data.get("__column__"))
    return value


def _strip_marks(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_marks(v) for k, v in value.items() if not k.startswith("__")}
    if isinstance(value, list):
        return [_strip_marks(v) for v in value]
    return value


def _build(path: str, data: dict, parent: Pack | None) -> Pack:
    _check_keys(path, data, {"name", "title", "description", "extends", "template", "scoring", "rules",
                             "settings", "disable"}, "规则包")
    template = data.get("template") or {}
    _check_keys(path, template, {"heading_threshold", "substance_threshold", "partial_weights", "generic_words",
                                        "sections"},
                "template ")
    sections = parent.sections if parent else []
    if "sections" in template:
        sections = [_section(path, raw) for raw in template["sections"]]
    if not sections:
        raise RuleFileError(path, "规则包没有定义模板章节（template.sections）")
    scoring = data.get("scoring") or {}
    _check_keys(path, scoring, {"severity_factors", "grades"}, "scoring ")
    factors = dict(parent.severity_factors) if parent else {s: 0.0 for s in Severity}
    for key, value in (scoring.get("severity_factors") or {}).items():
        if key.startswith("__"):
            continue
        factors[_severity(path, key, scoring)] = float(value)
    grades = parent.grades if parent else [(0.0, "—")]
    if "grades" in scoring:
        grades = sorted(((float(g["min"]), str(g["grade"])) for g in scoring["grades"]), reverse=True)
    rules = {rule.id: rule for rule in (parent.rules if parent else [])}
    for raw in data.get("rules") or []:
        rule = _rule(path, raw)
        rules[rule.id] = rule
    for rule_id in data.get("disable") or []:
        rules.pop(rule_id, None)
    section_ids = {s.id for s in sections}
    for rule in rules.values():
        for ref in (rule.scope, rule.options.get("section")):
            if ref is not None and ref not in section_ids and ref != "body":
                raise RuleFileError(path, f"规则 {rule.id} 引用了未知的章节 '{ref}'")
    settings = dict(parent.settings) if parent else {}
    settings.update(_strip_marks(data.get("settings") or {}))
    return Pack(
        name=str(data.get("name") or (parent.name if parent else Path(path).stem)),
        title=str(data.get("title") or (parent.title if parent else "")),
        path=path,
        sections=sections,
        heading_threshold=float(template.get("heading_threshold", parent.heading_threshold if parent else 75)),
        substance_threshold=float(template.get("substance_threshold", parent.substance_threshold if parent else 85)),
        partial_weights=_partial_weights(path, template, parent),
        generic_words=tuple(template["generic_words"]) if "generic_words" in template
        else (parent.generic_words if parent else ()),
        severity_factors=factors,
        grades=grades,
        rules=list(rules.values()),
        settings=settings,
    )


def _partial_weights(path: str, template: dict, parent: Pack | None) -> list[tuple[float | None, float]]:
    if "partial_weights" not in template:
        return parent.partial_weights if parent else [(1.5, 0.9), (2.5, 0.8), (None, 0.6)]
    pairs = []
    for item in template["partial_weights"]:
        if not isinstance(item, list) or len(item) != 2:
            raise RuleFileError(path, "template.partial_weights 的每一项应为 [长度比上限或 null, 权重]", template.get("__line__"))
        limit, weight = item
        pairs.append((None if limit is None else float(limit), float(weight)))
    return pairs


def _severity(path: str, value: Any, where: dict) -> Severity:
    try:
        return Severity.parse(str(value))
    except KeyError:
        raise RuleFileError(path, f"未知的严重程度 '{value}'（应为 error / warning / info）",
                            where.get("__line__"), where.get("__column__")) from None


def _section(path: str, raw: dict) -> SectionSpec:
    _check_keys(path, raw, {"id", "name", "standard", "year", "required", "aliases", "bullet_keywords"}, "章节定义")
    section_id = _require(path, raw, "id", str, "章节定义")
    year = raw.get("year", "report")
    if year not in ("report", "next", "none"):
        raise RuleFileError(path, f"章节 {section_id} 的 year 应为 report / next / none", raw["__line__"])
    return SectionSpec(
        id=section_id,
        name=_require(path, raw, "name", str, f"章节 {section_id} "),
        standard=_require(path, raw, "standard", str, f"章节 {section_id} "),
        year=year,
        required=bool(raw.get("required", True)),
        aliases=tuple(raw.get("aliases") or ()),
        bullet_keywords=tuple(raw.get("bullet_keywords") or ()),
    )


def _rule(path: str, raw: dict) -> Rule:
    from checker.kinds import KINDS

    if not isinstance(raw, dict):
        raise RuleFileError(path, "每条规则必须是映射")
    rule_id = _require(path, raw, "id", str, "规则")
    kind_name = _require(path, raw, "kind", str, f"规则 {rule_id} ")
    kind = KINDS.get(kind_name)
    if kind is None:
        raise RuleFileError(path, f"规则 {rule_id} 的类型 '{kind_name}' 未知（可用: {', '.join(sorted(KINDS))}）",
                            raw["__line__"], raw["__column__"])
    options_allowed = set(kind.OPTIONS)
    _check_keys(path, raw, RULE_HEADER_KEYS | options_allowed, f"规则 {rule_id} ")
    options = {}
    for key, (expected, default) in kind.OPTIONS.items():
        value = _strip_marks(raw.get(key, default))
        if value is not None and expected is not None and not isinstance(value, expected):
            raise RuleFileError(path, f"规则 {rule_id} 的选项 '{key}' 类型不对", raw["__line__"], raw["__column__"])
        options[key] = value
    if hasattr(kind, "validate"):
        try:
            options = kind.validate(options)
        except ValueError as exc:
            raise RuleFileError(path, f"规则 {rule_id}: {exc}", raw["__line__"], raw["__column__"]) from None
    weight = raw.get("weight", 0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        raise RuleFileError(path, f"规则 {rule_id} 的 weight 必须是非负数", raw["__line__"], raw["__column__"])
    return Rule(
        id=rule_id,
        kind=kind_name,
        severity=_severity(path, raw.get("severity", "warning"), raw),
        weight=float(weight),
        message=_require(path, raw, "message", str, f"规则 {rule_id} "),
        suggestion=raw.get("suggestion"),
        basis=raw.get("basis"),
        link=raw.get("link"),
        description=raw.get("description"),
        scope=raw.get("scope"),
        options=options,
        examples=_strip_marks(raw.get("examples") or {}),
        origin=f"{path}:{raw['__line__']}",
    )
