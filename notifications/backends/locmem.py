"""Keeps texts in `outbox` (like django.core.mail.outbox), for tests."""

import uuid
from dataclasses import dataclass

from .base import BaseSmsBackend


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    sid: str


outbox: list[SentSms] = []


class LocMemBackend(BaseSmsBackend):
    def send(self, *, to: str, body: str) -> str:
        sid = f"SM{uuid.uuid4().hex}"
        outbox.append(SentSms(to=to, body=body, sid=sid))
        return sid
