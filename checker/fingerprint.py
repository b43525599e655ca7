"""Finding fingerprints: a finding's identity that survives moved lines.

A fingerprint is computed from the rule id, the template section and the matched text
(NFKC-folded, whitespace and a leading heading number removed), never from line numbers or offsets, so inserting or
deleting lines elsewhere keeps it; rewording the matched text changes it. Findings of one
document that would share a fingerprint get an occurrence suffix (``:1``, ``:2`` … in document
order), the way GitHub's own line hashes do. Used by SARIF (``partialFingerprints``) and by
baselines.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from checker.result import Finding

# Bump when the recipe changes: old baselines then stop matching instead of matching wrongly.
VERSION = "checker/v1"
_SPACE = re.compile(r"\s+")
# A heading's numbering marker (一、 （二） 3. （4）): renumbering is not rewording, so inserting a
# missing section does not turn the findings on later headings into new ones.
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.,]+|\([一二三四五六七八九十]{0,3}\)[、.,]?"
                     r"|\d{1,2}[、.](?!\d)|\(\d{1,2}\)[、.]?)")


def normalize_text(text: str | None) -> str:
    """The matched text as the fingerprint sees it: NFKC, no whitespace, no leading numbering."""
    if not text:
        return ""
    return _MARKER.sub("", _SPACE.sub("", unicodedata.normalize("NFKC", text)))


def base_fingerprint(finding: Finding) -> str:
    """Hash of (rule, section, normalised matched text), 32 hex digits."""
    key = "\x1f".join((finding.rule, finding.section or "", normalize_text(finding.matched_text)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """Fingerprints of one document's findings, in the given order, with occurrence suffixes."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        base = base_fingerprint(finding)
        seen[base] = seen.get(base, 0) + 1
        out.append(f"{base}:{seen[base]}")
    return out
