"""Word 97-2003 .doc, old WPS .wps (OLE2 binaries) and RTF: converted to .docx by LibreOffice.

The input is copied into a private temporary directory first, so LibreOffice never writes a
lock file or anything else next to the user's file; it runs headless with its own throw-away
profile and ``Limits.convert_timeout`` seconds. Without ``soffice`` on PATH the file is refused
with a message saying how to convert it by hand (另存为 .docx).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from checker.errors import InputError
from checker.load import Limits, Source

SOFFICE_NAMES = ("soffice", "libreoffice")
HOW_TO = "请用 Word 或 WPS 打开后“另存为”.docx 格式再检查，或安装 LibreOffice（soffice）后重试"


def find_soffice() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(path: str, data: bytes, limits: Limits, soffice: str) -> bytes:
    """Run LibreOffice on a private copy of `data`; return the .docx bytes or raise InputError."""
    suffix = ".rtf" if data.startswith(b"{\\rtf") else Path(path).suffix.lower()
    suffix = suffix if suffix in (".doc", ".wps", ".rtf") else ".doc"
    with tempfile.TemporaryDirectory(prefix="checker-convert-") as work:
        source = Path(work) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(work) / "profile"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx", "--outdir", work, str(source)]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=limits.convert_timeout, check=False, cwd=work,
                           env={**os.environ, "HOME": work})
        except subprocess.TimeoutExpired:
            raise InputError(path, f"LibreOffice 转换超时（{limits.convert_timeout:g} 秒）；{HOW_TO}") from None
        except OSError as exc:
            raise InputError(path, f"无法运行 LibreOffice（{exc.strerror or exc}）；{HOW_TO}") from None
        result = Path(work) / "input.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(path, f"LibreOffice 无法转换此文件（可能已损坏或不是 Word/WPS 文档）；{HOW_TO}")
        if result.stat().st_size > limits.max_bytes:
            raise InputError(path, "转换后的文件过大，已拒绝")
        return result.read_bytes()


def load_legacy(path: str, data: bytes, limits: Limits) -> Source:
    soffice = find_soffice()
    if soffice is None:
        kind = ("RTF 格式" if data.startswith(b"{\\rtf") else
                "WPS 旧格式（.wps）" if path.lower().endswith(".wps") else "Word 97-2003 格式（.doc）")
        raise InputError(path, f"是{kind}，本机没有 LibreOffice 无法读取；{HOW_TO}")
    from checker.load.docx import load_docx

    source = load_docx(path, convert_to_docx(path, data, limits, soffice), limits)
    source.format = "doc"
    return source
