"""Rule kinds: one module each, a pure function from (context, rule) to findings.

Each kind module has a docstring (its documentation, shown by ``checker explain`` and in
docs/rules.md), ``OPTIONS`` (option name -> (expected type or None, default)), an optional
``validate(options) -> options`` that raises ValueError, and ``check(ctx, rule)`` yielding findings.
"""

from __future__ import annotations

from types import ModuleType

from checker.kinds import required_section, section_order, standard_heading, title, year_consistency

KINDS: dict[str, ModuleType] = {
    "required-section": required_section,
    "section-order": section_order,
    "year-consistency": year_consistency,
    "title": title,
    "standard-heading": standard_heading,
}
