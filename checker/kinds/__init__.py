"""Rule kinds: one module each, a pure function from (context, rule) to findings.

Each kind module has a docstring (its documentation, shown by ``checker explain`` and in
docs/rules.md), ``OPTIONS`` (option name -> (expected type or None, default)), an optional
``validate(options) -> options`` that raises ValueError, an optional ``prepare(options)`` whose
result (compiled patterns, indexes) the loader keeps on ``Rule.prepared`` so nothing is rebuilt per
document, and ``check(ctx, rule)`` yielding findings. A kind that sets ``PROOFREADS = True`` checks the
writer's wording (typos, usage, punctuation …): the engine drops its findings on lines read by
OCR, whose errors are the recogniser's, not the writer's. Helpers shared by kinds live in ``_text``.

``WORDING`` ranks the kinds whose findings say a span's wording should be different: where two such
findings of different rules lie one inside the other, a reviewer reads one problem, and the engine
keeps the finding of the more specific kind (see ``checker.result.one_finding_per_problem``).

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

# Kinds whose findings say the span should be worded otherwise, the more specific ranked higher:
# a listed pattern or a usage rule with its reason names the problem; a fixed phrase's near miss
# and a typo are guesses (between them the shorter span, the more precise place, stays).
WORDING: dict[str, int] = {
    "pattern": 2,
    "usage": 2,
    "lexicon": 1,
    "typo": 1,
}
