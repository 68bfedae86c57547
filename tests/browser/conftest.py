"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser():
    """Chromium, for the tests of one module.

    While Playwright's sync API is started it keeps an asyncio loop running in the test thread,
    and Django then refuses ORM calls unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both last only
    as long as the module: set for the whole session, the variable reached the
    `manage.py check --deploy` subprocess of another test and failed it (async.E001).
    """
    if not CHROMIUM.exists():
        message = "Chromium is not installed: apt-get install chromium"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
        finally:
            playwright.stop()


@pytest.fixture
def page(browser):
    """A fresh browser tab; the test fails if the page's JavaScript threw an error."""
    # bypass_csp lets the tests inject axe-core; the pages themselves keep their strict CSP.
    context = browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    yield page
    context.close()
    assert not errors, "JavaScript errors in the page:\n" + "\n".join(errors)


def login(page, live_server, username: str, password: str = "demo") -> None:
    """Log in through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def wait_for_htmx(page) -> None:
    """Wait until htmx has no request in flight and no swap in progress."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
