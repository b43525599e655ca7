"""JSON Schema (draft 2020-12) for rule pack files, generated from the registered kinds.

``python -m checker.schema > rules/rule-pack.schema.json`` regenerates the committed schema; a
test keeps the two equal, so the schema never drifts from the kinds' ``OPTIONS``. A kind may
refine an option's schema with ``OPTION_SCHEMAS = {name: {...}}``; option descriptions come
from the ``Options:`` block of the kind's docstring.

The loader (checker.packs) enforces the same structure itself, with file:line:column positions
and Chinese messages; the schema is for editors and for tests (jsonschema stays a dev dependency).
"""

from __future__ import annotations

import json
import re
from types import ModuleType
from typing import Any

SCHEMA_ID = "https://example.invalid/checker/rule-pack.schema.json"

_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def option_docs(kind: ModuleType) -> dict[str, str]:
    """Option name -> description, from the ``Options:`` block of a kind's docstring."""
    docs: dict[str, str] = {}
    lines = (kind.__doc__ or "").splitlines()
    inside = False
    current: list[str] = []
    for line in lines:
        if re.match(r"^Options\b[^:]*:\s*$", line.strip()):
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            if docs:
                inside = False
            continue
        match = re.match(r"^\s{1,4}([A-Za-z_][\w-]*(?:\s*,\s*[A-Za-z_][\w-]*)*)(?:\s+(.*))?$", line)
        names = [n.strip() for n in match.group(1).split(",")] if match else []
        if names and all(n in getattr(kind, "OPTIONS", {}) for n in names):
            current = names
            for name in names:
                docs[name] = (match.group(2) or "").strip()
        elif current and line.startswith(" " * 5):
            for name in current:
                docs[name] += " " + line.strip()
        elif not line.startswith(" "):
            inside = False
    return docs


def json_type(expected: Any) -> dict:
    if expected is None:
        return {}
    kinds = expected if isinstance(expected, tuple) else (expected,)
    names = []
    for kind in kinds:
        name = _JSON_TYPES.get(kind)
        if name and name not in names:
            names.append(name)
    if "number" in names and "integer" in names:
        names.remove("integer")
    if not names:
        return {}
    return {"type": names[0] if len(names) == 1 else names}


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def option_schema(kind: ModuleType, name: str) -> dict:
    expected, default = kind.OPTIONS[name]
    schema = json_type(expected)
    schema.update(getattr(kind, "OPTION_SCHEMAS", {}).get(name, {}))
    description = option_docs(kind).get(name)
    if description:
        schema["description"] = description
    if default is not None and _jsonable(default):
        schema["default"] = default
    return schema


def header_properties() -> dict[str, dict]:
    return {
        "id": {"type": "string", "minLength": 1, "description": "规则 id（唯一）/ unique rule id"},
        "kind": {"type": "string", "description": "规则类型 / rule kind"},
        "severity": {"enum": ["error", "warning", "info"], "description": "严重程度 / severity"},
        "weight": {"type": "number", "minimum": 0, "description": "计分权重 / weight in the score"},
        "scope": {"type": "string", "description": "适用范围：模板章节 id 或 body / template section id or body"},
        "message": {"type": "string", "description": "问题描述，可含 {占位符} / message with {placeholders}"},
        "suggestion": {"type": "string", "description": "修改建议 / what to write instead"},
        "basis": {"type": "string", "description": "依据 / legal basis"},
        "link": {"type": "string", "description": "参考链接 / reference URL"},
        "description": {"type": "string", "description": "一句话说明 / one-line description"},
        "enabled": {"type": "boolean", "description": "false 停用 / false disables the rule"},
        "from_year": {"type": "integer", "description": "只检查该年度及以后的报告 / only reports of this year or later"},
        "until_year": {"type": "integer", "description": "只检查该年度及以前的报告 / only reports of this year or earlier"},
        "guess_year": {"type": "boolean", "description": "报告未写年度时以正文写到的最晚年份为准，正文没有年份时照常检查 / "
                       "a report without its year is taken as of the latest year its text names; one naming none is checked"},
        "skip_cited_titles": {"type": "boolean", "description": "不报被引文件标题《…》之内的问题 / no findings inside a cited title 《…》"},
        "examples": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"pass": {"type": "string"}, "fail": {"type": "string"}},
            "description": "通过与不通过的示例 / a passing and a failing example",
        },
    }


def build_schema(kinds: dict[str, ModuleType] | None = None) -> dict:
    if kinds is None:
        from checker.kinds import KINDS as kinds
    header = header_properties()
    defs: dict[str, Any] = {}
    branches = []
    all_options: dict[str, dict] = {}
    for name in sorted(kinds):
        kind = kinds[name]
        props = dict(header)
        props["kind"] = {"const": name, "description": header["kind"]["description"]}
        for option in kind.OPTIONS:
            props[option] = option_schema(kind, option)
            all_options.setdefault(option, {})
        summary = (kind.__doc__ or "").strip().splitlines()[0] if kind.__doc__ else name
        defs[f"rule-{name}"] = {"type": "object", "description": summary, "required": ["id", "kind"],
                                "properties": props, "additionalProperties": False}
        branches.append({"if": {"required": ["kind"], "properties": {"kind": {"const": name}}},
                         "then": {"$ref": f"#/$defs/rule-{name}"}})
    defs["rule-override"] = {
        "type": "object",
        "description": "覆盖父规则包中同 id 规则的部分键 / partial override of an inherited rule",
        "required": ["id"],
        "properties": {**{k: v for k, v in header.items() if k != "kind"}, **all_options},
        "additionalProperties": False,
    }
    defs["rule"] = {
        "type": "object",
        "required": ["id"],
        "properties": {"kind": {"enum": sorted(kinds)}},
        "allOf": branches + [{"if": {"not": {"required": ["kind"]}}, "then": {"$ref": "#/$defs/rule-override"}}],
    }
    defs["section"] = {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "standard": {"type": "string", "description": "标准标题，可含 {year} {next_year}"},
            "year": {"enum": ["report", "next", "none"]},
            "required": {"type": "boolean"},
            "aliases": {"type": "array", "items": {"type": "string"}},
            "bullet_keywords": {"type": "array", "items": {"type": "string"}},
        },
    }
    factor = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "checker 规则包 / rule pack",
        "description": "法治政府建设年度报告检查规则包（YAML）。See docs/rules.md.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "extends": {"type": "string", "description": "父规则包：内置名称或相对路径 / parent pack"},
            "template": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "heading_threshold": {"type": "number", "minimum": 0, "maximum": 100},
                    "substance_threshold": {"type": "number", "minimum": 0, "maximum": 100},
                    "partial_weights": {
                        "type": "array",
                        "description": "[长度比上限或 null, 权重]：部分匹配计入的比例 / partial-match weights",
                        "items": {"type": "array", "minItems": 2, "maxItems": 2,
                                  "prefixItems": [{"type": ["number", "null"]}, {"type": "number"}]}},
                    "generic_words": {"type": "array", "items": {"type": "string"},
                                      "description": "比较标题时忽略的通用词 / words ignored when comparing headings"},
                    "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
                },
            },
            "scoring": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "severity_factors": {"type": "object", "additionalProperties": False,
                                         "properties": {"error": factor, "warning": factor, "info": factor}},
                    "grades": {"type": "array", "minItems": 1, "items": {
                        "type": "object", "required": ["min", "grade"], "additionalProperties": False,
                        "properties": {"min": {"type": "number"}, "grade": {"type": "string"}}}},
                    "caps": {"type": "array", "description": "等级封顶：命中的文档最高只能评为 grade / grade ceilings",
                             "items": {
                        "type": "object", "required": ["grade", "reason"], "additionalProperties": False,
                        "properties": {"grade": {"type": "string"}, "reason": {"type": "string"},
                                       "severity": {"enum": ["error", "warning", "info"]},
                                       "rules": {"type": "array", "items": {"type": "string"}}}}},
                },
            },
            "settings": {"type": "object"},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "disable": {"type": "array", "items": {"type": "string"}},
        },
        "$defs": defs,
    }


def render_schema() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_schema())
