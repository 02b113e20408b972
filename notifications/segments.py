"""How many SMS segments a text costs — the one place that counts them.

GSM-7 texts take 160 septets in one segment, 153 a segment when concatenated (characters from
the extension table take two). Anything outside GSM-7, such as Hebrew, is sent as UCS-2: 70
UTF-16 code units in one segment, 67 a segment when concatenated.
"""

import math
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
# (one segment, a segment of a concatenated text) per encoding.
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsCost:
    """What a text costs by SMS: `segments` in `encoding`, `units` (septets or UTF-16 code
    units) against `per_segment` a segment."""

    segments: int
    encoding: str
    units: int
    per_segment: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_length(text: str) -> tuple[int, bool]:
    """(units, is_gsm7): septets for GSM-7, UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text), True
    return len(text.encode("utf-16-le")) // 2, False


def sms_cost(text: str) -> SmsCost:
    units, gsm = sms_length(text)
    encoding = GSM7 if gsm else UCS2
    single, multi = LIMITS[encoding]
    if units <= single:
        return SmsCost(segments=1, encoding=encoding, units=units, per_segment=single)
    return SmsCost(
        segments=math.ceil(units / multi), encoding=encoding, units=units, per_segment=multi
    )


def sms_segments(text: str) -> int:
    return sms_cost(text).segments
