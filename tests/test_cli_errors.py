"""What a user can get wrong on the command line ends in one Chinese line and exit 2, never a traceback."""

from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from checker.cli import EXIT_RULES, EXIT_USAGE, main
from checker.errors import os_reason
from tests.conftest import SEEDS, seed


def invoke(*args: str):
    # catch_exceptions=False: a traceback would fail the test instead of hiding in result.exception
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_chinese_line(text: str, *needles: str) -> None:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("规则包 ")]  # report header
    assert len(lines) == 1, text
    assert "Traceback" not in text and "Error:" not in text
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize("command", [
    ["fix", str(seed("000")), "-o", "/no/such/dir/out.txt"],
    ["template", "--year", "2025", "-o", "/no/such/dir/t.docx"],
    ["template", "--year", "2025", "-o", "/no/such/dir/t.txt"],
    ["rules", "docs", "-o", "/no/such/dir/rules.md"],
    ["check", str(seed("000")), "--format", "json", "-o", "/no/such/dir/out.json"],
])
def test_unwritable_output_is_one_line_exit_2(command):
    result = invoke(*command)
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.stderr, "/no/such/dir/", "文件或目录不存在")


def test_template_refuses_a_suffix_it_cannot_write(tmp_path):
    target = tmp_path / "t.pdf"
    result = invoke("template", "--year", "2025", "-o", str(target))
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.stderr, "t.pdf", ".docx", ".txt")
    assert not target.exists()
    assert invoke("template", "--year", "2025", "-o", str(tmp_path / "t.txt")).exit_code == 0


def test_fix_refuses_a_suffix_it_cannot_write(tmp_path):
    result = invoke("fix", str(seed("000")), "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.stderr, "out.pdf", ".docx")
    assert os.listdir(tmp_path) == []


def test_unknown_pack_on_the_command_line_is_a_usage_error():
    result = invoke("check", str(seed("000")), "--pack", "nosuchpack")
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.stderr, "nosuchpack", "national", "township")


def test_unknown_pack_in_a_configuration_file_stays_a_rule_error(tmp_path):
    config = tmp_path / ".checker.yaml"
    config.write_text("pack: nosuchpack\n", encoding="utf-8")
    result = invoke("check", str(seed("000")), "--config", str(config))
    assert result.exit_code == EXIT_RULES


def test_unknown_disabled_rule_is_a_usage_error_listing_the_rules():
    result = invoke("check", str(seed("000")), "--disable", "no-such-rule")
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.stderr, "no-such-rule", "standard-heading", "required-section-measures")


def test_missing_file_is_one_chinese_line():
    result = invoke("check", "/no/such/report.txt", "--no-color")
    assert result.exit_code == EXIT_USAGE
    one_chinese_line(result.output, "/no/such/report.txt", "文件或目录不存在")
    assert "No such file" not in result.output


def test_unreadable_file_is_not_refused_in_english_by_click(tmp_path, monkeypatch):
    """Tests may run as root, where permissions do not bite: simulate the failing access and open."""
    target = tmp_path / "locked.txt"
    target.write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    real_open = open

    def locked_open(path, *args, **kwargs):
        if str(path) == str(target):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr("builtins.open", locked_open)
    result = invoke("check", str(target), "--no-color")
    assert result.exit_code == EXIT_USAGE
    assert "Invalid value" not in result.output
    one_chinese_line(result.output, "locked.txt", "没有访问权限")


def test_os_reasons_are_chinese():
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有访问权限"
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或目录不存在"
    assert os_reason(OSError(errno.EIO, "Input/output error")) == "Input/output error"  # rare: as the OS says


def test_seeds_still_check():
    assert invoke("check", str(SEEDS), "--no-color", "-j", "1").exit_code in (0, 1)


def test_docs_list_every_exit_code():
    from tests.conftest import ROOT

    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    for code in ("`0`", "`1`", "`2`", "`3`", "`130`"):
        assert code in guide


def test_license_is_an_spdx_expression():
    import sys

    if sys.version_info < (3, 11):
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    from tests.conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"  # a table ({text = …}) is deprecated by setuptools
    requires = " ".join(project["build-system"]["requires"])
    assert "setuptools>=77" in requires  # PEP 639 license expressions
