"""The WhatsApp Content templates to register with Twilio, one per purpose and language.

They say what the SMS texts say (notifications/sms/*.txt), with WhatsApp's numbered
placeholders; `variables` maps each placeholder to the value of the text it carries. The demo
loads them (`whatsapp_templates_load`); in production staff register each at Twilio, then enter
its ContentSid in the admin and tick "approved" once WhatsApp has approved it.
"""

from dataclasses import dataclass

from django.db import transaction

from .models import Message, WhatsAppTemplate

Purpose = Message.Purpose


@dataclass(frozen=True)
class SuggestedTemplate:
    purpose: str
    language: str
    text: str
    variables: dict[str, str]


_HOLD = {"1": "model", "2": "size", "3": "store", "4": "until", "5": "phone", "6": "link"}
_REMINDER = {"1": "model", "2": "size", "3": "store", "4": "until", "5": "link"}
_DECLINED = {"1": "model", "2": "size", "3": "store", "4": "reason", "5": "link"}
_CODE = {"1": "code", "2": "minutes", "3": "link"}
_LINK = {"1": "link"}
_RATING = {"1": "store", "2": "rating_link"}
_LAUNCH = {"1": "model", "2": "size", "3": "store", "4": "place", "5": "link"}
_ANSWER = {"1": "store", "2": "text"}

SUGGESTED = [
    # The store's own words, outside WhatsApp's 24-hour window.
    SuggestedTemplate(Purpose.ANSWER, "he", "הודעה מ{{1}}: {{2}}", _ANSWER),
    SuggestedTemplate(Purpose.ANSWER, "en", "A message from {{1}}: {{2}}", _ANSWER),
    SuggestedTemplate(Purpose.STAFF_TEXT, "he", "הודעה מ{{1}}: {{2}}", _ANSWER),
    SuggestedTemplate(Purpose.STAFF_TEXT, "en", "A message from {{1}}: {{2}}", _ANSWER),
    SuggestedTemplate(
        Purpose.LAUNCH_RESULT,
        "he",
        "לא הפעם: לא עלית בהגרלת {{1}} מידה {{2}} ב{{3}}. את/ה במקום {{4}} בתור אם זוכה לא"
        " יגיע/ה.\nהתראה כשיחזור למלאי: {{5}}",
        _LAUNCH,
    ),
    SuggestedTemplate(
        Purpose.LAUNCH_RESULT,
        "en",
        "Not this time: you weren't drawn for {{1}} size {{2}} at {{3}}. You're number {{4}} in"
        " line if a winner doesn't come.\nGet a text when it's back in stock: {{5}}",
        _LAUNCH,
    ),
    SuggestedTemplate(
        Purpose.HOLD_READY,
        "he",
        "שמור לך {{1}} מידה {{2}} ב{{3}} עד {{4}}. לתיאום איסוף: {{5}}\nביטול: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.HOLD_READY,
        "en",
        "{{1}} size {{2}} is held for you at {{3}} until {{4}}. Call {{5}} to "
        "arrange pick-up.\nCancel: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.TRANSFER_ARRIVED,
        "he",
        "הגיע! {{1}} מידה {{2}} שמור לך ב{{3}} עד {{4}}. לתיאום איסוף: {{5}}\nביטול: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.TRANSFER_ARRIVED,
        "en",
        "Your pair has arrived: {{1}} size {{2}} is held for you at {{3}} until "
        "{{4}}. Call {{5}}.\nCancel: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.PAIR_HELD,
        "he",
        "לבקשתך שמרנו {{1}} מידה {{2}} ב{{3}} עד {{4}}. טלפון הסניף: {{5}}\nתיאום או ביטול: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.PAIR_HELD,
        "en",
        "{{1}} size {{2}} is held for you at {{3}} until {{4}}, as you asked. "
        "Store: {{5}}.\nSay when you'll come, or cancel: {{6}}",
        _HOLD,
    ),
    SuggestedTemplate(
        Purpose.TRANSFER_DECLINED,
        "he",
        "לא נוכל להביא {{1}} מידה {{2}} ל{{3}}: {{4}}.\nלרשימת ההמתנה: {{5}}",
        _DECLINED,
    ),
    SuggestedTemplate(
        Purpose.TRANSFER_DECLINED,
        "en",
        "Sorry, we cannot bring {{1}} size {{2}} to {{3}}: {{4}}.\nJoin the waitlist: {{5}}",
        _DECLINED,
    ),
    SuggestedTemplate(
        Purpose.PICKUP_REMINDER,
        "he",
        "תזכורת: {{1}} מידה {{2}} שמור לך ב{{3}} עד {{4}}.\nמתי תגיעו, יום נוסף או ביטול: {{5}}",
        _REMINDER,
    ),
    SuggestedTemplate(
        Purpose.PICKUP_REMINDER,
        "en",
        "Reminder: {{1}} size {{2}} is held for you at {{3}} until {{4}}.\n"
        "Say when you'll come, ask for one more day, or cancel: {{5}}",
        _REMINDER,
    ),
    SuggestedTemplate(
        Purpose.VERIFICATION,
        "he",
        "קוד האימות שלך: {{1}}. בתוקף {{2}} דקות.\nלא ביקשת? {{3}}",
        _CODE,
    ),
    SuggestedTemplate(
        Purpose.VERIFICATION,
        "en",
        "{{1}} is your confirmation code. Valid for {{2}} minutes.\nNot you? {{3}}",
        _CODE,
    ),
    SuggestedTemplate(
        Purpose.RATING_INVITE, "he", "איך היה ב{{1}}? דרגו אותנו בלחיצה: {{2}}", _RATING
    ),
    SuggestedTemplate(
        Purpose.RATING_INVITE,
        "en",
        "How was your visit to {{1}}? Rate us in one tap: {{2}}",
        _RATING,
    ),
    SuggestedTemplate(
        Purpose.REPLY,
        "he",
        "ההתראות שלך על מידות שחזרו למלאי. להפסקת הודעות השיבו STOP.\nניהול וביטול: {{1}}",
        _LINK,
    ),
    SuggestedTemplate(
        Purpose.REPLY,
        "en",
        "Your back-in-stock alerts. Reply STOP to stop messages.\nManage or cancel: {{1}}",
        _LINK,
    ),
]


def whatsapp_templates_load(
    *, content_sids: dict[tuple[str, str], str] | None = None, approved: bool = False
) -> list[WhatsAppTemplate]:
    """Write the suggested templates (a template staff already entered is left as it is).
    `content_sids` gives each (purpose, language) its ContentSid."""
    content_sids = content_sids or {}
    rows = []
    with transaction.atomic():
        for suggested in SUGGESTED:
            row, _created = WhatsAppTemplate.objects.get_or_create(
                purpose=suggested.purpose,
                language=suggested.language,
                defaults={
                    "text": suggested.text,
                    "variables": suggested.variables,
                    "content_sid": content_sids.get((suggested.purpose, suggested.language), ""),
                    "approved": approved,
                },
            )
            rows.append(row)
    return rows
