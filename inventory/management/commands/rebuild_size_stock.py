"""python manage.py rebuild_size_stock

Writes every size's stock summary (`inventory.SizeStock`) again from the stock levels: after
levels were loaded without the stock services (a bulk import), or to repair the summaries.
Stock writes wait while it runs; the pages showing stock are renewed once it has committed.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from catalog.models import Variant
from core.versions import STOCK, bump, stock_of
from inventory.services import size_stock_rebuild


class Command(BaseCommand):
    help = "Write every size's stock summary again from the stock levels."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            sizes = size_stock_rebuild()
            bump([STOCK, *(stock_of(pk) for pk in Variant.objects.values_list("pk", flat=True))])
        self.stdout.write(f"Stock summaries rebuilt for {sizes} sizes.")
