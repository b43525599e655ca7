"""Headless Chromium for end-to-end tests: found on the machine, or installed once from the
system package manager (apt-get, when running as root); otherwise the tests skip with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def _has_cjk_font() -> bool:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # cannot tell; screenshots may show boxes but the tests do not depend on it
    return bool(listed.strip())


def ensure_chromium() -> str | None:
    """Return None when Chromium and its driver are ready, else why they cannot be.
    A Chinese font (fonts-wqy-microhei) is added where missing, so screenshots are readable."""
    ready = os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)
    if ready and (_has_cjk_font() or os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get")):
        return None
    if os.name != "posix" or os.geteuid() != 0:
        return "没有 /usr/bin/chromium 与 chromedriver，且不是 root，无法用 apt-get 安装"
    if shutil.which("apt-get") is None:
        return "没有 /usr/bin/chromium 与 chromedriver，且本机没有 apt-get"
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", "chromium",
                        "chromium-driver", "fonts-wqy-microhei"], env=env, check=False, capture_output=True, timeout=900)
        if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
            subprocess.run(["apt-get", "update", "-q"], env=env, check=False, capture_output=True, timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", "chromium",
                            "chromium-driver"], env=env, check=False, capture_output=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"apt-get 安装 chromium 失败：{exc}"
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return None
    return "apt-get install chromium chromium-driver 未能装上浏览器"


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
