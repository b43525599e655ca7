"""Proof that docs/rules.md is enough: a pack written only from it loads and finds what it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.engine import Engine
from checker.packs import load_pack
from checker.result import Severity

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "tests" / "data" / "packs" / "reviewer-pack.yaml"


def seed(prefix: str) -> str:
    return str(next((ROOT / "seeds").glob(f"{prefix}_*.txt")))


@pytest.fixture(scope="module")
def reviewer():
    return load_pack(str(PACK))


@pytest.fixture(scope="module")
def results(reviewer):
    engine = Engine(reviewer)
    return {prefix: engine.check_path(seed(prefix)) for prefix in ("000", "002", "004")}


def by_rule(result, rule_id):
    return [f for f in result.findings if f.rule == rule_id]


def test_reviewer_pack_loads_with_its_overrides(reviewer):
    ids = {rule.id for rule in reviewer.rules}
    assert {"pattern-empty-phrases", "metric-facts-first-responsible", "conditional-reconsideration-litigation",
            "concepts-next-year-plans", "punctuation-quotes", "lexicon-city-terms"} <= ids
    assert {"standard-heading", "metric-length-body"} <= set(reviewer.disabled)
    deadline = reviewer.rule("deadline")
    assert (deadline.options["month"], deadline.options["day"]) == (3, 15)
    assert deadline.message == load_pack("national").rule("deadline").message  # only the given keys changed
    assert reviewer.rule("concepts-shortcomings-causes").severity is Severity.ERROR


def test_reviewer_deadline_is_earlier_than_national(results):
    # seed 000: a 2023 report published 2024-03-20 — in time nationally, late for this city
    late = by_rule(results["000"], "deadline")
    assert len(late) == 1 and late[0].severity is Severity.ERROR and late[0].line == 5
    assert "2024年3月15日" in late[0].message and "5 天" in late[0].message
    # seed 004 has no publication date: an info note, not an error
    assert [f.severity for f in by_rule(results["004"], "deadline")] == [Severity.INFO]


def test_reviewer_new_rules_fire_on_seed_text(results):
    phrases = by_rule(results["004"], "pattern-empty-phrases")
    assert {f.matched_text for f in phrases} >= {"取得了明显成效", "高度重视"}
    assert all(f.severity is Severity.INFO for f in phrases)
    plans = by_rule(results["004"], "concepts-next-year-plans")
    assert len(plans) == 1 and "普法" in plans[0].message and plans[0].section == "next-year"
    quotes = by_rule(results["000"], "punctuation-quotes")
    assert [f.line for f in quotes] == [32]
    assert not by_rule(results["002"], "standard-heading")  # disabled
