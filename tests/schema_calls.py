"""What the Schemathesis tests share: calling the WSGI app straight, within the test's
transaction."""

from collections.abc import Iterator

import pytest
from django.core import signals
from django.db import close_old_connections


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, whose request signals would close the database
    connection the test's transaction lives on (Django's test client disconnects them too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
