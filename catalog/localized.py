"""Fields kept once per language (`name_he`, `name_en`) read through one attribute.

`Product.description` returns `description_en` while English is active and
`description_he` otherwise, falling back to Hebrew when the English text is empty.
"""

from typing import Any

from core.language import DEFAULT_LANGUAGE, current_language


class Localized:
    """A read-only attribute that picks `<field>_<language>` for the active language."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = getattr(instance, f"{self.field}_{current_language()}", "")
        return value or getattr(instance, f"{self.field}_{DEFAULT_LANGUAGE}", "")
