"""The demo's WhatsApp templates: the suggested ones, ready to use with the console backend."""

import hashlib

from notifications.backends import texts_reach_phones
from notifications.whatsapp_templates import SUGGESTED, whatsapp_templates_load

from .context import SeedContext


def demo_content_sid(purpose: str, language: str) -> str:
    """A stable, made-up ContentSid (HX + 32 hex digits) for the console demo."""
    return "HX" + hashlib.sha256(f"{purpose}:{language}".encode()).hexdigest()[:32]


def seed_whatsapp_templates(ctx: SeedContext) -> None:
    """With texts printed (console), the templates are loaded as approved, so WhatsApp texts
    show their template path; with Twilio they wait for staff to enter their real SIDs."""
    if texts_reach_phones():
        rows = whatsapp_templates_load()
        ctx.summary.append(
            f"{len(rows)} WhatsApp templates to register with Twilio (admin: WhatsApp templates)."
        )
        return
    rows = whatsapp_templates_load(
        content_sids={
            (t.purpose, t.language): demo_content_sid(t.purpose, t.language) for t in SUGGESTED
        },
        approved=True,
    )
    ctx.summary.append(f"{len(rows)} WhatsApp templates (demo SIDs).")
