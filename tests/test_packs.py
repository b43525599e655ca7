"""Rule packs: strict loading with positions, extends/override/disable, configuration, CLI, schema, docs."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checker.cli import EXIT_FINDINGS, EXIT_OK, EXIT_RULES, EXIT_USAGE, main
from checker.config import build_pack, find_config, load_config
from checker.errors import RuleFileError
from checker.packs import bundled_pack_names, load_pack
from checker.result import Severity

ROOT = Path(__file__).resolve().parent.parent
SEED_002 = next((ROOT / "seeds").glob("002_*.txt"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str, name: str = "bad.yaml") -> RuleFileError:
    path = write(tmp_path, name, text)
    with pytest.raises(RuleFileError) as info:
        load_pack(str(path))
    return info.value


# --- strict loading: every error names file:line:column ------------------------------------------

@pytest.mark.parametrize("text, line, column, reason", [
    ("""
     extends: national
     colour: red
     """, 2, 1, "未知的键 'colour'"),
    ("""
     extends: national
     rules:
       - id: title
         severty: error
     """, 4, 5, "未知的键 'severty'"),
    ("""
     extends: national
     rules:
       - id: new-rule
         kind: no-such-kind
         message: x
     """, 4, 11, "类型 'no-such-kind' 未知"),
    ("""
     extends: national
     rules:
       - id: title
         weight: heavy
     """, 4, 13, "'weight' 应为数字"),
    ("""
     extends: national
     rules:
       - id: title
         require_year: "yes"
     """, 4, 19, "选项 'require_year' 应为布尔值"),
    ("""
     extends: national
     rules:
       - id: title
         severity: fatal
     """, 4, 15, "未知的严重程度 'fatal'"),
    ("""
     extends: national
     rules:
       - id: title
         scope: preface
     """, 4, 12, "未知的章节 'preface'"),
    ("""
     extends: national
     rules:
       - id: required-section-x
         kind: required-section
         section: preface
         message: x
     """, 5, 14, "未知的章节 'preface'"),
    ("""
     extends: national
     rules:
       - id: required-section-x
         kind: required-section
         message: x
     """, 3, 5, "缺少选项 section"),
    ("""
     extends: national
     rules:
       - id: brand-new
         severity: error
     """, 3, 5, "缺少 kind"),
    ("""
     extends: national
     rules:
       - id: title
         kind: section-order
     """, 4, 11, "不能更改 kind"),
    ("""
     extends: national
     disable: [title, no-such-rule]
     """, 2, 18, "'no-such-rule' 不存在"),
    ("""
     extends: national
     rules:
       - id: title
         severity: error
         severity: info
     """, 5, 5, "重复的键 'severity'"),
    ("""
     extends: national
     rules:
       - id: title
       - id: title
     """, 4, 9, "重复"),
    ("""
     extends: national
     rules: [title]
     """, 2, 9, "必须是映射"),
    ("""
     extends: national
     rules:
       - id: title
         message: [a, b
     """, 5, 1, "YAML 语法错误"),
    ("""
     extends: no-such-pack
     """, 1, 10, "没有名为 no-such-pack 的规则包"),
    ("""
     extends: national
     scoring:
       severity_factors: {error: 2}
     """, 3, 29, "0 到 1"),
    ("""
     extends: national
     template:
       sections:
         - id: measures
           year: last
     """, 5, 13, "year 应为"),
])
def test_loading_errors_have_file_line_column(tmp_path, text, line, column, reason):
    error = load_error(tmp_path, text)
    assert error.path == str(tmp_path / "bad.yaml")
    assert (error.line, error.column) == (line, column), str(error)
    assert reason in error.reason
    assert str(error).startswith(f"{tmp_path / 'bad.yaml'}:{line}:{column}: ")
    assert "\n" not in str(error)


def test_kind_validate_value_error_is_a_positioned_error(tmp_path):
    # required-section's validate() raises ValueError for a bad substance_severity
    error = load_error(tmp_path, """
        extends: national
        rules:
          - id: required-section-measures
            substance_severity: fatal
        """)
    assert (error.line, error.column) == (4, 25) and "'fatal' 无效" in error.reason


def test_error_inside_parent_points_at_parent_file(tmp_path):
    write(tmp_path, "parent.yaml", """
        extends: national
        rules:
          - id: title
            bogus: 1
        """)
    error = load_error(tmp_path, "extends: parent.yaml\n", name="child.yaml")
    assert error.path.endswith("parent.yaml") and error.line == 4


def test_extends_cycle_is_rejected(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(RuleFileError, match="循环"):
        load_pack(str(tmp_path / "a.yaml"))


def test_extends_cycle_through_other_spellings_is_rejected(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "a.yaml", "extends: sub/../a.yaml\n")
    with pytest.raises(RuleFileError, match="循环") as info:
        load_pack(str(tmp_path / "a.yaml"))
    assert (info.value.line, info.value.column) == (1, 10)


def test_local_copy_named_like_a_bundled_pack_may_extend_it(tmp_path, monkeypatch):
    write(tmp_path, "rules/national.yaml", "extends: national\nrules:\n  - id: title\n    severity: error\n")
    monkeypatch.chdir(tmp_path)
    pack = load_pack("rules/national.yaml")
    assert pack.rule("title").severity is Severity.ERROR


def test_pack_without_sections_is_rejected(tmp_path):
    error = load_error(tmp_path, "name: empty\n")
    assert "template.sections" in error.reason


# --- extends, partial override, disable ---------------------------------------------------------

def test_partial_override_changes_only_given_keys(tmp_path, national):
    path = write(tmp_path, "child.yaml", """
        extends: national
        rules:
          - id: title
            severity: error
        """)
    child = load_pack(str(path))
    parent_rule, child_rule = national.rule("title"), child.rule("title")
    assert child_rule.severity is Severity.ERROR and parent_rule.severity is Severity.WARNING
    assert (child_rule.message, child_rule.weight, child_rule.options, child_rule.basis) == \
        (parent_rule.message, parent_rule.weight, parent_rule.options, parent_rule.basis)
    assert [r.id for r in child.rules] == [r.id for r in national.rules]  # order kept
    assert child_rule.origin == f"{path}:3"


def test_override_replaces_lists_wholesale_and_adds_rules(tmp_path, national):
    path = write(tmp_path, "child.yaml", """
        extends: national
        rules:
          - id: title
            required_words: [法治]
          - id: title-strict
            kind: title
            severity: info
            message: "{problem}"
            required_words: [年度报告]
        """)
    child = load_pack(str(path))
    assert child.rule("title").options["required_words"] == ["法治"]
    assert child.rules[-1].id == "title-strict" and child.rules[-1].options["require_year"] is True


def test_disable_and_reenable(tmp_path):
    write(tmp_path, "middle.yaml", """
        extends: national
        disable: [standard-heading, section-order]
        """)
    middle = load_pack(str(tmp_path / "middle.yaml"))
    assert {"standard-heading", "section-order"} <= set(middle.disabled)
    assert "section-order" not in {r.id for r in middle.rules}
    write(tmp_path, "child.yaml", """
        extends: middle.yaml
        rules:
          - id: section-order
            enabled: true
        """)
    child = load_pack(str(tmp_path / "child.yaml"))
    assert "section-order" in {r.id for r in child.rules}
    assert child.disabled == ["standard-heading"]
    assert child.layers[-3:] == ["rules/national.yaml", str(tmp_path / "middle.yaml"), str(tmp_path / "child.yaml")]


def test_section_override_is_partial(tmp_path, national):
    path = write(tmp_path, "child.yaml", """
        extends: national
        template:
          sections:
            - id: other
              required: true
        """)
    child = load_pack(str(path))
    assert child.section("other").required and not national.section("other").required
    assert child.section("other").aliases == national.section("other").aliases


@pytest.mark.parametrize("name", ["township", "county", "department"])
def test_level_packs_extend_national(name, national):
    pack = load_pack(name)
    assert pack.name == name and pack.layers == ["rules/national.yaml", f"rules/{name}.yaml"]
    assert {r.id for r in pack.rules} | set(pack.disabled) == {r.id for r in national.rules}
    differing = [r.id for r in pack.rules if r != national.rule(r.id)]
    assert differing or pack.disabled


def test_level_pack_changes_are_visible(national):
    assert "required-section-other" in load_pack("township").disabled
    assert load_pack("county").rule("section-order").severity is Severity.ERROR
    department = load_pack("department")
    assert department.section("first-responsible").standard.startswith("{year}年度部门主要负责人")


def test_overlay_rule_files(tmp_path):
    extra = write(tmp_path, "extra.yaml", """
        rules:
          - id: title
            severity: info
        """)
    pack = load_pack("county", [str(extra)])
    assert pack.rule("title").severity is Severity.INFO and pack.name == "county"
    bad = write(tmp_path, "bad.yaml", "extends: national\n")
    with pytest.raises(RuleFileError, match="extends"):
        load_pack("national", [str(bad)])


# --- configuration --------------------------------------------------------------------------------

def test_config_discovered_in_parent_directory(tmp_path, monkeypatch):
    write(tmp_path, ".checker.yaml", """
        pack: township
        rules: [extra/more.yaml]
        disable: [title]
        severity: {section-order: error}
        """)
    write(tmp_path, "extra/more.yaml", """
        rules:
          - id: year-consistency
            weight: 1
        """)
    nested = tmp_path / "drafts" / "2024"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_config() == tmp_path / ".checker.yaml"
    pack = build_pack(load_config())
    assert pack.name == "township"
    assert "title" in pack.disabled
    assert pack.rule("section-order").severity is Severity.ERROR
    assert pack.rule("year-consistency").weight == 1
    # the command line wins over the configuration
    assert build_pack(load_config(), pack="county").name == "county"


def test_pyproject_tool_checker(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", """
        [project]
        name = "drafts"

        [tool.checker]
        pack = "department"
        severity = { title = "info" }
        """)
    monkeypatch.chdir(tmp_path)
    pack = build_pack(load_config())
    assert pack.name == "department" and pack.rule("title").severity is Severity.INFO


def test_checker_yaml_wins_over_pyproject(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.checker]\npack = "county"\n')
    write(tmp_path, ".checker.yaml", "pack: township\n")
    monkeypatch.chdir(tmp_path)
    assert find_config().name == ".checker.yaml"


def test_pyproject_without_table_is_not_a_config(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().path is None or Path(load_config().path).parent != tmp_path


@pytest.mark.parametrize("name, text, line, reason", [
    (".checker.yaml", "pack: national\ndisabel: [title]\n", 2, "未知的键 'disabel'"),
    (".checker.yaml", "disable: [title, nope]\n", 1, "'nope' 不存在"),
    (".checker.yaml", "severity: {title: fatal}\n", 1, "级别应为"),
    (".checker.yaml", "severity:\n  nope: error\n", 2, "'nope' 不存在"),
    ("pyproject.toml", "[project]\nname='x'\n\n[tool.checker]\npack = 'national'\nseverity = {nope = 'error'}\n", 6,
     "'nope' 不存在"),
    ("pyproject.toml", "[tool.checker]\ncolour = 1\n", 2, "未知的键 'colour'"),
])
def test_config_errors_are_positioned(tmp_path, name, text, line, reason):
    path = write(tmp_path, name, text)
    with pytest.raises(RuleFileError) as info:
        build_pack(load_config(path))
    assert info.value.path == str(path) and info.value.line == line and reason in info.value.reason


# --- command line -------------------------------------------------------------------------------

def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_rule_file_error_exit_code(tmp_path):
    bad = write(tmp_path, "bad.yaml", "extends: national\nrules:\n  - id: title\n    bogus: 1\n")
    result = run("check", str(SEED_002), "--pack", str(bad))
    assert result.exit_code == EXIT_RULES == 3
    assert f"{bad}:4:5:" in result.output and "Traceback" not in result.output
    assert run("check", str(SEED_002), "--rules", str(bad)).exit_code == EXIT_RULES
    # a name typed on the command line that does not exist is a usage error (issue 13), exit 2
    assert run("check", str(SEED_002), "--pack", "no-such-pack").exit_code == 2
    assert run("check", str(SEED_002), "--disable", "nope").exit_code == 2
    assert run("check", str(SEED_002), "--config", str(tmp_path / "missing.yaml")).exit_code == EXIT_RULES


def test_cli_pack_rules_disable_and_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("check", str(SEED_002), "--format", "json").exit_code == EXIT_OK
    strict = write(tmp_path, "strict.yaml", "rules:\n  - id: concepts-measures\n    severity: error\n")
    result = run("check", str(SEED_002), "--format", "json", "--rules", str(strict))
    # seed 002 has a concepts-measures note (4 of the 纲要's nine areas); raised to error it fails the run
    assert result.exit_code == EXIT_FINDINGS, result.output
    result = run("check", str(SEED_002), "--format", "json", "--rules", str(strict), "--disable", "concepts-measures")
    assert result.exit_code == EXIT_OK
    write(tmp_path, ".checker.yaml", "rules: [strict.yaml]\n")
    assert run("check", str(SEED_002), "--format", "json").exit_code == EXIT_FINDINGS
    assert run("check", str(tmp_path / "missing.txt")).exit_code == EXIT_USAGE


def test_cli_rules_list_and_explain():
    listing = run("rules", "list", "--pack", "township")
    assert listing.exit_code == 0 and "required-section-measures" in listing.output
    assert "已停用: required-section-other" in listing.output
    explained = run("explain", "required-section-first-responsible")
    assert explained.exit_code == 0
    for needle in ("依据", "通过示例", "不通过示例", "第一责任人职责规定"):
        assert needle in explained.output
    assert run("explain", "no-such-rule").exit_code == EXIT_USAGE


# --- schema and generated docs ----------------------------------------------------------------------

def test_committed_schema_is_current():
    from checker.schema import render_schema

    committed = (ROOT / "rules" / "rule-pack.schema.json").read_text(encoding="utf-8")
    assert committed == render_schema(), "run: python -m checker.schema > rules/rule-pack.schema.json"


def test_schema_covers_the_loaders_keys():
    from checker import packs
    from checker.schema import build_schema

    schema = build_schema()
    assert set(schema["properties"]) == packs.PACK_KEYS
    assert set(schema["properties"]["template"]["properties"]) == packs.TEMPLATE_KEYS
    assert set(schema["properties"]["scoring"]["properties"]) == packs.SCORING_KEYS
    assert set(schema["$defs"]["section"]["properties"]) == packs.SECTION_KEYS
    assert set(schema["$defs"]["rule-override"]["properties"]) >= packs.RULE_HEADER_KEYS - {"kind"}


def test_packs_validate_against_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "rules" / "rule-pack.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = [ROOT / "rules" / f"{name}.yaml" for name in bundled_pack_names()]
    files += sorted((ROOT / "tests" / "data" / "packs").glob("*.yaml"))
    for path in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert not errors, (path, errors)
    bad = {"extends": "national", "rules": [{"id": "x", "kind": "title", "bogus": 1}, {"id": "y", "kind": "nope"}]}
    assert len(list(validator.iter_errors(bad))) == 2


def test_committed_rules_doc_is_current():
    from checker.docs import rules_markdown

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_markdown(), "run: python -m checker.docs > docs/rules.md"


def test_department_deadline_is_before_first_of_april(national):
    """第二十四条: departments, like governments, publish before 1 April; 1 March is the (invisible)
    submission date, so a department report published on 20 March is on time."""
    from checker.engine import Engine

    seed_000 = str(next((ROOT / "seeds").glob("000_*.txt")))  # a 2023 report published 2024-03-20
    department = load_pack("department")
    assert (department.rule("deadline").options["month"], department.rule("deadline").options["day"]) == (4, 1)
    assert department.rule("deadline").message == national.rule("deadline").message
    assert not [f for f in Engine(department).check_path(seed_000).findings if f.rule == "deadline"]
    assert not [f for f in Engine(national).check_path(seed_000).findings if f.rule == "deadline"]


def test_level_concept_lists_differ(national):
    township, county = load_pack("township"), load_pack("county")
    assert township.rule("concepts-measures").options["concepts"] != national.rule("concepts-measures").options["concepts"]
    assert county.rule("concepts-measures").options["min"] > national.rule("concepts-measures").options["min"]
    assert county.rule("concepts-measures").options["concepts"] == national.rule("concepts-measures").options["concepts"]


@pytest.mark.parametrize("rule, line, column, reason", [
    ("""
       - id: pattern-x
         kind: pattern
         message: x
         patterns:
           - ok
           - "(unclosed"
     """, 8, 7, "(unclosed"),
    ("""
       - id: metric-x
         kind: metric
         message: x
         min_chars: -5
     """, 6, 14, "min_chars"),
    ("""
       - id: pattern-x
         kind: pattern
         message: x
         patterns: ok
     """, 6, 13, "'patterns' 应为列表"),
    ("""
       - id: conditional-x
         kind: conditional
         message: x
         if: ["[a-"]
         then: [b]
     """, 6, 8, "[a-"),
])
def test_kind_option_errors_are_positioned(tmp_path, rule, line, column, reason):
    text = "extends: national\nrules:" + textwrap.dedent(rule)  # rule items start on line 3, column 1
    error = load_error(tmp_path, text)
    assert (error.line, error.column) == (line, column), str(error)
    assert reason in error.reason
