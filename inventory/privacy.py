"""Customers' numbers as staff without a need to call them see them."""


def mask_phone(phone: str) -> str:
    """+972501234567 → +97250•••••67: enough to tell two customers apart, not to call."""
    if len(phone) <= 6:
        return "•" * len(phone)
    return phone[:6] + "•" * (len(phone) - 8) + phone[-2:]
