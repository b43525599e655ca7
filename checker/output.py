"""Where reports go: ``--format FORMAT[:PATH]`` specs and atomic report files.

A report file is written to a temporary file in the same directory and moved into place with
`os.replace` only when the report is complete, so a crash or an interrupted run never leaves a
truncated report (an earlier report at that path stays as it was).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from typing import IO

from checker.errors import CheckerError, os_reason


class OutputError(CheckerError):
    """A bad ``--format``/``-o`` combination or an output file that cannot be created."""


@dataclass(frozen=True)
class OutputSpec:
    format: str
    path: str | None  # None: standard output


def parse_specs(values: tuple[str, ...] | list[str], output: str | None, known: dict[str, str]) -> list[OutputSpec]:
    """Turn repeated ``--format`` values (and ``-o``) into output specs.

    ``FORMAT`` alone goes to standard output, or to ``-o PATH`` when it is the only such format.
    At most one report may go to standard output.
    """
    specs: list[OutputSpec] = []
    for value in values or ("terminal",):
        name, sep, path = value.partition(":")
        name = name.strip().lower()
        if name not in known:
            raise OutputError(f"未知的输出格式 {name!r}（可用：{', '.join(sorted(known))}）")
        if sep and not path:
            raise OutputError(f"--format {value}: 冒号后缺少文件路径")
        specs.append(OutputSpec(name, path or None))
    bare = [i for i, spec in enumerate(specs) if spec.path is None]
    if output:
        if len(bare) != 1:
            raise OutputError("-o/--output 只能配合一个未指定路径的 --format 使用")
        specs[bare[0]] = OutputSpec(specs[bare[0]].format, output)
    elif len(bare) > 1:
        raise OutputError("只能有一种格式输出到标准输出，其余请写成 --format 格式:文件路径")
    paths = [os.path.abspath(spec.path) for spec in specs if spec.path]
    if len(paths) != len(set(paths)):
        raise OutputError("两个输出写到了同一个文件")
    return specs


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class AtomicFile:
    """A file that appears at `path` only on `commit()`; `abort()` leaves no trace."""

    def __init__(self, path: str, binary: bool = False) -> None:
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.temp_path = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise OutputError(f"{path}: 无法创建输出文件（{os_reason(exc)}）") from None
        try:
            os.chmod(self.temp_path, 0o666 & ~_umask())
            self.stream: IO = (os.fdopen(fd, "wb") if binary
                               else os.fdopen(fd, "w", encoding="utf-8", newline=""))
        except BaseException:  # Ctrl-C right after the temp file was made: leave nothing behind
            self._remove()
            raise
        self.done = False

    def commit(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.replace(self.temp_path, self.path)
        except OSError as exc:
            self._remove()
            raise OutputError(f"{self.path}: 无法写入输出文件（{os_reason(exc)}）") from None

    def abort(self) -> None:
        """Delete the temporary file. The stream is left to be closed when it is collected: a
        writer interrupted half-way (openpyxl's ZipFile) may still flush into it then, and would
        raise "seek of closed file" on a closed one; it now writes into an unlinked file."""
        if self.done:
            return
        self.done = True
        self._remove()

    def _remove(self) -> None:
        try:
            os.unlink(self.temp_path)
        except OSError:
            pass


class Output:
    """One open report: its spec, the stream it writes to and the `Report` feeding it."""

    def __init__(self, spec: OutputSpec, report_cls: type, options) -> None:
        self.spec = spec
        binary = getattr(report_cls, "BINARY", False)
        if spec.path is None:
            if binary and sys.stdout.isatty():
                raise OutputError(f"{spec.format} 是二进制格式，请用 --format {spec.format}:文件路径 写入文件")
            self.file = None
            stream = sys.stdout.buffer if binary else sys.stdout
        else:
            self.file = AtomicFile(spec.path, binary)
            stream = self.file.stream
        try:
            self.report = report_cls(stream, options)
        except BaseException:
            self.abort()
            raise

    def finish(self) -> None:
        """Close the report and, for files, move it into place."""
        try:
            self.report.close()
        except BaseException:
            self.abort()
            raise
        if self.file is not None:
            self.file.commit()
        else:
            (sys.stdout.buffer if getattr(self.report, "BINARY", False) else sys.stdout).flush()

    def abort(self) -> None:
        report = getattr(self, "report", None)
        if report is not None:
            report.discard()
        if self.file is not None:
            self.file.abort()
