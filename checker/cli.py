"""Command line: ``checker check PATH…`` and friends. Heavy modules are imported lazily."""

from __future__ import annotations

import os
import sys

import click

from checker import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DOCUMENT_SUFFIXES = {".txt", ".text", ".md"}


def iter_documents(paths: tuple[str, ...]) -> list[str]:
    """Files named directly, plus documents found under directories (hidden and temp files skipped)."""
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith((".", "~$")):
                        continue
                    if os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES:
                        found.append(os.path.join(root, name))
        else:
            found.append(path)
    return found


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checker")
def main() -> None:
    """法治政府建设年度报告合规检查工具 — compliance checker for rule-of-law government annual reports."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--pack", default="national", show_default=True, help="规则包名称或文件 (rule pack name or file)")
@click.option("--format", "output_format", default="terminal", show_default=True,
              type=click.Choice(["terminal", "json"]), help="输出格式 (output format)")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件而不是标准输出 (write to file)")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="出现该级别及以上的问题时退出码为 1")
@click.option("--color/--no-color", default=None, help="强制开启/关闭颜色")
def check(paths: tuple[str, ...], pack: str, output_format: str, output: str | None, fail_on: str,
          color: bool | None) -> None:
    """检查一个或多个报告文件或目录 (check report files or directories)."""
    from checker.engine import Engine
    from checker.errors import CheckerError
    from checker.packs import load_pack
    from checker.render import RenderOptions, report_class
    from checker.result import Severity

    try:
        loaded = load_pack(pack)
    except CheckerError as exc:
        click.echo(f"checker: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    documents = iter_documents(paths)
    if not documents:
        click.echo("checker: 没有找到要检查的文件", err=True)
        sys.exit(EXIT_USAGE)
    engine = Engine(loaded)
    if color is None:
        color = output is None and sys.stdout.isatty()
    stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    report = report_class(output_format)(stream, RenderOptions(pack=loaded, color=color))
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    unreadable = failing = False
    try:
        for path in documents:
            result = engine.check_path(path)
            report.add(result)
            unreadable |= result.error is not None
            worst = result.worst()
            failing |= threshold is not None and worst is not None and worst >= threshold
        report.close()
    finally:
        if output:
            stream.close()
    sys.exit(EXIT_USAGE if unreadable else EXIT_FINDINGS if failing else EXIT_OK)
