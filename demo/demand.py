"""`seed_demand`: what the demand reports read beyond the alerts — a few "did you find it? — no"
answers on the pages of the models customers wait for — and the first round of suggested
transfers, so the transfer queue shows some at once (the periodic job keeps them current)."""

import random
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from demand.models import WaitlistEntry
from demand.services import transfer_suggestions_refresh
from reviews.models import SiteFeedback

from .context import SeedContext


def seed_demand(ctx: SeedContext) -> None:
    now = timezone.now()
    if not SiteFeedback.objects.filter(found=False, comment__startswith="לא מצאתי").exists():
        wanted = (
            WaitlistEntry.objects.filter(status=WaitlistEntry.Status.ACTIVE)
            .values("variant__product_id")
            .annotate(n=Count("id"))
            .order_by("-n", "variant__product_id")[:6]
        )
        for row in wanted:
            product_id = row["variant__product_id"]
            rng = random.Random(f"demand:{product_id}")
            for _ in range(rng.randint(1, 4)):
                answer = SiteFeedback.objects.create(
                    product_id=product_id,
                    found=False,
                    language="he",
                    comment=rng.choice(
                        ["לא מצאתי את המידה שלי בסניף הקרוב", "לא מצאתי את המידה שלי באף סניף"]
                    ),
                )
                SiteFeedback.objects.filter(pk=answer.pk).update(
                    created_at=now - timedelta(days=rng.uniform(1, 20))
                )
    proposed = transfer_suggestions_refresh(now=now)
    ctx.summary.append(
        f"{len(proposed)} suggested transfers from spare pairs to customers waiting at other stores"
    )
