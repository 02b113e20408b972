"""Prints texts to the console; with DEBUG, /dev/sms/ lists them (the demo's inbox)."""

import sys
import uuid
from typing import TextIO

from core.phones import mask_phone

from .base import BaseSmsBackend


class ConsoleBackend(BaseSmsBackend):
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, *, to: str, body: str) -> str:
        sid = f"console-{uuid.uuid4().hex[:24]}"
        stream = self.stream or sys.stdout
        stream.write(f"--- SMS to {mask_phone(to)} ({sid})\n{body}\n---\n")
        stream.flush()
        return sid
