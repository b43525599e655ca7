"""Shared fixtures: the bundled seeds, the labelled corpus, the national pack and its engine."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"


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
