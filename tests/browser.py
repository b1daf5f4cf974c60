"""What the browser tests share: Debian's chromium, which Playwright drives and never downloads.

A test module marks itself `pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]`; tests/conftest.py lets the tests
marked `browser` read the database between the steps of Playwright's sync API, whose event loop runs in the
test's thread.
"""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
NEEDS_CHROMIUM = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
