"""Rule tests for rule authors: annotated documents that say which findings they must produce.

A test case is a plain-text draft with comment lines, in the spirit of Semgrep's tests::

    <!-- ruleid: year-consistency -->
    四、2023年度推进法治政府建设的主要安排
    <!-- ok: standard-heading -->
    一、2023年度推进法治政府建设的主要举措和成效

``ruleid: RULE[, RULE…]`` — the next non-blank, non-comment line must have a finding of RULE
(starting on that line); ``ok: RULE`` — it must not. For findings about the document as a
whole: ``ruleid-document: RULE`` (at least one finding of RULE anywhere) and
``ok-document: RULE`` (none anywhere). A rule annotated line by line in a file is strict there:
each of its findings must sit on a ``ruleid`` line. Suppressed findings do not count, so
``checker-disable`` directives can be tested too. Comment lines are invisible to the checker,
so annotations never change what they test.

Which pack a case is checked with: ``--pack`` if given; else, for a case under
``…/tests/NAME/``, the pack file ``…/NAME.yaml`` beside that ``tests`` folder, or the bundled
pack NAME; else ``national``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checker.model.directives import UNKNOWN_RULE
from checker.result import DocumentResult

CASE_SUFFIXES = {".txt", ".md", ".text"}
_ANNOTATION = re.compile(r"^(?P<kind>ruleid|ok|ruleid-document|ok-document)\s*:\s*(?P<rules>.+)$")


@dataclass(frozen=True)
class Expectation:
    kind: str  # ruleid | ok | ruleid-document | ok-document
    rule: str
    line: int | None  # the line the annotation is about (None: the document)
    written_at: int  # the annotation's own line


@dataclass(frozen=True)
class Failure:
    path: str
    line: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}" if self.line else self.path
        return f"{place}: [{self.rule}] {self.message}"


@dataclass
class CaseResult:
    path: str
    pack: str
    checks: int = 0
    failures: list[Failure] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)
    error: str | None = None


def expectations(document) -> list[Expectation]:
    """Annotations of a document (its comment lines), each with the line it is about."""
    lines = document.text.split("\n")
    comment_at = {c.line for c in document.comments}
    found = []
    for comment in document.comments:
        match = _ANNOTATION.match(comment.body)
        if not match:
            continue
        kind = match.group("kind")
        target = None
        if not kind.endswith("-document"):
            target = comment.line + 1
            while target <= len(lines) and (target in comment_at or not lines[target - 1].strip()):
                target += 1
            if target > len(lines):
                target = None
        for rule in re.split(r"[,，\s]+", match.group("rules").strip()):
            if rule:
                found.append(Expectation(kind, rule, target, comment.line))
    return found


def evaluate(path: str, result: DocumentResult, expected: list[Expectation], known_rules: set[str]) -> CaseResult:
    case = CaseResult(path=path, pack="")
    # a grouped finding answers the annotations of each of its places
    active = [place for f in result.findings if not f.suppressed for place in f.each()]
    lines_of: dict[str, list[int | None]] = {}
    for finding in active:
        lines_of.setdefault(finding.rule, []).append(finding.line)

    def fail(line: int | None, rule: str, message: str) -> None:
        case.failures.append(Failure(path, line, rule, message))

    def where(rule: str) -> str:
        places = sorted({str(n) for n in lines_of.get(rule, []) if n is not None})
        return f"（该规则实际报告在第 {', '.join(places)} 行）" if places else "（该规则没有报告任何问题）"

    for exp in expected:
        case.checks += 1
        case.rules.add(exp.rule)
        if exp.rule not in known_rules:
            fail(exp.written_at, exp.rule, "规则包中没有这条规则")
            continue
        lines = lines_of.get(exp.rule, [])
        if exp.kind == "ruleid":
            if exp.line is None:
                fail(exp.written_at, exp.rule, "ruleid 注释后面没有可检查的行")
            elif exp.line not in lines:
                fail(exp.line, exp.rule, f"应在此行报告问题，但没有{where(exp.rule)}")
        elif exp.kind == "ok":
            if exp.line is not None and exp.line in lines:
                fail(exp.line, exp.rule, "此行不应报告问题，但报告了")
        elif exp.kind == "ruleid-document":
            if not lines:
                fail(exp.written_at, exp.rule, "文档应报告此规则的问题，但没有")
        elif exp.kind == "ok-document":
            if lines:
                fail(exp.written_at, exp.rule, f"文档不应报告此规则的问题，但报告了{where(exp.rule)}")
    strict = {e.rule for e in expected if e.kind in ("ruleid", "ok")}
    wanted = {(e.rule, e.line) for e in expected if e.kind == "ruleid"}
    for finding in active:
        # findings without a line are the business of the -document annotations
        if finding.line is not None and finding.rule in strict and (finding.rule, finding.line) not in wanted:
            case.checks += 1
            fail(finding.line, finding.rule, f"多报了问题：{finding.message}（此行没有 ruleid 注释）")
    return case


def discover(paths: Iterable[str]) -> list[str]:
    """Test cases under the given paths; a pack file stands for its ``tests/NAME/`` folder."""
    found: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_file() and p.suffix in (".yaml", ".yml"):
            p = p.parent / "tests" / p.stem
            if not p.is_dir():
                continue
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, n) for n in sorted(files)
                             if Path(n).suffix in CASE_SUFFIXES and not n.startswith((".", "~$")))
        elif p.is_file():
            found.append(str(p))
    return found


def pack_for(case: str) -> str:
    """The pack a case is checked with, from where it lives (see the module docstring)."""
    from checker.packs import bundled_pack_names

    bundled = set(bundled_pack_names())
    for folder in Path(case).resolve().parents:
        if folder.parent.name == "tests":
            beside = folder.parent.parent / f"{folder.name}.yaml"
            if beside.is_file():
                try:
                    return os.path.relpath(beside)
                except ValueError:
                    return str(beside)
            if folder.name in bundled:
                return folder.name
    return "national"


def run(cases: list[str], pack_option=None, load=None) -> list[CaseResult]:
    """Run every case. `pack_option`: a loaded Pack for all cases; `load(name)`: pack loader."""
    from checker.engine import Engine
    from checker.model.document import build_document
    from checker.load import load as load_source
    from checker.errors import CheckerError

    engines: dict[str, Engine] = {}
    results = []
    for case in cases:
        if pack_option is not None:
            key, pack = "--pack", pack_option
        else:
            key = pack_for(case)
            pack = None
        if key not in engines:
            engines[key] = Engine(pack if pack is not None else load(key))
        engine = engines[key]
        try:
            document = build_document(load_source(case))
        except CheckerError as exc:
            results.append(CaseResult(case, key, error=str(exc)))
            continue
        expected = expectations(document)
        outcome = evaluate(case, engine.check_document(document), expected, {r.id for r in engine.pack.rules} | {UNKNOWN_RULE})
        outcome.pack = key
        if not expected:
            outcome.failures.append(Failure(case, None, "-", "没有任何 ruleid/ok 注释"))
        results.append(outcome)
    return results
