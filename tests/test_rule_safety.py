"""Rule files from other offices are data, not code: YAML is loaded safely, a regex cannot hang
the checker, and no rule reaches the file system outside its pack."""

from __future__ import annotations

import time

import pytest

from checker.errors import RuleFileError
from checker.model.document import document_from_text
from checker.packs import load_pack
from tests.hostile import run_checker

EVIL_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:checker.packs.Pack {{}}",
]


@pytest.mark.parametrize("tag", EVIL_TAGS)
def test_python_tags_in_yaml_are_refused_with_one_line(tmp_path, tag):
    """yaml.SafeLoader: a python/* tag is a load error, never a constructor call."""
    marker = tmp_path / "pwned"
    pack = tmp_path / "evil.yaml"
    pack.write_text(f"extends: national\ndescription: {tag.format(marker=marker)}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(str(pack))
    message = str(caught.value)
    assert "\n" not in message and str(pack) in message
    assert not marker.exists()
    run = run_checker("check", "--pack", str(pack), str(tmp_path))
    assert run.returncode == 3 and "Traceback" not in run.stderr and not marker.exists()
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


def test_catastrophic_regex_finishes_within_its_time_limit(tmp_path, engine):
    """(a+)+$ on a long line of a's followed by b: exponential backtracking, stopped by the
    pattern kind's per-search timeout with an info finding; the other rules still run."""
    from checker.engine import Engine

    pack = tmp_path / "redos.yaml"
    pack.write_text("extends: national\nrules:\n  - id: redos\n    kind: pattern\n    message: '{match}'\n"
                    "    patterns: ['(a+)+$']\n    timeout_ms: 200\n", encoding="utf-8")
    checker = Engine(load_pack(str(pack)))
    doc = document_from_text("一、主要举措和成效\n" + "a" * 5000 + "b\n")
    started = time.monotonic()
    result = checker.check_document(doc)
    assert time.monotonic() - started < 5
    notes = [f for f in result.findings if f.rule == "redos"]
    assert notes and "超时" in notes[0].message
    assert {f.rule for f in result.findings} - {"redos"}, "other rules still report"


def test_invalid_regex_is_refused_at_load(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("extends: national\nrules:\n  - id: bad\n    kind: pattern\n    message: x\n"
                    "    patterns: ['(未闭合']\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(str(pack))
    assert "bad.yaml:" in str(caught.value) and "\n" not in str(caught.value)
    assert "(未闭合" in str(caught.value)  # the message names the pattern


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname.yaml", "../outside.yaml", "sub/../../outside.yaml",
                                    "~/x.yaml", "link.yaml", "notes.txt"])
def test_extends_cannot_leave_the_pack_directory(tmp_path, target):
    """Allowed: bundled names and .yaml files in the pack's own directory tree. Refused: absolute
    paths, ../ escapes (also through a symlink), other suffixes. Nothing outside is read."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "sub").mkdir()
    (tmp_path / "outside.yaml").write_text("extends: national\n", encoding="utf-8")
    (packs / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (packs / "notes.txt").write_text("extends: national\n", encoding="utf-8")
    child = packs / "child.yaml"
    child.write_text(f"extends: {target}\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(str(child))
    assert "extends" in str(caught.value) and "child.yaml:1" in str(caught.value)


def test_extends_within_the_pack_directory_is_allowed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "base.yaml").write_text("extends: national\nname: base\n", encoding="utf-8")
    (tmp_path / "sub" / "mid.yaml").write_text("extends: national\nname: mid\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("extends: base.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: sub/mid.yaml\nname: b\n", encoding="utf-8")
    assert load_pack(str(tmp_path / "a.yaml")).name == "a"
    assert load_pack(str(tmp_path / "b.yaml")).name == "b"


def test_no_rule_option_reaches_eval_exec_or_imports():
    """Rule kinds never evaluate pack text as code: the only dynamic import is the fixed
    renderer registry, and no module calls eval/exec/compile on data."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "checker"
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?<![\w.])(eval|exec|__import__)\s*\(|pickle\.loads?\(|yaml\.load\((?![^)]*Loader=)|"
                                 r"yaml\.unsafe_load|marshal\.loads|import_module\((?!FORMATS\[)", source):
            offenders.append(f"{path.relative_to(root)}: {match.group()}")
    assert not offenders, offenders


@pytest.mark.parametrize("message", ["{title.__class__.__mro__}", "{problem.__init__.__globals__}", "{x[0]}",
                                     "{problem:>999999999}", "{problem:{width}}", "{}", "unbalanced {"])
def test_message_templates_cannot_walk_objects_or_explode(tmp_path, message):
    """Placeholders are plain names: attribute/index access, nested or huge format widths and
    broken braces are refused at load with the rule's position."""
    pack = tmp_path / "fmt.yaml"
    pack.write_text("extends: national\nrules:\n  - id: title\n    kind: title\n"
                    f"    message: '{message}'\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_pack(str(pack))
    assert "fmt.yaml:5" in str(caught.value) and "message" in str(caught.value)
