"""`seed_demo` step: the Dizengoff branch's inbox. Two customers with held pairs answered
their texts: one was answered a few minutes later, the other is waiting.

Through the services Twilio's webhook and the inbox pages call, so the demo's texts and the
dashboard's response times are the real ones.
"""

from datetime import timedelta

from django.utils import timezone

from inventory.models import Hold
from notifications import services
from notifications.models import Conversation

from .context import SeedContext
from .pickups import DEMO_PICKUP_PREFIX, STORE

# (what the customer wrote, minutes ago, the store's answer or "" while it waits, minutes later)
REPLIES = [
    ("אפשר לשמור עד מחר בערב?", 40, "בטח, הזוג שמור לך עד מחר ב-20:00.", 4),
    ("Do you have it in half a size up?", 7, "", 0),
]


def seed_conversations(ctx: SeedContext) -> None:
    if Conversation.objects.filter(phone__startswith=DEMO_PICKUP_PREFIX).exists():
        return
    holds = list(
        Hold.objects.filter(
            store=ctx.stores[STORE],
            status=Hold.Status.ACTIVE,
            customer_phone__startswith=DEMO_PICKUP_PREFIX,
        ).order_by("pk")[: len(REPLIES)]
    )
    now = timezone.now()
    for n, (hold, (asked, ago, answer, later)) in enumerate(zip(holds, REPLIES, strict=False)):
        written = now - timedelta(minutes=ago)
        services.conversation_inbound(
            message=services.Inbound(
                phone=hold.customer_phone,
                channel="sms",
                provider_id="SM" + "de" * 15 + f"{n:02x}",
                body=asked,
            ),
            now=written,
        )
        if answer:
            conversation = Conversation.objects.get(phone=hold.customer_phone, status="waiting")
            services.conversation_answer(
                conversation_id=conversation.pk,
                author=None,
                body=answer,
                last_seen_id=conversation.messages.latest("pk").pk,
                now=written + timedelta(minutes=later),
            )
    ctx.summary.append(f"{len(holds)} customer replies in the Dizengoff inbox (/staff/inbox/).")
