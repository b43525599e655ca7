"""Command line: ``checker check PATH…`` and friends. Heavy modules are imported lazily."""

from __future__ import annotations

import dataclasses
import signal
import sys

import click

from checker import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_RULES = 3  # a rule pack, rule file or configuration file is invalid
EXIT_INTERRUPTED = 130
WORKER_EXTRAS = ("fail_on", "details", "width")  # render options a worker rendering pieces needs


class _Main(click.Group):
    """Ctrl-C anywhere (loading a pack, opening outputs) ends with exit 130 and one line, never a
    traceback or click's "Aborted!" with exit 1; the check command handles it itself mid-run."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nchecker: 已中断", err=True)
            sys.exit(EXIT_INTERRUPTED)

    def main(self, *args, **kwargs):
        from_command_line = not args and kwargs.get("args") is None  # not click's test runner
        try:
            return super().main(*args, **kwargs)
        finally:
            if from_command_line:  # the run is over: a late Ctrl-C must not turn its exit code into -2
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, signal.SIG_IGN)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="checker")
def main() -> None:
    """法治政府建设年度报告合规检查工具 — compliance checker for rule-of-law government annual reports."""


def _echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """click.echo for text that may quote a document or a file name: control characters shown, not run."""
    from checker.render.safe import plain

    click.echo(plain(message), err=err, nl=nl)


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    _echo(f"checker: {message}", err=True)
    sys.exit(code)


class ByteSize(click.ParamType):
    """A size in bytes: 20000000, 500K, 20M, 1G (binary units)."""

    name = "SIZE"
    _UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024**2, "MB": 1024**2, "G": 1024**3, "GB": 1024**3}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper()
        number = text.rstrip("KMGB")
        unit = text[len(number):]
        try:
            size = int(float(number) * self._UNITS[unit])
        except (ValueError, KeyError):
            self.fail(f"无法识别的大小 {value!r}（例如 20M、500K、1G）", param, ctx)
        if size <= 0:
            self.fail("大小必须大于 0", param, ctx)
        return size


def load_configured_pack(pack: str | None, rule_files: tuple[str, ...] = (), config_file: str | None = None,
                         disable: tuple[str, ...] = ()):
    """The pack from configuration and options; a bad rule or config file exits with EXIT_RULES."""
    from checker.config import build_pack, load_config
    from checker.errors import RuleFileError

    from checker.errors import UnknownPackError, UsageError

    try:
        return build_pack(load_config(config_file), pack, rule_files, disable)
    except RuleFileError as exc:
        # A name typed on the command line that does not exist is a usage error (exit 2); the same
        # name inside a configuration or rule file makes that file invalid (exit 3).
        from_command_line = isinstance(exc, UsageError) and (not isinstance(exc, UnknownPackError) or exc.name == pack)
        _fail(str(exc), EXIT_USAGE if from_command_line else EXIT_RULES)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False))
@click.option("--pack", default=None, help="规则包名称或文件，默认取配置或 national (rule pack name or file)")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, readable=False),
              help="附加规则文件，可重复 (extra rule file merged on top; repeatable)")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, readable=False),
              help="配置文件，默认在当前及上级目录查找 .checker.yaml / pyproject.toml")
@click.option("--disable", multiple=True, metavar="ID", help="停用规则，可重复 (disable a rule; repeatable)")
@click.option("--format", "formats", multiple=True, metavar="FORMAT[:PATH]",
              help="输出格式，可重复；FORMAT:PATH 写入文件 (terminal, json, csv, xlsx, html …; repeatable)")
@click.option("-o", "--output", type=click.Path(dir_okay=False, readable=False), help="单一输出格式时写入该文件 (write to file)")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="error",
              show_default=True, help="出现该级别及以上的问题时退出码为 1")
@click.option("--fail-under", type=click.FloatRange(0, 100), default=None, metavar="SCORE",
              help="任一文件得分低于此分数时退出码为 1 (per document)")
@click.option("--include", multiple=True, metavar="GLOB", help="目录中只检查匹配的文件（可重复）")
@click.option("--exclude", multiple=True, metavar="GLOB", help="目录中跳过匹配的文件或子目录（可重复）")
@click.option("--follow-symlinks", is_flag=True,
              help="也检查目录中指向目录之外的符号链接（默认跳过；见 docs/security.md）")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="并行进程数，0 = 全部 CPU 核心 (parallel workers, 0 = all cores)")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="单个文件的时间上限，超时记为无法检查（默认 120 秒；扫描件每页文字识别另加 60 秒）")
@click.option("--progress/--no-progress", default=None, help="在标准错误上显示进度条（默认：终端时显示）")
@click.option("--details/--no-details", default=None,
              help="终端报告逐份列出问题（默认：不超过 20 份时）")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, readable=False), metavar="FILE",
              help="只报告基线之外的新问题 (report only findings not in this baseline; see `checker baseline`)")
@click.option("--color/--no-color", default=None, help="强制开启/关闭颜色")
@click.option("-q", "--quiet", is_flag=True,
              help="所有报告都写入文件时，不在终端显示报告 (no terminal report when every format goes to a file)")
@click.option("--max-bytes", type=ByteSize(), default=None, metavar="SIZE",
              help="单个文件大小上限，超过则拒绝（默认 20M；见 docs/security.md）")
@click.option("--max-chars", type=click.IntRange(1), default=None, metavar="N",
              help="单个文件文字字符数上限，超过则拒绝（默认 2000000）")
@click.option("--expect", "expect_file", type=click.Path(dir_okay=False), metavar="UNITS",
              help="应报单位名单（CSV/XLSX，每行一个单位）：列出未报告、重复报告和对不上名单的报告")
@click.option("--previous", "previous_paths", multiple=True, type=click.Path(), metavar="DIR",
              help="上一年度的报告（目录或文件，可重复）：对比存在的不足是否照抄、去年的安排是否落实")
@click.option("--compare/--no-compare", "shared", default=None,
              help="找出不同单位报告之间几乎一字不差的段落（给出 --expect 或 --previous 时默认开启）")
def check(paths: tuple[str, ...], pack: str | None, rule_files: tuple[str, ...], config_file: str | None,
          disable: tuple[str, ...], formats: tuple[str, ...], output: str | None, fail_on: str,
          fail_under: float | None, include: tuple[str, ...], exclude: tuple[str, ...], jobs: int,
          timeout: float | None, progress: bool | None, details: bool | None, color: bool | None, baseline_file: str | None = None,
          max_bytes: int | None = None, max_chars: int | None = None, expect_file: str | None = None,
          previous_paths: tuple[str, ...] = (), shared: bool | None = None, quiet: bool = False,
          follow_symlinks: bool = False) -> None:
    """检查一个或多个报告文件或目录 (check report files or directories)."""
    from checker.batch import check_documents, discover
    from checker.errors import CheckerError
    from checker.output import Output, OutputSpec, parse_specs
    from checker.render import FORMATS, RenderOptions, report_class
    from checker.result import Severity
    from checker.scratch import private_tempdir

    # Libraries' own temporary files (openpyxl's worksheets, LibreOffice's) in a directory of this
    # run: removed at its end, or by the next run after a SIGKILL.
    click.get_current_context().with_resource(private_tempdir())

    loaded = load_configured_pack(pack, rule_files, config_file, disable)
    try:
        specs = parse_specs(formats, output, FORMATS)
    except CheckerError as exc:
        _fail(str(exc))
    if not quiet and all(spec.path for spec in specs):
        # Every report goes to a file: the terminal still shows what was found.
        specs.append(OutputSpec("terminal", None))
    baseline = scorer = None
    if baseline_file:
        from checker.baseline import Baseline
        from checker.engine import Engine

        try:
            baseline, scorer = Baseline.load(baseline_file), Engine(loaded)
        except CheckerError as exc:
            _fail(str(exc))
    baselined = 0
    found = discover(paths, include, exclude, avoid=[s.path for s in specs if s.path], follow_symlinks=follow_symlinks)
    documents = found.documents
    if not documents:
        _fail("没有找到要检查的文件" + (f"（跳过 {len(found.skipped)} 个临时或隐藏文件）" if found.skipped else ""))

    stdout_tty = sys.stdout.isatty()
    if details is None:
        details = len(documents) <= 20
    terminal_on_tty = any(s.format == "terminal" and s.path is None for s in specs) and stdout_tty
    if progress is None:
        progress = sys.stderr.isatty() and len(documents) > 1 and not (terminal_on_tty and details)
    outputs: list[Output] = []
    classes = {spec.format: report_class(spec.format) for spec in specs}
    keep_text = any(getattr(cls, "NEEDS_TEXT", False) for cls in classes.values())
    comparison = _comparison(loaded, config_file, expect_file, previous_paths, shared, keep_text,
                             avoid=[s.path for s in specs if s.path])
    from checker.batch import signals_deferred

    try:
        with signals_deferred():  # Ctrl-C now is handled once every report file is registered (and removable)
            for spec in specs:
                use_color = color if color is not None else (spec.path is None and stdout_tty)
                options = RenderOptions(pack=loaded, color=use_color,
                                        extras={"total": len(documents), "details": details,
                                                "skipped": list(found.skipped), "fail_on": fail_on,
                                                "comparison": comparison.summary if comparison else None})
                outputs.append(Output(spec, classes[spec.format], options))
    except BaseException as exc:  # a bad output, or Ctrl-C while the report files are being opened
        for out in outputs:
            out.abort()
        if isinstance(exc, CheckerError):
            _fail(str(exc))
        raise

    # Rendered in the workers (the main process only writes): what every output can take so, when
    # nothing changes a result after its check (a baseline, the comparisons).
    render = None
    if baseline is None and comparison is None:
        from checker.render import pieces_supported

        plan = [(out.spec.format, dataclasses.replace(out.report.options, extras={
            key: value for key, value in out.report.options.extras.items() if key in WORKER_EXTRAS}))
            for out in outputs]
        render = plan if pieces_supported(plan) else None
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    checked = failed = 0
    failing = False
    stop: list[int] = []

    def on_signal(signum, frame) -> None:  # first Ctrl-C: finish cleanly; second: stop at once
        stop.append(signum)
        if len(stop) == 1:
            click.echo("\nchecker: 正在停止，已完成的结果会写出（再按一次 Ctrl-C 立即退出）", err=True)
        elif len(stop) == 2:
            raise KeyboardInterrupt
        # later signals: the clean-up of the second is already running; let it finish

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    bar = _ProgressBar(len(documents)) if progress else None
    scan_bar: list[_ProgressBar] = []  # pages only, while a scan is read and no bar is shown (one document)

    def on_pages(done: int, total: int) -> None:  # OCR of scanned pages: progress page by page
        if bar is not None:
            bar.pages(done, total)
        elif progress is None and sys.stderr.isatty():
            if total and not scan_bar:
                scan_bar.append(_ProgressBar(None))
            if scan_bar:
                scan_bar[0].pages(done, total)
                if not total:
                    scan_bar.pop().stop()

    from checker.load import Limits

    limits = Limits(**{k: v for k, v in (("max_bytes", max_bytes), ("max_chars", max_chars)) if v})
    try:
        extra = {} if timeout is None else {"timeout": timeout}
        if comparison is not None and comparison.previous_documents:
            if bar is None:
                _echo(f"checker: 正在读取上一年度的报告 {len(comparison.previous_documents)} 份……", err=True)
            # last year's reports are read for their outline and parts only: no rule runs on them
            past = check_documents(comparison.previous_documents, dataclasses.replace(loaded, rules=[]), jobs=jobs,
                                   keep_text=True, limits=limits, pages=on_pages, **extra)
            try:
                comparison.add_previous(past)
            finally:
                past.close()
            comparison.previous_documents = []  # (read: their names are not kept for the batch)
        checked_results = check_documents(documents, loaded, jobs=jobs, keep_text=keep_text or comparison is not None,
                                          limits=limits, pages=on_pages, render=render, **extra)
        results = checked_results
        if comparison is not None:  # held until the batch is done, then given back with its findings
            results = comparison.run(checked_results, progress=bar.advance if bar else None,
                                     stop=lambda: bool(stop))
        try:
            for result in results:
                if baseline is not None:
                    result = baseline.apply(result, scorer)
                    baselined += sum(1 for f in result.findings if f.suppressed_by == "baseline")
                for out in outputs:
                    out.report.add(result)
                if result.error is not None:
                    failed += 1
                else:
                    checked += 1
                    worst = result.worst()
                    failing |= threshold is not None and worst is not None and worst >= threshold
                    failing |= fail_under is not None and result.score is not None and result.score < fail_under
                if bar is not None and comparison is None:  # (the comparisons advance it as they take results)
                    bar.advance()
                if stop:
                    break
        finally:
            checked_results.close()  # stops the workers
            for shown in [bar, *scan_bar]:
                if shown is not None:
                    shown.stop()
        interrupted = bool(stop)
        if baseline is not None and baseline.warning():
            _echo(f"checker: {baseline.warning()}", err=True)
        for out in outputs:
            out.finish()
    except KeyboardInterrupt:  # the second Ctrl-C (or SIGTERM): no report is written, none is left half-written
        for out in outputs:
            out.abort()
        _echo("checker: 已立即停止，本次未写出报告文件", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except CheckerError as exc:
        for out in outputs:
            out.abort()
        _fail(str(exc))
    except BaseException:
        for out in outputs:
            out.abort()
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    skipped = found.found - checked - failed
    if found.found > 1 or interrupted or baselined:
        message = f"共找到 {found.found} 份：已检查 {checked} 份，无法检查 {failed} 份，跳过 {skipped} 份"
        if baselined:
            message += f"；{baselined} 条问题已在基线中，未计入"
        if interrupted:
            message += "（已中断，已写出的结果保留）"
        click.echo(message, err=True)
    if interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(EXIT_USAGE if failed else EXIT_FINDINGS if failing else EXIT_OK)


def _comparison(pack, config_file: str | None, expect_file: str | None, previous_paths: tuple[str, ...],
                shared: bool | None, keep_text: bool, avoid: list[str]):
    """The batch comparisons asked for on the command line or in the configuration, or None."""
    import os

    from checker.config import load_config
    from checker.errors import CheckerError, RuleFileError

    try:
        configured = load_config(config_file).compare
    except RuleFileError as exc:
        _fail(str(exc), EXIT_RULES)
    expect_file = expect_file or configured.get("expect")
    previous_paths = previous_paths or tuple(configured.get("previous", ()))
    if shared is None:
        shared = configured.get("shared", bool(expect_file or previous_paths))
    if not (expect_file or previous_paths or shared):
        return None
    from checker.batch import discover
    from checker.compare import Comparison
    from checker.units import load_units

    try:
        units = load_units(expect_file) if expect_file else None
    except CheckerError as exc:
        _fail(str(exc))
    comparison = Comparison(pack.settings.get("comparison"), units, shared=shared, keep_text=keep_text)
    if previous_paths:
        missing = [p for p in previous_paths if not os.path.exists(p)]
        if missing:
            _fail(f"{missing[0]}: 找不到上一年度报告的目录或文件")
        comparison.previous_documents = discover(previous_paths, avoid=avoid).documents
    return comparison


@main.group()
def baseline() -> None:
    """基线：记录现有问题，之后只报告新问题 (baselines for adopting the checker on old reports)."""


@baseline.command("create")
@click.argument("file", type=click.Path(dir_okay=False, readable=False))
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--pack", default=None, help="规则包名称或文件，默认取配置或 national (rule pack name or file)")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, readable=False), help="附加规则文件（可重复）")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, readable=False), help="配置文件")
@click.option("--disable", multiple=True, metavar="ID", help="停用规则（可重复）")
@click.option("--include", multiple=True, metavar="GLOB", help="目录中只检查匹配的文件（可重复）")
@click.option("--exclude", multiple=True, metavar="GLOB", help="目录中跳过匹配的文件或子目录（可重复）")
def baseline_create(file: str, paths: tuple[str, ...], pack: str | None, rule_files: tuple[str, ...],
                    config_file: str | None, disable: tuple[str, ...], include: tuple[str, ...],
                    exclude: tuple[str, ...]) -> None:
    """检查 PATHS（默认当前目录），把现有问题按指纹写入基线 FILE (record today's findings)."""
    from checker.baseline import dump
    from checker.batch import check_documents, discover
    from checker.errors import CheckerError
    from checker.output import AtomicFile

    loaded = load_configured_pack(pack, rule_files, config_file, disable)
    found = discover(paths or (".",), include, exclude, avoid=[file])
    if not found.documents:
        _fail("没有找到要检查的文件")
    results = list(check_documents(found.documents, loaded, jobs=1 if len(found.documents) < 8 else 0))
    text = dump(results)
    try:
        target = AtomicFile(file)
        target.stream.write(text)
        target.commit()
    except CheckerError as exc:
        _fail(str(exc))
    unreadable = [r for r in results if r.error]
    for result in unreadable:
        _echo(f"checker: {result.path}: {result.error}", err=True)
    count = text.count('"fingerprint": "') - 1
    click.echo(f"已将 {len(results) - len(unreadable)} 份文件中的 {count} 条问题写入基线 {file}")
    sys.exit(EXIT_USAGE if unreadable else EXIT_OK)


@main.group()
def rules() -> None:
    """规则包工具 (rule pack tools)."""


@rules.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--pack", default=None, help="用此规则包检查所有用例（默认按用例所在目录推断）")
@click.option("-v", "--verbose", is_flag=True, help="列出每个用例文件")
def rules_test(paths: tuple[str, ...], pack: str | None, verbose: bool) -> None:
    """运行规则测试用例：带 ruleid:/ok: 注释的文档 (run annotated rule test cases)."""
    from checker.errors import CheckerError
    from checker.packs import load_pack
    from checker.ruletest import discover as discover_cases
    from checker.ruletest import run

    cases = discover_cases(paths)
    if not cases:
        _fail("没有找到规则测试用例（.txt / .md）")
    try:
        outcomes = run(cases, load_pack(pack) if pack else None, load=load_pack)
    except CheckerError as exc:
        _fail(str(exc), EXIT_RULES)
    failures = [f for o in outcomes for f in o.failures]
    for outcome in outcomes:
        if outcome.error:
            _echo(f"错误 {outcome.error}")
        elif verbose or outcome.failures:
            mark = "失败" if outcome.failures else "通过"
            _echo(f"{mark} {outcome.path}（{outcome.checks} 项，规则包 {outcome.pack}）")
        for failure in outcome.failures:
            _echo(f"  {failure}")
    errors = sum(1 for o in outcomes if o.error)
    checks = sum(o.checks for o in outcomes)
    click.echo(f"{len(outcomes)} 个用例文件，{checks} 项断言，{len(failures)} 项失败" +
               (f"，{errors} 个文件无法读取" if errors else ""))
    sys.exit(EXIT_FINDINGS if failures or errors else EXIT_OK)


class _ProgressBar:
    """The progress bar on standard error: documents checked (unless ``total`` is None) and, while
    scanned pages are being read by OCR, a second line counting them page by page."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False)
        self.documents = None if total is None else self.bar.add_task("检查中", total=total)
        self.scan = self.bar.add_task("文字识别（扫描页）", total=1, visible=False)
        self.bar.start()

    def advance(self) -> None:
        if self.documents is not None:
            self.bar.advance(self.documents)

    def pages(self, done: int, total: int) -> None:
        if total:
            self.bar.update(self.scan, completed=done, total=total, visible=True)
        else:
            self.bar.reset(self.scan, total=1, visible=False)

    def stop(self) -> None:
        self.bar.stop()


_pack_options = [
    click.option("--pack", default=None, help="规则包名称或文件，默认取配置或 national"),
    click.option("--rules", "rule_files", multiple=True, type=click.Path(dir_okay=False, readable=False), help="附加规则文件"),
    click.option("--config", "config_file", type=click.Path(dir_okay=False, readable=False), help="配置文件"),
]


def pack_options(function):
    for option in reversed(_pack_options):
        function = option(function)
    return function


@rules.command("list")
@pack_options
def rules_list(pack: str | None, rule_files: tuple[str, ...], config_file: str | None) -> None:
    """列出规则：id、类型、级别、说明 (list rules: id, kind, severity, one line)."""
    from rich.console import Console
    from rich.table import Table

    from checker.docs import one_line

    loaded = load_configured_pack(pack, rule_files, config_file)
    from rich.cells import cell_len

    console = Console(soft_wrap=False)
    table = Table(title=f"{loaded.title}（{loaded.name}，{len(loaded.rules)} 条规则）")
    columns = {"id": [r.id for r in loaded.rules], "类型 kind": [r.kind for r in loaded.rules],
               "级别": [r.severity.chinese for r in loaded.rules], "权重": [f"{r.weight:g}" for r in loaded.rules]}
    used = 0
    for column, values in columns.items():
        width = max(cell_len(v) for v in [column, *values])
        table.add_column(column, no_wrap=True, min_width=width)
        used += width + 3
    # one line per rule at any width: the description gives way (`checker explain ID` has it all)
    table.add_column("说明", overflow="ellipsis", no_wrap=True, max_width=max(6, console.width - used - 4))
    for rule in loaded.rules:
        table.add_row(rule.id, rule.kind, rule.severity.chinese, f"{rule.weight:g}", one_line(rule))
    console.print(table)
    if loaded.disabled:
        click.echo("已停用: " + ", ".join(loaded.disabled))


@rules.command("docs")
@click.option("-o", "--output", type=click.Path(dir_okay=False, readable=False), help="写入文件（如 docs/rules.md）")
def rules_docs(output: str | None) -> None:
    """生成规则说明 Markdown (generate docs/rules.md)."""
    from checker.docs import rules_markdown

    from checker.errors import CheckerError
    from checker.output import AtomicFile

    text = rules_markdown()
    if output:
        try:
            target = AtomicFile(output)
            target.stream.write(text)
            target.commit()
        except CheckerError as exc:
            _fail(str(exc))
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("rule_id")
@pack_options
def explain(rule_id: str, pack: str | None, rule_files: tuple[str, ...], config_file: str | None) -> None:
    """说明一条规则：检查什么、依据、示例 (explain a rule)."""
    from checker.docs import explain_text

    loaded = load_configured_pack(pack, rule_files, config_file)
    if rule_id not in {rule.id for rule in loaded.rules}:
        known = ", ".join(rule.id for rule in loaded.rules)
        click.echo(f"checker: 规则包 {loaded.name} 中没有规则 '{rule_id}'（可用: {known}）", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(explain_text(loaded, rule_id))


LEVEL_CHOICES = ["township", "county", "department", "national"]
TEMPLATE_SUFFIXES = (".docx", ".txt", ".md")


@main.command()
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="报告年度（所报告的那一年）")
@click.option("--level", type=click.Choice(LEVEL_CHOICES), default="national", show_default=True,
              help="层级：national 通用（全国模板，默认，与 checker check 相同），township 乡镇/街道，county 县区，department 部门")
@click.option("--issuer", help="报告单位，如“某某镇人民政府”")
@click.option("--pack", help="规则包名称或文件（默认按层级选择）")
@click.option("-o", "--output", type=click.Path(dir_okay=False, readable=False), required=True, help="输出文件（.docx 或 .txt）")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
def template(year: int, level: str, issuer: str | None, pack: str | None, output: str, force: bool) -> None:
    """生成年度报告框架（标题、五部分标准标题、各部分应写内容）。"""
    import os

    from checker import skeleton
    from checker.errors import CheckerError
    from checker.levels import LEVELS, pack_for
    from checker.packs import load_pack

    try:
        loaded = load_pack(pack) if pack else pack_for(level)
    except CheckerError as exc:
        _echo(f"checker: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    from checker.output import AtomicFile

    suffix = os.path.splitext(output)[1].lower()
    if suffix not in TEMPLATE_SUFFIXES:
        _fail(f"{output}: 框架只能写成 .docx 或 .txt 文件（不能生成 {suffix or '无后缀'} 文件）")
    if os.path.exists(output) and not force:
        _fail(f"{output}: 文件已存在（如需覆盖请加 --force）")
    draft = skeleton.build(loaded, year, issuer or LEVELS[level][2])
    try:
        target = AtomicFile(output, binary=True)
        if suffix == ".docx":
            skeleton.write_docx(draft, target.stream)
        else:
            target.stream.write(draft.text().encode("utf-8"))
        target.commit()
    except CheckerError as exc:
        _fail(str(exc))
    _echo(f"已生成 {output}（{loaded.title or loaded.name}，{year} 年度）")


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(readable=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, readable=False), help="输出文件（.docx 或 .txt；不能与输入相同）")
@click.option("--diff", "show_diff", is_flag=True, help="只显示修改预览（统一差异格式），不写文件")
@click.option("--pack", default=None, help="规则包名称或文件（默认按 --level 选择）")
@click.option("--level", type=click.Choice(LEVEL_CHOICES), default="national", show_default=True)
@click.option("--track-changes", is_flag=True,
              help="以修订（修订模式）写入 .docx，在 Word/WPS 中逐条接受或拒绝")
@click.option("--author", default="法治报告检查", show_default=True, help="修订的作者名")
def fix(input_path: str, output: str | None, show_diff: bool, pack: str | None, level: str,
        track_changes: bool, author: str) -> None:
    """自动修正可机械修正的问题（标题表述、标题年度、序号、成对标点、规范用语），写入新文件。"""
    from checker.errors import CheckerError

    try:
        if track_changes and not show_diff:
            from checker.annotate import run_track_changes

            if not output:
                raise CheckerError("请用 -o 指定输出的 .docx 文件")
            run_track_changes(input_path, output, pack, level, author=author, echo=_echo)
        else:
            from checker.fix import run_fix

            run_fix(input_path, output, show_diff, pack, level, echo=_echo)
    except CheckerError as exc:
        _echo(f"checker: {exc}", err=True)
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("input_path", metavar="DRAFT", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="输出的 .docx（带批注的稿件；不能与输入相同）")
@click.option("--track-changes", is_flag=True, help="同时把可自动修正的问题写成修订，其余写成批注")
@click.option("--author", default="法治报告检查", show_default=True, help="批注和修订的作者名")
@click.option("--initials", default="检", show_default=True, help="批注的作者缩写")
@click.option("--pack", default=None, help="规则包名称或文件（默认按 --level 选择）")
@click.option("--level", type=click.Choice(LEVEL_CHOICES), default="national", show_default=True)
def annotate(input_path: str, output: str, track_changes: bool, author: str, initials: str, pack: str | None,
             level: str) -> None:
    """把检查发现写成 Word 批注（.docx），批注在问题文字上；全文性问题和等级写在标题的批注里。"""
    from checker.annotate import run_annotate
    from checker.errors import CheckerError

    try:
        run_annotate(input_path, output, pack, level, track=track_changes, author=author, initials=initials,
                     echo=_echo)
    except CheckerError as exc:
        _echo(f"checker: {exc}", err=True)
        sys.exit(EXIT_USAGE)



@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（默认只允许本机访问）")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="端口（0 = 任选一个空闲端口）")
@click.option("--max-mb", default=20, show_default=True, type=int, help="上传文件大小上限（MB）")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="单个文件的检查时间上限（秒，默认 120，与 checker check 相同）")
@click.option("--jobs", "checks", type=click.IntRange(1, 64), default=None, metavar="N",
              help="同时检查的文件数（每份一个工作进程，默认 2）；另有至多 4 份排队，再多则提示“忙”")
@click.option("--max-memory-mb", type=click.IntRange(128), default=None, metavar="MB",
              help="每个检查进程的内存上限（MB，默认 1024）")
def serve(host: str, port: int, max_mb: int, timeout: float | None = None, checks: int | None = None,
          max_memory_mb: int | None = None) -> None:
    """启动本机网页：拖入报告文件即可查看检查结果（文件不保存、不外传）。"""
    import errno

    from waitress.server import create_server

    from checker.errors import os_reason
    from checker.web import create_app, serve_until_stopped, shutdown

    app = create_app(max_bytes=max_mb * 1024 * 1024, timeout=timeout, checks=checks,
                     max_memory=None if max_memory_mb is None else max_memory_mb * 1024 * 1024)
    service = app.extensions["checker"]["service"]
    try:  # waitress: a production WSGI server (Flask's own is for development and says so in red)
        # Threads for every check and queued upload, and two more so the page and "忙" still answer.
        server = create_server(app, host=host, port=port, threads=service.checks + service.waiting + 2, ident="checker")
    except OSError as exc:
        shutdown(app)
        if exc.errno == errno.EADDRINUSE:
            _fail(f"端口 {port} 已被占用（可能已有一个 checker serve 在运行）；请换一个端口，例如 "
                  f"checker serve --port {port + 1}")
        _fail(f"无法在 {host}:{port} 上启动网页（{os_reason(exc)}）；请用 --port 换一个 1024 以上的端口")
    click.echo(f"请在浏览器中打开 http://{host}:{server.effective_port}/  （按 Ctrl+C 停止）")
    serve_until_stopped(server, app)
    click.echo("已停止")
