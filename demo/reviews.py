"""`seed_demo` steps for the reviews app: review links for every product, and a few weeks of
alerts, holds, texts, transfers and ratings so the managers' dashboard has a story to tell.

The history is past events only: ended holds and delivered texts, which never touch stock
counters; waiting customers are put on sizes that are out at their store now, so the next
delivery there holds pairs for them as it would for real customers.
"""

import random
import zlib
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from catalog.models import Product, Variant
from demand.models import WaitlistEntry
from inventory import policy
from inventory.models import Hold, StockLevel, Store, Transfer
from notifications import texts
from notifications.models import Message
from reviews.models import Rating, ReviewLink, ReviewSource

from .context import SeedContext

# name, site, country, language, kind
SOURCES = [
    ("Runner's World", "https://www.runnersworld.com/", "US", "en", "magazine"),
    ("RunRepeat", "https://runrepeat.com/", "US", "en", "magazine"),
    ("Believe in the Run", "https://believeintherun.com/", "US", "en", "blog"),
    ("Road Trail Run", "https://www.roadtrailrun.com/", "US", "en", "blog"),
    ("Sneaker News", "https://sneakernews.com/", "US", "en", "magazine"),
    ("Runpanel", "https://www.runpanel.co.il/", "IL", "he", "blog"),
    ("ynet ספורט", "https://www.ynet.co.il/sport", "IL", "he", "magazine"),
    (
        "The Running Channel",
        "https://www.youtube.com/@TheRunningChannel",
        "GB",
        "en",
        "video_channel",
    ),
    ("The Run Testers", "https://www.youtube.com/@TheRunTesters", "GB", "en", "video_channel"),
    ("רצים עם מירב", "https://www.youtube.com/@runningwithmeirav", "IL", "he", "video_channel"),
]

HISTORY_DAYS = 45
DEMO_PHONE_PREFIX = "+97254555"  # demo customers' numbers: +972 54-555-xxxx
COMMENTS = {
    5: [
        "השירות היה מעולה, הזוג חיכה לי בקופה",
        "Great, the pair was waiting for me",
        "תודה על ההודעה! הגעתי באותו יום",
    ],
    4: ["הכל היה בסדר, קצת תור בקופה", "Quick and easy"],
    3: ["בסדר", "The SMS came late in the evening"],
    2: ["ההחזקה נגמרה לפני שהספקתי להגיע", "Nobody at the store knew about my hold"],
    1: ["הגעתי והזוג כבר נמכר", "Waited 20 minutes at the counter"],
}


def _rng(*key: object) -> random.Random:
    return random.Random(zlib.crc32(":".join(map(str, key)).encode()))


def seed_review_links(ctx: SeedContext) -> None:
    """Three to five review links per product: articles from magazines and blogs, videos
    from well-known channels, one of them featured."""
    sources = {}
    for name, site, country, language, kind in SOURCES:
        sources[name], _ = ReviewSource.objects.update_or_create(
            name=name,
            defaults={
                "site": site,
                "country": country,
                "language": language,
                "kind": kind,
                "is_active": True,
            },
        )
    articles = [s for s in sources.values() if s.kind != ReviewSource.Kind.VIDEO_CHANNEL]
    channels = [s for s in sources.values() if s.kind == ReviewSource.Kind.VIDEO_CHANNEL]
    created = 0
    for product in Product.objects.select_related("brand").order_by("pk"):
        rng = _rng("reviews", product.style_code)
        picks = rng.sample(articles, k=rng.randint(2, 3))
        picks += rng.sample(channels, k=rng.randint(1, 2))
        for position, source in enumerate(picks):
            link = _review_link(product, source, rng)
            _, made = ReviewLink.objects.update_or_create(
                product=product,
                url=link["url"],
                defaults={
                    **link,
                    "source": source,
                    "position": position,
                    "is_featured": position == 0,
                },
            )
            created += made
    ctx.summary.append(f"{ReviewLink.objects.count()} review links from {len(sources)} sources")


def _review_link(product: Product, source: ReviewSource, rng: random.Random) -> dict[str, Any]:
    name = f"{product.brand.name} {product.name}"
    slug = f"{product.brand.slug}-{product.slug}"
    published = min(
        (product.release_date or timezone.localdate()) + timedelta(days=rng.randint(3, 60)),
        timezone.localdate() - timedelta(days=rng.randint(1, 14)),
    )
    if source.kind == ReviewSource.Kind.VIDEO_CHANNEL:
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
        video_id = "".join(rng.choice(alphabet) for _ in range(11))
        title = (
            f'{name} – סקירה מלאה אחרי 100 ק"מ'
            if source.language == "he"
            else f"{name} review: 100 km in"
        )
        return {
            "url": f"https://www.youtube.com/watch?v={video_id}",
            "title": title,
            "language": source.language,
            "kind": ReviewLink.Kind.VIDEO,
            "published_on": published,
            "score": None,
            "score_scale": None,
        }
    scale = rng.choice([5, 10, 100])
    score = {
        5: rng.choice([3.5, 4, 4.5]),
        10: rng.choice([7.5, 8, 8.5, 9]),
        100: rng.randint(78, 94),
    }[scale]
    title = f"סקירה: {name}" if source.language == "he" else f"{name} review"
    return {
        "url": f"{source.site.rstrip('/')}/reviews/{slug}-review/",
        "title": title,
        "language": source.language,
        "kind": ReviewLink.Kind.ARTICLE,
        "published_on": published,
        "score": score,
        "score_scale": scale,
    }


def seed_cx_history(ctx: SeedContext) -> None:
    """A few weeks of alerts, holds, texts, transfers and ratings at every store."""
    if WaitlistEntry.objects.filter(phone__startswith=DEMO_PHONE_PREFIX).exists():
        return
    now = timezone.now()
    stores = list(Store.objects.for_customers().order_by("pk"))
    warehouse = Store.objects.filter(is_warehouse=True).first()
    out = _out_of_stock_by_store()
    counts = {"entries": 0, "ratings": 0}
    serial = 0
    for store in stores:
        rng = _rng("history", store.code)
        sizes = out.get(store.pk, [])
        if not sizes:
            continue
        for _ in range(rng.randint(12, 22)):
            serial += 1
            signed_up = now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
            _past_alert(store, rng.choice(sizes), signed_up, serial, rng, counts)
        for _ in range(rng.randint(2, 5)):  # still waiting now
            serial += 1
            entry = WaitlistEntry.objects.create(
                phone=f"{DEMO_PHONE_PREFIX}{serial:04d}",
                variant_id=rng.choice(sizes),
                store=store,
                language=rng.choice(["he", "he", "en"]),
                status=WaitlistEntry.Status.ACTIVE,
                activated_at=now - timedelta(days=rng.uniform(0.2, 6)),
            )
            WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=F("activated_at"))
            counts["entries"] += 1
        if warehouse is not None:
            for _ in range(rng.randint(1, 4)):
                requested = now - timedelta(days=rng.uniform(3, HISTORY_DAYS))
                transfer = Transfer.objects.create(
                    variant_id=rng.choice(sizes),
                    from_store=warehouse,
                    to_store=store,
                    status=Transfer.Status.RECEIVED,
                    dispatched_at=requested + timedelta(hours=rng.uniform(2, 20)),
                    received_at=requested + timedelta(hours=rng.uniform(24, 72)),
                )
                Transfer.objects.filter(pk=transfer.pk).update(requested_at=requested)
    ctx.summary.append(
        f"{counts['entries']} demo alerts and {counts['ratings']} ratings "
        f"over the last {HISTORY_DAYS} days"
    )


def _out_of_stock_by_store() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    levels = StockLevel.objects.filter(store__is_warehouse=False).exclude(policy.in_stock_q())
    for store_id, variant_id in levels.values_list("store_id", "variant_id").order_by("pk"):
        out.setdefault(store_id, []).append(variant_id)
    return out


def _past_alert(
    store: Store,
    variant_id: int,
    signed_up: datetime,
    serial: int,
    rng: random.Random,
    counts: dict[str, int],
) -> None:
    """One alert that ran its course: held, texted, then collected or lapsed."""
    language = rng.choice(["he", "he", "he", "en"])
    phone = f"{DEMO_PHONE_PREFIX}{serial:04d}"
    texted = signed_up + timedelta(hours=rng.uniform(6, 24 * 6))
    collected = rng.random() < 0.7
    ended = texted + (timedelta(hours=rng.uniform(1, 23)) if collected else timedelta(hours=24))
    # History ends before now: an alert that would still be running is moved back whole, so no
    # desk or dashboard shows a hold that "lapsed" tomorrow.
    late = ended - (timezone.now() - timedelta(hours=1))
    if late > timedelta(0):
        signed_up, texted, ended = signed_up - late, texted - late, ended - late
    entry = WaitlistEntry.objects.create(
        phone=phone,
        variant_id=variant_id,
        store=store,
        language=language,
        status=WaitlistEntry.Status.COLLECTED if collected else WaitlistEntry.Status.LAPSED,
        activated_at=signed_up,
        ended_at=ended,
    )
    hold = Hold.objects.create(
        store=store,
        variant_id=variant_id,
        purpose=Hold.Purpose.WAITLIST,
        customer_phone=phone,
        language=language,
        status=Hold.Status.COLLECTED if collected else Hold.Status.EXPIRED,
        notified_at=texted,
        expires_at=texted + timedelta(hours=24),
        ended_at=ended,
        collected_price=(
            Variant.objects.filter(pk=variant_id).values_list("product__price", flat=True).get()
            if collected
            else None
        ),
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(created_at=signed_up, hold=hold)
    Hold.objects.filter(pk=hold.pk).update(created_at=texted)
    message = Message.objects.create(
        recipient=phone,
        body="",
        language=language,
        purpose=Message.Purpose.HOLD_READY,
        status=Message.Status.DELIVERED,
        idempotency_key=f"demo-hold:{serial}",
        hold=hold,
        attempts=1,
        sent_at=texted,
        delivered_at=texted + timedelta(seconds=4),
    )
    # The text as it was sent (the debug inbox shows it), with its own manage link.
    assert hold.expires_at is not None
    message.body = texts.render_sms(
        Message.Purpose.HOLD_READY,
        language,
        {
            **texts.hold_context(hold, hold.expires_at),
            "link": texts.manage_link(message.pk, language),
        },
    )
    message.save(update_fields=["body"])
    counts["entries"] += 1
    if rng.random() < 0.6:
        score = (
            rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0]
            if collected
            else rng.choices([5, 4, 3, 2, 1], weights=[10, 20, 30, 25, 15])[0]
        )
        rating = Rating.objects.create(
            hold=hold,
            store=store,
            score=score,
            language=language,
            interaction=(
                Rating.Interaction.HOLD_COLLECTED if collected else Rating.Interaction.HOLD_LAPSED
            ),
            comment=rng.choice(COMMENTS[score]) if rng.random() < 0.5 else "",
            needs_callback=score <= Rating.LOW_SCORE,
        )
        rated = min(
            ended + timedelta(hours=rng.uniform(0.5, 30)),
            timezone.now() - timedelta(minutes=rng.uniform(5, 50)),
        )
        handled = rating.needs_callback and rated < timezone.now() - timedelta(days=3)
        Rating.objects.filter(pk=rating.pk).update(
            created_at=rated,
            handled_at=rated + timedelta(hours=5) if handled else None,
            handled_note="שוחחנו עם הלקוח/ה והוצע זוג חלופי" if handled else "",
        )
        counts["ratings"] += 1
