"""CI citizenship: SARIF, JUnit, GitHub annotations, fingerprints, baselines, in-document
suppression, rule tests, the pre-commit hook and the documented GitHub Actions workflow."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from checker.cli import main
from checker.engine import Engine
from checker.fingerprint import VERSION as FP_KEY
from checker.fingerprint import fingerprints
from checker.load import Source
from checker.model.document import build_document, document_from_text
from checker.render import RenderOptions, render
from checker.render.github import escape_data, escape_property
from tests.conftest import ROOT, SEEDS

DRAFTS = ROOT / "tests" / "data" / "ci-drafts"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
CHECKER_BIN = Path(sys.executable).parent


def draft(name: str) -> Path:
    return next((DRAFTS / "drafts").glob(f"{name}*.txt"))


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- GitHub workflow command grammar ------------------------------------------------------------
_COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")
_PROPS = {"file", "line", "col", "endLine", "endColumn", "title"}


def check_github_log(text: str, repo: Path) -> list[dict]:
    """Assert every workflow command is one GitHub accepts; return the parsed annotations."""
    annotations, depth = [], 0
    for raw in text.split("\n"):
        assert "\r" not in raw
        if raw.startswith("::group::"):
            assert depth == 0, "nested group"
            depth += 1
            continue
        if raw == "::endgroup::":
            assert depth == 1
            depth -= 1
            continue
        if not raw.startswith("::"):
            continue
        match = _COMMAND.match(raw)
        assert match, raw
        props = {}
        for item in (match.group("props") or "").split(","):
            key, sep, value = item.partition("=")
            assert sep and key in _PROPS and "," not in value and ":" not in value, item
            props[key] = value.replace("%3A", ":").replace("%2C", ",").replace("%0A", "\n").replace("%25", "%")
        path = repo / props["file"]
        assert path.is_file(), props["file"]
        lines = path.read_text(encoding="utf-8").split("\n")
        for key in ("line", "endLine"):
            if key in props:
                assert 1 <= int(props[key]) <= len(lines)
        if "endColumn" in props:
            assert props.get("endLine") == props["line"] and int(props["endColumn"]) >= int(props["col"])
        assert re.fullmatch(r"[^%]*(?:%(?:25|0D|0A)[^%]*)*", match.group("msg")), "unescaped % in message"
        annotations.append({"cmd": match.group("cmd"), **props})
    assert depth == 0
    return annotations


# --- SARIF ------------------------------------------------------------------------------------------

def test_sarif_validates_and_describes_every_rule(engine, national):
    paths = sorted(SEEDS.glob("*.txt")) + sorted((DRAFTS / "drafts").glob("*.txt"))
    results = [engine.check_path(str(p)) for p in paths] + [engine.check_path(str(DRAFTS / "missing.txt"))]
    sarif = json.loads(render("sarif", results, RenderOptions(pack=national, base_dir=str(ROOT))))
    jsonschema.validate(sarif, SCHEMA)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in national.rules] + ["checker-disable"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert "{" not in rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == sum(len(r.findings) for r in results)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and "\\" not in uri
        region = result["locations"][0]["physicalLocation"].get("region")
        assert region is None or region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
        assert re.fullmatch(r"[0-9a-f]{32}:\d+", result["partialFingerprints"][FP_KEY])
    # the unreadable file is a tool notification, not a result
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and run["invocations"][0]["executionSuccessful"] is False


def test_sarif_help_uri_and_suppressions(national, tmp_path):
    linked = dataclasses.replace(national, rules=[dataclasses.replace(r, link=f"https://example.org/rules/{r.id}")
                                                  if r.id == "title" else r for r in national.rules])
    result = Engine(linked).check_path(str(draft("东街道")))
    sarif = json.loads(render("sarif", [result], RenderOptions(pack=linked)))
    jsonschema.validate(sarif, SCHEMA)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["title"]["helpUri"] == "https://example.org/rules/title"
    assert "helpUri" not in rules["section-order"]
    suppressed = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["required-section-other"]
    assert suppressed[0]["suppressions"][0] == {"kind": "inSource", "status": "accepted",
                                                "justification": "街道无其他需要报告的事项"}


def test_finding_without_position_has_no_region(national):
    from checker.render.sarif import result_dict
    from checker.result import Finding, Severity

    item = result_dict(Finding("title", Severity.WARNING, "没有标题"), "x:1", "a.txt", {})
    assert "region" not in item["locations"][0]["physicalLocation"]
    jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "checker"}},
                                                        "results": [item]}]}, SCHEMA)


# --- fingerprints -------------------------------------------------------------------------------

def _fps(engine, text: str):
    result = engine.check_document(document_from_text(text))
    return result.findings, fingerprints(result.findings)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")) + sorted((DRAFTS / "drafts").glob("*.txt")),
                         ids=lambda p: p.name[:12])
def test_moving_every_line_down_by_ten_keeps_fingerprints(engine, path):
    text = path.read_text(encoding="utf-8")
    before, fp_before = _fps(engine, text)
    after, fp_after = _fps(engine, "\n" * 10 + text)
    assert fp_after == fp_before
    assert [f.line + 10 for f in before if f.line] == [f.line for f in after if f.line]


def test_rewording_a_matched_text_changes_only_that_fingerprint(engine):
    text = draft("城关镇").read_text(encoding="utf-8")
    before, fp_before = _fps(engine, text)
    target = next(i for i, f in enumerate(before) if f.matched_text and "主要工作" in f.matched_text)
    after, fp_after = _fps(engine, text.replace("2023年法治建设主要工作", "2023年法治建设主要工作情况"))
    assert [(f.rule, f.line) for f in after] == [(f.rule, f.line) for f in before]
    changed = [i for i, (a, b) in enumerate(zip(fp_before, fp_after)) if a != b]
    assert changed == [target]


# --- JUnit --------------------------------------------------------------------------------------

def test_junit_parses_back_with_a_testcase_per_rule(engine, national):
    paths = sorted((DRAFTS / "drafts").glob("*.txt"))
    results = [engine.check_path(str(p)) for p in paths] + [engine.check_path(str(DRAFTS / "missing.txt"))]
    for fail_on, failing in (("error", {"required-section-first-responsible"}),
                             ("warning", {"required-section-first-responsible", "title", "section-order", "numbering",
                                          "metric-facts-measures", "concepts-first-responsible", "closing"})):
        xml = render("junit", results, RenderOptions(pack=national, base_dir=str(DRAFTS),
                                                     extras={"fail_on": fail_on}))
        root = ET.fromstring(xml)
        suites = root.findall("testsuite")
        assert len(suites) == len(results)
        failed = set()
        for suite, result in zip(suites, results):
            cases = suite.findall("testcase")
            assert suite.get("name") == os.path.relpath(result.path, DRAFTS).replace(os.sep, "/")
            if result.error:
                assert suite.get("errors") == "1" and cases[0].find("error") is not None
                continue
            assert [c.get("name") for c in cases] == [r.id for r in national.rules]
            assert int(suite.get("tests")) == len(cases)
            bad = [c for c in cases if c.find("failure") is not None]
            assert int(suite.get("failures")) == len(bad)
            failed |= {c.get("name") for c in bad}
            props = {p.get("name"): p.get("value") for p in suite.iter("property")}
            assert float(props["score"]) == result.score
        assert failed == failing


# --- GitHub annotations ---------------------------------------------------------------------------

def test_github_escaping():
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_output_groups_report_and_annotations(engine, national):
    results = [engine.check_path(str(p)) for p in sorted((DRAFTS / "drafts").glob("*.txt"))]
    text = render("github", results, RenderOptions(pack=national, base_dir=str(DRAFTS)))
    annotations = check_github_log(text, DRAFTS)
    assert text.count("::group::") == len(results)
    assert "得分" in text  # the plain report is in the log too
    active = [f for r in results for f in r.findings if not f.suppressed]
    assert len(annotations) == len(active)
    assert {a["cmd"] for a in annotations} == {"error", "warning", "notice"}


# --- in-document suppression --------------------------------------------------------------------

def test_directive_lines_do_not_disturb_the_outline(engine):
    text = draft("西乡").read_text(encoding="utf-8")
    lines = text.split("\n")
    directive = "<!-- checker-disable-next-line required-section-first-responsible: 已并入第一部分 -->"
    with_directives = "\n".join(["<!-- checker-disable title: 测试 -->"] + lines[:10] + [directive] + lines[10:])
    blanks = "\n".join([""] + lines[:10] + [""] + lines[10:])
    a, b = document_from_text(with_directives), document_from_text(blanks)
    def shape(doc):
        return ([(h.line, h.column, h.level, h.text) for h in doc.outline.headings],
                doc.outline.title.text, doc.outline.title.line, [line.line for line in doc.outline.boilerplate])

    assert shape(a) == shape(b)
    assert a.outline.report_year == b.outline.report_year == 2023
    result = engine.check_document(a)
    plain = engine.check_document(b)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [(f.rule, f.line, f.column) for f in plain.findings]
    suppressed = {f.rule: f.suppressed for f in result.findings if f.suppressed}
    assert suppressed == {"required-section-first-responsible": "已并入第一部分"}
    assert all(f.suppressed_by == "document" for f in result.findings if f.suppressed)
    active = {f.rule for f in result.findings if not f.suppressed}
    assert result.score > plain.score and not active & {"title", "required-section-first-responsible"}
    assert result.worst() is None or result.worst().label != "error"


def test_next_line_directive_only_covers_its_line(engine):
    text = draft("城关镇").read_text(encoding="utf-8")
    lines = text.split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    lines.insert(heading, "<!-- checker-disable-next-line standard-heading -->")
    result = engine.check_document(document_from_text("\n".join(lines)))
    notes = [f for f in result.findings if f.rule == "standard-heading"]
    assert [bool(f.suppressed) for f in notes] == [False, True]
    assert notes[1].suppressed == "（未说明原因）"


def test_word_comment_directive_suppresses_the_rule(engine):
    text = draft("东街道").read_text(encoding="utf-8")
    source = Source(path="x.docx", text=text, format="docx", directives=[(1, "checker-disable title：标题由上级拟定")])
    result = engine.check_document(build_document(source))
    title = [f for f in result.findings if f.rule == "title"]
    assert title and title[0].suppressed == "标题由上级拟定"


# --- baseline -------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch):
    target = tmp_path / "repo"
    shutil.copytree(DRAFTS, target)
    (target / "missing.txt").unlink(missing_ok=True)
    monkeypatch.chdir(target)
    return target


def test_baseline_reports_only_new_findings(repo):
    created = cli("baseline", "create", ".checker-baseline.json", "drafts")
    assert created.exit_code == 0, created.output
    data = json.loads((repo / ".checker-baseline.json").read_text(encoding="utf-8"))
    # 23: three of the four drafts end without 落款 (closing, a warning each)
    assert data["fingerprint"] == FP_KEY and len(data["findings"]) == 23
    assert all(not e["path"].startswith("/") for e in data["findings"])

    result = cli("check", "drafts", "--baseline", ".checker-baseline.json", "--fail-on", "info", "-j", "1",
                 "--format", "json:out.json", "--format", "terminal", "--no-color")
    assert result.exit_code == 0, result.output
    docs = json.loads((repo / "out.json").read_text(encoding="utf-8"))["documents"]
    assert sum(d["baseline_suppressed"] for d in docs) == 23
    assert all(f["suppressed_by"] == "document" for d in docs for f in d["findings"])
    assert all(re.fullmatch(r"[0-9a-f]{32}:\d+", f["fingerprint"]) for d in docs for f in d["findings"])
    assert all(d["score"] == 100.0 for d in docs)
    assert "已记录在基线中" in result.output

    # move lines, then add one new problem: only that is reported
    path = repo / "drafts" / draft("西乡").name
    text = path.read_text(encoding="utf-8")
    path.write_text("\n\n\n" + text.replace("西乡人民政府2023年度", "西乡人民政府"), encoding="utf-8")
    result = cli("check", "drafts", "--baseline", ".checker-baseline.json", "-j", "1", "--format", "json",
                 "--fail-on", "warning")
    assert result.exit_code == 1
    docs = json.loads(result.stdout)["documents"]
    new = [(d["path"], f["rule"]) for d in docs for f in d["findings"] if not f["suppressed"]]
    assert new == [("drafts/西乡-2023.txt", "title")]


def test_baseline_from_another_directory_warns(repo, monkeypatch):
    assert cli("baseline", "create", "b.json", "drafts").exit_code == 0
    monkeypatch.chdir(repo / "drafts")
    result = cli("check", ".", "--baseline", "../b.json", "-j", "1", "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0 and "基线" in result.stderr and "没有本次检查的任何文件" in result.stderr


def test_bad_baseline_is_a_usage_error(repo):
    (repo / "b.json").write_text("{}", encoding="utf-8")
    result = cli("check", "drafts", "--baseline", "b.json")
    assert result.exit_code == 2 and "基线" in result.output


# --- rule tests -------------------------------------------------------------------------------------

def test_shipped_packs_pass_their_rule_tests():
    from checker.packs import bundled_pack_names

    result = cli("rules", "test", str(ROOT / "rules" / "tests"))
    assert result.exit_code == 0, result.output
    assert "0 项失败" in result.output
    tested = {p.name for p in (ROOT / "rules" / "tests").iterdir() if p.is_dir()}
    assert tested == set(bundled_pack_names())  # every shipped pack has rule tests
    by_file = cli("rules", "test", str(ROOT / "rules" / "township.yaml"), "-v")
    assert by_file.exit_code == 0 and "tests/township/" in by_file.output


def test_rule_test_failures_name_rule_file_and_line(tmp_path):
    case = tmp_path / "tests" / "national" / "bad.txt"
    case.parent.mkdir(parents=True)
    case.write_text("\n".join([
        "某某镇2023年度法治政府建设情况报告",
        "<!-- ok: title -->",
        "一、2023年度推进法治政府建设的主要举措和成效",
        "<!-- ruleid: standard-heading -->",
        "二、2023年度推进法治政府建设存在的不足和原因",
        "<!-- ok-document: required-section-next-year -->",
        "<!-- ruleid: no-such-rule -->",
        "三、其他需要报告的情况",
    ]), encoding="utf-8")
    result = cli("rules", "test", str(tmp_path))
    assert result.exit_code == 1
    assert f"{case}:5: [standard-heading] 应在此行报告问题" in result.output
    assert "[required-section-next-year] 文档不应报告" in result.output
    assert f"{case}:7: [no-such-rule] 规则包中没有这条规则" in result.output
    assert "[title]" not in result.output


# --- integration: pre-commit hook and the documented GitHub Actions workflow ------------------------

def _env() -> dict:
    return {**os.environ, "PATH": f"{CHECKER_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_pre_commit_hook_entry_runs_like_pre_commit(repo):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "checker")
    include, exclude = re.compile(hook["files"]), re.compile(hook.get("exclude", "^$"))
    (repo / "requirements.txt").write_text("click\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "add", "."], check=True)
    tracked = subprocess.run(["git", "ls-files"], check=True, capture_output=True, text=True,
                             env={**os.environ, "GIT_CONFIG_PARAMETERS": "'core.quotepath=false'"}).stdout.split()
    files = [f for f in tracked if include.search(f) and not exclude.search(f)]
    assert "requirements.txt" not in files and len(files) == 4

    def hook_run(names, *args):  # what pre-commit runs: entry + args + staged file names
        command = hook["entry"].split() + list(args) + names
        return subprocess.run(command, capture_output=True, text=True, env=_env(), timeout=120)

    assert hook_run(files).returncode == 1  # 西乡 lacks a required section
    clean = [f for f in files if "县政府" in f or "城关镇" in f]
    assert hook_run(clean).returncode == 0
    assert hook_run(clean, "--fail-on", "info").returncode == 1


def _workflow_step() -> tuple[dict, dict]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- ci-example: github-actions -->\s*```yaml\n(.*?)```", text, re.S).group(1)
    workflow = yaml.safe_load(block)
    job = next(iter(workflow["jobs"].values()))
    steps = job["steps"]
    check = next(s for s in steps if s.get("id") == "check")
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"] == "always()" and upload["with"]["sarif_file"]
    assert workflow["permissions"]["security-events"] == "write"
    return job, check


@pytest.mark.parametrize("fail_on, fail_under, expected", [
    ("error", "0", 1), ("warning", "0", 1), ("info", "0", 1), ("never", "0", 0),
    ("never", "60", 0), ("never", "90", 1),  # drafts score 69–100 (西乡 lacks a required part)
])
def test_github_actions_example_on_sample_drafts(repo, fail_on, fail_under, expected):
    job, step = _workflow_step()
    env = {**_env(), **{k: str(v) for k, v in job["env"].items()},
           "CHECKER_FAIL_ON": fail_on, "CHECKER_FAIL_UNDER": fail_under}
    done = subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == expected, done.stderr
    sarif = json.loads((repo / "checker.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, SCHEMA)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    from urllib.parse import unquote
    assert all((repo / unquote(u)).is_file() for u in uris)
    annotations = check_github_log(done.stdout, repo)
    assert {a["cmd"] for a in annotations} == {"error", "warning", "notice"}
    ET.parse(repo / "checker-junit.xml")


@pytest.mark.parametrize("names, fail_on, expected", [
    (["县政府"], "info", 0),
    (["县政府", "城关镇"], "info", 1),
    (["县政府"], "warning", 0),
    (["县政府", "城关镇"], "warning", 1),  # 城关镇 ends without 落款 (closing, a warning)
    (["县政府", "城关镇", "东街道"], "warning", 1),
    (["县政府", "城关镇", "东街道"], "error", 0),
    (["西乡"], "error", 1),
])
def test_exit_code_per_threshold(names, fail_on, expected):
    result = cli("check", *[str(draft(n)) for n in names], "--fail-on", fail_on, "-j", "1", "--format", "json")
    assert result.exit_code == expected


def test_unreadable_file_wins_over_findings(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = cli("check", str(draft("西乡")), str(bad), "-j", "1", "--format", "json")
    assert result.exit_code == 2


def test_docx_comment_directive_end_to_end(engine, tmp_path):
    import docx

    document = docx.Document()
    lines = draft("东街道").read_text(encoding="utf-8").strip().split("\n")
    paragraphs = [document.add_paragraph(line) for line in lines if not line.startswith("<!--")]
    document.add_comment(paragraphs[0].runs, text="checker-disable title: 标题由上级统一拟定", author="审核")
    path = tmp_path / "东街道.docx"
    document.save(str(path))
    result = engine.check_path(str(path))
    assert result.error is None and result.format == "docx"
    title = [f for f in result.findings if f.rule == "title"]
    assert title and title[0].suppressed == "标题由上级统一拟定" and title[0].suppressed_by == "document"
    sarif = json.loads(render("sarif", [result], RenderOptions(pack=engine.pack)))
    jsonschema.validate(sarif, SCHEMA)
    assert any(r.get("suppressions") for r in sarif["runs"][0]["results"])


def test_directive_naming_an_unknown_rule_is_reported(engine):
    text = "<!-- checker-disable titel: 拼写错误 -->\n" + draft("县政府").read_text(encoding="utf-8")
    result = engine.check_document(document_from_text(text))
    notes = [f for f in result.findings if f.rule == "checker-disable"]
    assert len(notes) == 1 and "titel" in notes[0].message and notes[0].line == 1
    assert notes[0].severity.label == "info" and result.score == 100.0


def test_docx_results_have_no_text_regions(engine, tmp_path):
    import docx

    document = docx.Document()
    for line in draft("西乡").read_text(encoding="utf-8").strip().split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "西乡.docx"
    document.save(str(path))
    result = engine.check_path(str(path))
    sarif = json.loads(render("sarif", [result], RenderOptions(pack=engine.pack, base_dir=str(tmp_path))))
    jsonschema.validate(sarif, SCHEMA)
    items = sarif["runs"][0]["results"]
    assert items and all("region" not in r["locations"][0]["physicalLocation"] for r in items)
    assert any("提取文本第" in r["message"]["text"] for r in items)
    log = render("github", [result], RenderOptions(pack=engine.pack, base_dir=str(tmp_path)))
    assert "::error file=西乡.docx,title=" in log


def test_renumbering_headings_keeps_fingerprints(engine):
    from checker.fingerprint import normalize_text

    assert normalize_text("四、下一步 工作打算") == normalize_text("三、下一步工作打算") == "下一步工作打算"
    assert normalize_text("（二）强化领导") == normalize_text("(三)强化领导")
    assert normalize_text("2023年") == "2023年"
    text = draft("城关镇").read_text(encoding="utf-8")
    findings, before = _fps(engine, text)
    moved, after = _fps(engine, text.replace("四、下一步工作打算", "六、下一步工作打算"))
    notes = {fp for f, fp in zip(findings, before) if f.rule == "standard-heading"}
    assert len(notes) == 2 and notes <= set(after)  # a numbering rule may add findings; these stay


_CORPUS = sorted(SEEDS.glob("*.txt")) + sorted((DRAFTS / "drafts").glob("*.txt"))


def test_blank_lines_anywhere_keep_fingerprints(engine):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None)
    @given(st.sampled_from(_CORPUS), st.lists(st.tuples(st.integers(0, 400), st.integers(1, 3)), max_size=5))
    def check(path, inserts):
        lines = path.read_text(encoding="utf-8").split("\n")
        _, base = _fps(engine, "\n".join(lines))
        for pos, count in sorted(inserts, reverse=True):
            lines[min(pos, len(lines)):min(pos, len(lines))] = [""] * count
        assert _fps(engine, "\n".join(lines))[1] == base

    check()
