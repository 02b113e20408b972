"""The one base of every refusal the product turns into a clear message."""

from typing import Any


class DomainError(Exception):
    """A request the domain refuses, with a `message` for people and `data` for code.

    Views, the API and the admin catch `DomainError` and show `message`; nothing that raises
    one has changed anything it could not roll back. Subclasses add their own attributes and
    put them in `data` too, so a caller can report them without knowing the subclass.
    """

    def __init__(self, message: str, **data: Any) -> None:
        super().__init__(message)
        self.message = message
        self.data = data

    def __str__(self) -> str:
        return self.message
