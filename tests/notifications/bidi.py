"""How a phone reads a text's direction: the Unicode bidirectional algorithm's rule P2."""

import re
import unicodedata

ISOLATE_OPEN = {"LRI", "RLI", "FSI"}


def first_strong_direction(text: str) -> str | None:
    """ "rtl" or "ltr" from the first strong letter outside isolates (UAX #9 P2), else None."""
    depth = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ISOLATE_OPEN:
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif depth == 0 and kind in ("R", "AL"):
            return "rtl"
        elif depth == 0 and kind == "L":
            return "ltr"
    return None


def _outside_isolates(text: str) -> str:
    """`text` with every character inside an isolate (and the isolate controls) blanked out;
    an isolate with no PDI runs to the end of the text."""
    outside, depth = [], 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ISOLATE_OPEN:
            depth += 1
            outside.append(" ")
        elif kind == "PDI":
            depth = max(depth - 1, 0)
            outside.append(" ")
        else:
            outside.append(ch if depth == 0 else " ")
    return "".join(outside)


def latin_outside_isolates(text: str) -> list[str]:
    """The Latin words of `text` that are not inside an isolate."""
    return re.findall(r"[A-Za-z][A-Za-z0-9.\-]*", _outside_isolates(text))


def rtl_outside_isolates(text: str) -> list[str]:
    """The right-to-left words (Hebrew, Arabic) of `text` that are not inside an isolate."""
    outside = _outside_isolates(text)
    return "".join(
        ch if unicodedata.bidirectional(ch) in ("R", "AL") else " " for ch in outside
    ).split()


def isolates_balance(text: str) -> bool:
    """Whether every isolate initiator (LRI, RLI, FSI) of `text` has its PDI and no PDI comes
    without an open isolate: an unclosed isolate swallows the rest of the text (UAX #9, BD9)."""
    depth = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ISOLATE_OPEN:
            depth += 1
        elif kind == "PDI":
            if depth == 0:
                return False
            depth -= 1
    return depth == 0
