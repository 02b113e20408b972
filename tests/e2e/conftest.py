"""A real headless Chromium (Debian's package) for the browser tests, and the texts they read."""

import os
import shutil

import pytest

from notifications.backends import locmem
from tests.e2e.helpers import CHROMIUM

# Playwright's sync API runs an event loop in the test's thread; the tests also touch the
# database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run (starting it is the slow part); each test opens its own
    pages."""
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if executable is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def sms_outbox(settings):
    """Texts land in `locmem.outbox`, emptied before and after the test, and go at once: no
    quiet hours, whatever the clock of the run."""
    settings.SMS_BACKEND = "notifications.backends.locmem.LocMemBackend"
    settings.QUIET_HOURS = ""
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()
