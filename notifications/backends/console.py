"""Prints texts to the console; with DEBUG, /dev/sms/ lists them (the demo's inbox)."""

import sys
import uuid
from typing import TextIO

from core.phones import mask_phone

from .base import BaseSmsBackend


class ConsoleBackend(BaseSmsBackend):
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = "sms",
        content_sid: str = "",
        content_variables: dict[str, str] | None = None,
    ) -> str:
        sid = f"console-{uuid.uuid4().hex[:24]}"
        stream = self.stream or sys.stdout
        what = "WhatsApp" if channel == "whatsapp" else "SMS"
        template = f", template {content_sid}" if content_sid else ""
        stream.write(f"--- {what} to {mask_phone(to)} ({sid}{template})\n{body}\n---\n")
        stream.flush()
        return sid
