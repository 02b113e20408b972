"""Calls and reads the till API tests share: post a batch, build a line, read a level and the
ledger behind it."""

import json

from django.db.models import Sum

from inventory.models import StockLevel, StockMovement

URL = "/api/v1/movements"


def post(client, body, **kwargs):
    return client.post(URL, data=json.dumps(body), content_type="application/json", **kwargs)


def line(variant, type="sale", quantity=1, reference="R-1", **extra):
    return {"type": type, "sku": variant.sku, "quantity": quantity, "reference": reference, **extra}


def level(store, variant):
    row = StockLevel.objects.filter(store=store, variant=variant).first()
    return (row.on_hand, row.reserved) if row else (0, 0)


def ledger(store, variant):
    return (
        StockMovement.objects.filter(store=store, variant=variant).aggregate(s=Sum("delta"))["s"]
        or 0
    )
