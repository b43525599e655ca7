"""Baselines: record today's findings by fingerprint, later report only new ones.

A baseline file is JSON::

    {"checker_baseline": 1, "fingerprint": "checker/v1", "findings": [
        {"path": "drafts/a.txt", "fingerprint": "…:1", "rule": "title", "message": "…"}, …]}

Paths are relative to the working directory with forward slashes (run ``checker`` from the
repository root both times). Rule and message are there for people reading the file; only
(path, fingerprint) is matched. A finding in the baseline is kept in the result, marked
suppressed by ``baseline``; it counts for neither the score nor the exit code.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from checker.errors import CheckerError, os_reason
from checker.fingerprint import VERSION, fingerprints
from checker.render.paths import relative_path
from checker.result import DocumentResult

FORMAT_VERSION = 1


class BaselineError(CheckerError):
    """A baseline file that cannot be read or is not a baseline."""


def entries(result: DocumentResult, base_dir: str | None = None) -> list[dict]:
    """Baseline entries for one result's active findings (document-suppressed ones are left out)."""
    path = relative_path(result.path, base_dir)
    return [{"path": path, "fingerprint": fp, "rule": f.rule, "message": f.message}
            for f, fp in zip(result.findings, fingerprints(result.findings)) if not f.suppressed]


def dump(results: Iterable[DocumentResult], base_dir: str | None = None) -> str:
    findings = [entry for result in results if not result.error for entry in entries(result, base_dir)]
    data = {"checker_baseline": FORMAT_VERSION, "fingerprint": VERSION, "findings": findings}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


class Baseline:
    def __init__(self, keys: set[tuple[str, str]], path: str = "") -> None:
        self.keys = keys
        self.path = path
        self.paths = {p for p, _ in keys}
        self.known_seen = False  # whether any checked document is a file the baseline knows

    def warning(self) -> str | None:
        """A hint when the baseline has entries but none for the files checked (wrong directory?)."""
        if self.keys and not self.known_seen:
            return (f"基线 {self.path} 中没有本次检查的任何文件的记录；基线中的路径相对于生成时的当前目录，"
                    "请在同一目录（通常是仓库根目录）运行")
        return None

    @classmethod
    def load(cls, path: str) -> "Baseline":
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as exc:
            raise BaselineError(f"{path}: 无法读取基线文件（{os_reason(exc)}）") from None
        except ValueError as exc:
            raise BaselineError(f"{path}: 基线文件不是有效的 JSON（{exc}）") from None
        if not isinstance(data, dict) or data.get("checker_baseline") != FORMAT_VERSION \
                or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: 不是 checker 基线文件（请用 checker baseline create 生成）")
        if data.get("fingerprint") != VERSION:
            raise BaselineError(f"{path}: 基线的指纹版本 {data.get('fingerprint')} 与当前版本 {VERSION} "
                                "不同，请重新生成基线")
        keys = {(str(e.get("path")), str(e.get("fingerprint"))) for e in data["findings"] if isinstance(e, dict)}
        return cls(keys, path)

    def apply(self, result: DocumentResult, scorer=None, base_dir: str | None = None) -> DocumentResult:
        """Mark findings already in the baseline as suppressed; rescore with `scorer` (an Engine)."""
        path = relative_path(result.path, base_dir)
        self.known_seen |= path in self.paths
        if result.error or not result.findings:
            return result
        reason = f"已记录在基线 {self.path} 中" if self.path else "已记录在基线中"
        findings, hits = [], 0
        for finding, fp in zip(result.findings, fingerprints(result.findings)):
            if not finding.suppressed and (path, fp) in self.keys:
                finding = dataclasses.replace(finding, suppressed=reason, suppressed_by="baseline")
                hits += 1
            findings.append(finding)
        if not hits:
            return result
        changed = dataclasses.replace(result, findings=findings)
        if scorer is not None:
            scorer.regrade(changed)
        return changed


def baseline_count(result: DocumentResult) -> int:
    return sum(1 for f in result.findings if f.suppressed_by == "baseline")
