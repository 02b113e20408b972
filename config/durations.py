"""Durations as operators write them in the environment: a whole number and a unit."""

import re
from datetime import timedelta

UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"(\d+)\s*([smhd])?", re.IGNORECASE)


def duration_parse(text: str, *, unit: str = "", allow_zero: bool = False) -> timedelta:
    """`text` such as "90m", "24h" or "2d" (s, m, h, d) as a timedelta; a bare number only
    when `unit` says what it counts (the older *_HOURS variables). Raises ValueError, saying
    what was read and what is expected, for anything else: no unit, a negative, a fraction,
    words, or zero unless `allow_zero` (a duration that turns something off)."""
    match = _DURATION.fullmatch(text.strip())
    if match and allow_zero and int(match.group(1)) == 0:
        return timedelta(0)  # "0" needs no unit: off is off
    amount_unit = (match.group(2) or unit).lower() if match else ""
    if not match or amount_unit not in UNITS:
        raise ValueError(
            f"{text!r} is not a duration: write a whole number and a unit, "
            "e.g. 90m, 24h or 2d (s, m, h, d)."
        )
    duration = timedelta(**{UNITS[amount_unit]: int(match.group(1))})
    if not duration and not allow_zero:
        raise ValueError(f"{text!r} is not a duration: it must be longer than zero.")
    return duration
