"""`checker check` outputs: repeated --format FORMAT[:PATH], -o, atomic report files."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from checker.cli import main
from checker.output import AtomicFile, OutputError, parse_specs
from checker.render import FORMATS
from tests.conftest import SEEDS, seed


def run(*args: str):
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def test_several_formats_in_one_run(tmp_path):
    out_json = tmp_path / "out.json"
    result = run(str(SEEDS), "--format", "terminal", "--format", f"json:{out_json}", "-j", "1", "--no-color")
    assert result.exit_code in (0, 1)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["documents"]) == 5
    assert "得分" in result.output  # the terminal report went to stdout
    assert [p for p in os.listdir(tmp_path) if p != "out.json"] == []  # no temp file left behind


def test_single_format_with_output_option(tmp_path):
    out = tmp_path / "r.json"
    result = run(str(seed("002")), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["grade"] == "优秀"
    assert "得分" in result.stdout  # no report goes to stdout: the terminal report does (issue 13)
    quiet = run(str(seed("002")), "--format", "json", "-o", str(out), "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == ""


@pytest.mark.parametrize("formats, output", [
    (("nonsense",), None),
    (("json", "terminal"), None),  # two reports on stdout
    (("json", "terminal"), "x.json"),  # -o is ambiguous
    (("json:a.json", "csv:a.json"), None),
    (("json:",), None),
])
def test_bad_output_specs_are_refused(formats, output):
    with pytest.raises(OutputError):
        parse_specs(formats, output, FORMATS)


def test_bad_format_is_a_usage_error(tmp_path):
    result = run(str(seed("002")), "--format", "nonsense")
    assert result.exit_code == 2 and "nonsense" in result.output


def test_atomic_file_replaces_only_on_commit(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old complete report", encoding="utf-8")
    handle = AtomicFile(str(target))
    handle.stream.write("half a rep")
    assert target.read_text(encoding="utf-8") == "old complete report"
    handle.abort()
    assert target.read_text(encoding="utf-8") == "old complete report"
    assert os.listdir(tmp_path) == ["report.json"]
    handle = AtomicFile(str(target))
    handle.stream.write("new report")
    handle.commit()
    assert target.read_text(encoding="utf-8") == "new report"
    assert os.listdir(tmp_path) == ["report.json"]


def test_report_interrupted_by_a_crash_leaves_no_truncated_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text('{"previous": true}', encoding="utf-8")
    from checker.render import json as json_render

    def boom(self, result):
        self.out.write('{"half": ')
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(json_render.Report, "add", boom)
    with pytest.raises(RuntimeError):
        run(str(seed("002")), "--format", f"json:{target}")
    assert json.loads(target.read_text(encoding="utf-8")) == {"previous": True}
    assert os.listdir(tmp_path) == ["out.json"]


def test_unwritable_output_directory_is_a_usage_error(tmp_path):
    result = run(str(seed("002")), "--format", f"json:{tmp_path}/missing/dir/out.json")
    assert result.exit_code == 2 and "out.json" in result.output


def test_cli_import_stays_light():
    """`checker --version` must start fast: the CLI module imports no heavy library."""
    import subprocess
    import sys

    code = ("import sys, checker.cli; "
            "print(sorted(m for m in ('rich', 'rapidfuzz', 'yaml', 'openpyxl', 'docx', 'pypdfium2', 'rapidocr_onnxruntime', 'charset_normalizer')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_readme_reviewer_example_prints_the_terminal_summary(tmp_path):
    """`checker check DIR --format xlsx:… --format html:…` (README): files plus a summary on stdout."""
    result = run(str(SEEDS), "--format", f"xlsx:{tmp_path / '审核.xlsx'}", "--format", f"html:{tmp_path / '审核.html'}",
                 "-j", "1", "--no-color")
    assert result.exit_code in (0, 1)
    assert (tmp_path / "审核.xlsx").exists() and (tmp_path / "审核.html").exists()
    assert "文件得分排名" in result.stdout
