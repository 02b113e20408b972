from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = _("Customer experience")

    def ready(self) -> None:
        post_migrate.connect(_triggers_ensure, sender=self, dispatch_uid="insights.triggers")


def _triggers_ensure(using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """After `migrate`: SQLite rebuilds a table to alter it, and the rebuilt table has lost its
    triggers; put them back (and recount) if a migration dropped any."""
    from .totals import TARGETS
    from .triggers import WATCHED, triggers_ensure

    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if tables >= {*WATCHED, *(target.table for target in TARGETS)}:
        triggers_ensure(connection)
