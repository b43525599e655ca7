"""Errors that reach users as one clear line, never as a traceback."""

from __future__ import annotations

import errno

# Reasons for the OS errors a user meets, in plain Chinese (strerror is English).
_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "文件已存在",
    errno.ELOOP: "符号链接循环",
    errno.EDQUOT: "超出磁盘配额",
}


def os_reason(exc: OSError) -> str:
    """An OSError as a short Chinese reason (English strerror only for rare errors)."""
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


class CheckerError(Exception):
    """Base class: every subclass renders as a single line for the user."""


class InputError(CheckerError):
    """A document could not be read: binary, empty, undecodable, unsupported, too large."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RuleFileError(CheckerError):
    """A rule pack or config file is invalid; carries file:line:column where known."""

    def __init__(self, path: str, reason: str, line: int | None = None, column: int | None = None) -> None:
        place = path
        if line is not None:
            place += f":{line}"
            if column is not None:
                place += f":{column}"
        super().__init__(f"{place}: {reason}")
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column


class UsageError(CheckerError):
    """A command-line value names something that does not exist (pack, rule id): exit 2."""


class UnknownPackError(RuleFileError, UsageError):
    """No bundled pack has this name."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name, f"没有名为 {name} 的规则包（可用: {'、'.join(known)}）")
        self.name = name


class UnknownRuleError(RuleFileError, UsageError):
    """A rule id given on the command line (``--disable``) is not in the pack."""

    def __init__(self, option: str, rule_id: str, known: list[str]) -> None:
        super().__init__(option, f"规则 '{rule_id}' 不存在（可用: {', '.join(known)}）")
        self.rule_id = rule_id
