"""Services accept a model instance or its primary key wherever they take a row."""

from typing import Any


def pk_of(obj: Any) -> int:
    """The primary key of `obj`, or `obj` itself when it already is one."""
    return obj if isinstance(obj, int) else int(obj.pk)
