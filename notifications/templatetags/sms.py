"""Filters for the text (SMS) templates.

A phone lays out a text by the Unicode bidirectional algorithm, taking the direction of the
whole text from its first strong letter. In a Hebrew text a Latin run (a model name, a link,
STOP) is wrapped in a first-strong isolate, so it keeps its own order and does not drag the
Hebrew words and numbers around it out of place. Each isolate costs one UTF-16 unit at each
end; English texts do not use it (it would turn them from GSM-7 into UCS-2).
"""

from typing import Any

from django import template

register = template.Library()

FSI = "\u2068"  # FIRST STRONG ISOLATE: direction from the run's own first strong letter
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE


@register.filter
def isolate(value: Any) -> str:
    """`value` as a run that keeps its own direction inside the text ("" stays "")."""
    text = str(value)
    return f"{FSI}{text}{PDI}" if text else ""
