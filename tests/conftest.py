"""Shared fixtures: the bundled seeds, the labelled corpus, the national pack and its engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-test budgets: `ci` (default) keeps the suite fast; `long` is for runs by hand:
#   HYPOTHESIS_PROFILE=long pytest tests/test_properties.py
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"


@pytest.fixture(autouse=True)
def _no_inherited_terminal_size(monkeypatch):
    """Tests see no COLUMNS/LINES unless they set them: reports are laid out for the width asked for,
    and pytest-xdist's workers inherit COLUMNS=80 LINES=24 from execnet, which would wrap lines that
    tests read whole."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def national():
    from checker.packs import load_pack

    return load_pack("national")


@pytest.fixture(scope="session")
def engine(national):
    from checker.engine import Engine

    return Engine(national)


@pytest.fixture(scope="session")
def seed_results(engine):
    return {p.name[:3]: engine.check_path(str(p)) for p in sorted(SEEDS.glob("*.txt"))}
