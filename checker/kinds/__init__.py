"""Rule kinds: one module each, a pure function from (context, rule) to findings.

Each kind module has a docstring (its documentation, shown by ``checker explain`` and in
docs/rules.md), ``OPTIONS`` (option name -> (expected type or None, default)), an optional
``validate(options) -> options`` that raises ValueError, an optional ``prepare(options)`` whose
result (compiled patterns, indexes) the loader keeps on ``Rule.prepared`` so nothing is rebuilt per
document, and ``check(ctx, rule)`` yielding findings. A kind that sets ``PROOFREADS = True`` checks the
writer's wording (typos, usage, punctuation …): the engine drops its findings on lines read by
OCR, whose errors are the recogniser's, not the writer's. Helpers shared by kinds live in ``_text``.

Families: ``section`` (required-section, section-order, standard-heading, title), content
(concepts, metric, conditional), text (pattern, lexicon, typo, punctuation, usage, noise, repeat), structure
(numbering, consistency), publication (deadline) and the page itself (not-report, closing).
"""

from __future__ import annotations

from types import ModuleType

from checker.kinds import (closing, concepts, conditional, consistency, deadline, lexicon, metric, noise, not_report,
                           numbering, pattern, punctuation, repeat, required_section, section_order, standard_heading,
                           title, typo, usage)

KINDS: dict[str, ModuleType] = {
    "required-section": required_section,
    "section-order": section_order,
    "year-consistency": consistency,  # former name of consistency, kept for existing rule files
    "title": title,
    "standard-heading": standard_heading,
    "concepts": concepts,
    "pattern": pattern,
    "conditional": conditional,
    "metric": metric,
    "consistency": consistency,
    "numbering": numbering,
    "punctuation": punctuation,
    "lexicon": lexicon,
    "deadline": deadline,
    "not-report": not_report,
    "closing": closing,
    "usage": usage,
    "noise": noise,
    "repeat": repeat,
    "typo": typo,
}
