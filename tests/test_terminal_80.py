"""The terminal at 80 columns (issue 13 item 5): file names that tell rows apart, whole rule ids,
one line per rule in `checker rules list`."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from checker.cli import main
from checker.render.terminal import display_paths, shorten_middle
from tests.conftest import SEEDS


def deep_batch(tmp_path):
    folder = tmp_path / "2023报告" / "乡镇"
    folder.mkdir(parents=True)
    for number, path in enumerate(sorted(SEEDS.glob("*.txt")), 1):
        shutil.copy(path, folder / f"26{number}_北洋镇人民政府关于2023年度法治政府建设情况的报告_{number}.txt")
    return tmp_path / "2023报告"


def test_ranking_shows_what_sets_each_file_apart_at_80_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(main, ["check", str(deep_batch(tmp_path)), "-j", "1", "--no-details", "--no-color"],
                                catch_exceptions=False)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80  # box-drawing and ASCII: one cell each; CJK counted below
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= 80
    rows = [line for line in lines if "北洋" in line]
    assert len(rows) == 5
    for number in range(1, 6):  # each row shows its own distinguishing start and end
        assert sum(f"26{number}_" in row and f"_{number}.txt" in row for row in rows) == 1
    assert not any("2023报告/乡镇" in row for row in rows)  # the shared directory is dropped
    # 最常见的问题: rule ids whole
    for rule in ("standard-heading", "concepts-shortcomings-causes", "required-section-other"):
        assert any(f"│ {rule} " in line for line in lines), rule


def test_rules_list_is_one_line_per_rule_at_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    from checker.packs import load_pack

    rules = load_pack("national").rules
    result = CliRunner().invoke(main, ["rules", "list"], catch_exceptions=False)
    lines = result.stdout.splitlines()
    for rule in rules:
        assert sum(line.startswith(f"│ {rule.id} ") for line in lines) == 1
    assert len(lines) <= len(rules) + 6  # title, header and frame lines only


def test_shorten_middle_and_display_paths():
    assert shorten_middle("short.txt", 20) == "short.txt"
    cut = shorten_middle("261_北洋镇人民政府关于2023年度法治政府建设情况的报告_1.txt", 20)
    assert cut.startswith("261_") and cut.endswith("_1.txt") and "…" in cut
    from rich.cells import cell_len

    assert cell_len(cut) <= 20
    assert display_paths(["a/b/x.txt", "a/b/c/y.txt"]) == {"a/b/x.txt": "x.txt", "a/b/c/y.txt": "c/y.txt"}
    assert display_paths(["only/one.txt"]) == {"only/one.txt": "only/one.txt"}


def test_chinese_line_breaking_rules():
    from checker.render.linebreak import NO_LINE_END, NO_LINE_START, wrap

    text = ("建议：在列出不足之后写明原因，如“究其原因，一是……二是……”，原因应具体（思想认识、制度机制、"
            "队伍能力、保障投入等），不要只写问题；正文只有 608 字，写到 1 项，完成率 95%  [concepts-shortcomings-causes]")
    for width in range(12, 70):
        lines = wrap(text, width)
        from rich.cells import cell_len

        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        if width < 30:  # narrower than the rule id: it is folded, as nothing else fits
            continue
        for before, after in zip(lines, lines[1:]):
            assert after[0] not in NO_LINE_START, (width, before, after)
            assert before[-1] not in NO_LINE_END, (width, before, after)
            assert not (before.endswith("…") and after.startswith("…"))
            assert not (before[-1].isdigit() and after[0] in "字项%"), (width, before, after)
        assert any("[concepts-shortcomings-causes]" in line for line in lines)


def test_terminal_findings_wrap_by_chinese_rules_at_80_columns():
    from checker.engine import Engine
    from checker.packs import load_pack
    from checker.render import RenderOptions, render
    from checker.render.linebreak import NO_LINE_END, NO_LINE_START
    from tests.conftest import seed

    pack = load_pack("national")
    results = [Engine(pack).check_path(str(path)) for path in sorted(SEEDS.glob("*.txt"))]
    text = render("terminal", results, RenderOptions(pack=pack, color=False, extras={"width": 80}))
    from rich.cells import cell_len

    lines = [line.rstrip() for line in text.splitlines()]
    assert max(cell_len(line) for line in lines) <= 80
    body = [line[14:] for line in lines if line.startswith(" " * 14) and line.strip()]  # continuation lines
    assert body
    assert not [line for line in body if line[0] in NO_LINE_START]
    assert not [line for line in lines if line and line[-1] in NO_LINE_END]
    assert seed  # (seed imported for symmetry with other tests)
