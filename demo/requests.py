"""`seed_demo` step: customers' own requests at the Tel Aviv branch — pairs brought from other
stores or the warehouse (awaiting approval, approved and on the way, one declined) and pairs
held on request — made through the same services the website uses, so their texts are real.
"""

from django.utils import timezone

from demand import services
from inventory import policy
from inventory import services as inventory
from inventory.models import Hold, StockLevel, Transfer
from inventory.selectors import transfer_sources
from notifications.models import ConfirmedNumber

from .context import SeedContext

# Demo customers' numbers for requests: +972 54-556-xxxx.
REQUEST_PHONE_PREFIX = "+97254556"
DESTINATION = "tlv"
# (language, what becomes of the request)
BRING = [("he", "awaiting"), ("en", "awaiting"), ("he", "dispatched"), ("he", "declined")]
HOLDS = ["he", "en"]
DECLINE_REASON = "הזוג האחרון פגום"


def _customer(serial: int, language: str) -> str:
    phone = f"{REQUEST_PHONE_PREFIX}{serial:04d}"
    now = timezone.now()
    ConfirmedNumber.objects.get_or_create(
        phone=phone, defaults={"language": language, "confirmed_at": now, "last_used_at": now}
    )
    return phone


def seed_customer_requests(ctx: SeedContext) -> None:
    if (
        Transfer.objects.filter(origin=Transfer.Origin.CUSTOMER).exists()
        or Hold.objects.filter(purpose=Hold.Purpose.REQUEST).exists()
    ):
        ctx.summary.append("Customer requests already there")
        return
    store = ctx.stores[DESTINATION]
    levels = {
        variant_id: policy.available(on_hand=on_hand, reserved=reserved)
        for variant_id, on_hand, reserved in StockLevel.objects.filter(store=store).values_list(
            "variant_id", "on_hand", "reserved"
        )
    }
    sizes = sorted(
        (v for _m, _c, product in ctx.products for v in product.variants.all()), key=lambda v: v.sku
    )
    out_here = [v for v in sizes if levels.get(v.pk, 0) == 0]
    in_here = [v for v in sizes if levels.get(v.pk, 0) >= 2]
    serial, brought, held = 0, 0, 0
    for variant in out_here:
        if brought == len(BRING):
            break
        if not transfer_sources(variant_id=variant.pk, destination=store):
            continue
        language, outcome = BRING[brought]
        serial += 1
        transfer = services.bring_to_store(
            phone=_customer(serial, language), variant=variant, store=store, language=language
        )
        if outcome == "dispatched":
            inventory.transfer_approve(transfer=transfer, user=None)
            inventory.transfer_dispatch(transfer=transfer, user=None)
        elif outcome == "declined":
            inventory.transfer_decline(transfer=transfer, user=None, reason=DECLINE_REASON)
        brought += 1
    for variant, language in zip(in_here, HOLDS, strict=False):
        serial += 1
        services.pair_hold_for_customer(
            phone=_customer(serial, language), variant=variant, store=store, language=language
        )
        held += 1
    ctx.summary.append(
        f"{brought} customer transfer requests and {held} pairs held on request at {store.code}"
    )
