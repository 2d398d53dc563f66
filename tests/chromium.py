"""Headless Chromium for the browser tests: Debian's package at /usr/bin/chromium (or $KG_CHROMIUM), driven by
playwright. `.ci/run` installs it; elsewhere the tests that need it are skipped (`needs_chromium`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt install chromium)")
# Collects Content-Security-Policy violations in window.__csp (add with page.add_init_script).
CSP_WATCH = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
    "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium browser (playwright's Browser) until the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a new browser context (`options`: playwright's new_context) that records script errors and
    CSP violations; the block fails when there were any."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.add_init_script(CSP_WATCH)
    try:
        yield page
        assert page.evaluate("window.__csp") == []
        assert errors == []
    finally:
        context.close()
