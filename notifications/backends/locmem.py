"""Keeps texts in `outbox` (like django.core.mail.outbox), for tests."""

import uuid
from dataclasses import dataclass

from .base import BaseSmsBackend


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    sid: str
    channel: str = "sms"
    content_sid: str = ""
    content_variables: dict[str, str] | None = None


outbox: list[SentSms] = []


class LocMemBackend(BaseSmsBackend):
    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = "sms",
        content_sid: str = "",
        content_variables: dict[str, str] | None = None,
    ) -> str:
        sid = f"SM{uuid.uuid4().hex}"
        outbox.append(
            SentSms(
                to=to,
                body=body,
                sid=sid,
                channel=channel,
                content_sid=content_sid,
                content_variables=content_variables,
            )
        )
        return sid
