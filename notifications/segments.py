"""How many SMS segments a text costs.

GSM-7 texts take 160 septets in one segment, 153 a segment when concatenated (characters from
the extension table take two). Anything outside GSM-7, such as Hebrew, is sent as UCS-2: 70
UTF-16 code units in one segment, 67 a segment when concatenated.
"""

import math

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_length(text: str) -> tuple[int, bool]:
    """(units, is_gsm7): septets for GSM-7, UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text), True
    return len(text.encode("utf-16-le")) // 2, False


def sms_segments(text: str) -> int:
    units, gsm = sms_length(text)
    single, multi = (160, 153) if gsm else (70, 67)
    if units <= single:
        return 1
    return math.ceil(units / multi)
