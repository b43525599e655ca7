"""Browser tests never install system packages; without a browser they skip locally and fail in CI."""

from __future__ import annotations

import pathlib

import pytest

from tests import browser

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_no_test_installs_system_packages():
    for path in (ROOT / "tests").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == pathlib.Path(__file__).name:
            continue
        assert "apt-get\", \"install" not in text and "\"apt-get\"" not in text, path


def test_ci_installs_the_browser_explicitly():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y" in script and "--no-install-recommends" in script and "chromium-driver" in script


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.setattr(browser, "CHROMIUM", "/no/such/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        browser.require_browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI"):
        browser.require_browser()


def test_readme_names_the_browser_prerequisite():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "chromium-driver" in readme
