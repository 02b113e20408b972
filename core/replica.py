"""Reports read from a PostgreSQL replica, when there is one; nothing else ever does.

With DATABASE_REPLICA_URL set, the database alias `replica` exists and `ReplicaRouter` sends
reads made inside `reports()` to it — the managers' dashboard and head office's buying report,
whose figures may trail the primary by the replica's lag. Customers' stock, holds, sign-ups and
everything that writes read the primary: a replica a few seconds behind must never tell a
customer a pair is there when it is not. Without a replica, everything reads the primary.

https://docs.djangoproject.com/en/5.2/topics/db/multi-db/#automatic-database-routing
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings

REPLICA = "replica"
_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)

View = TypeVar("View", bound=Callable[..., Any])


def reading_reports() -> bool:
    """Whether the code running now is a report (reads may go to the replica)."""
    return _reports.get()


@contextmanager
def reports() -> Iterator[None]:
    """Reads in the block may come from the replica (when there is one)."""
    token = _reports.set(True)
    try:
        yield
    finally:
        _reports.reset(token)


def report_view(view: View) -> View:
    """A view whose reads may come from the replica: a report, never a customer's page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with reports():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Reads inside `reports()` go to the replica when it is configured; everything else, and
    every write, to the primary. Migrations run on the primary only (the replica follows it)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reports.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the same rows, whichever copy they were read from

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
