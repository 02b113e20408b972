"""Free text from customers, made safe to store and to export."""

import re

# Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): in a stored comment
# they reorder what staff read next to it ("5 :ציון" shown as something else).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_NUL = "\x00"


def clean_text(value: str) -> str:
    """`value` without bidi embedding/override/isolate controls or NUL characters."""
    return _BIDI_CONTROLS.sub("", value).replace(_NUL, "")


def clean_line(value: str) -> str:
    """`clean_text` as one line: every run of whitespace (newlines too) a single space, none
    at either end."""
    return " ".join(clean_text(value).split())
