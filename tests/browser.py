"""Headless Chromium for end-to-end tests. Tests never install anything: CI installs the browser
explicitly in `.ci/run` (apt-get install chromium chromium-driver fonts-wqy-microhei). Without it a
browser test skips with the reason locally, and fails under CI (``CI=true``) so it cannot pass
silently."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
HOW_TO = "apt-get install chromium chromium-driver fonts-wqy-microhei（.ci/run 会自动安装）"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and its driver are installed."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    if missing:
        return f"缺少 {'、'.join(missing)}；请先安装：{HOW_TO}"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def require_browser() -> None:
    """Skip the calling test (fixture) without a browser; under CI a missing browser is a failure."""
    reason = missing_browser()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"CI 必须能运行浏览器测试：{reason}", pytrace=False)
    pytest.skip(f"无法运行无头 Chromium：{reason}")


def driver(download_dir: str | None = None):
    """A Selenium Chrome driver on the system Chromium (Selenium Manager is never asked to download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1000")
    if download_dir:
        options.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                                  "download.prompt_for_download": False,
                                                  "safebrowsing.enabled": False})
    browser = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    if download_dir:
        browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return browser
