"""What a browser's session carries through the alert and request pages, as typed objects.

The session holds plain JSON under the keys the pages have always used
(`demand.views.session`); these objects read it back. Reading never raises: a session written
by an older release, or one whose data is garbled, reads as nothing (or as the parts that
still make sense), so a page starts afresh rather than failing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeGuard

from core.http import parse_id
from notifications.services.confirmation import CodeAsked

Kind = Literal["hold", "bring", "launch"]
# The pages of a customer's own request; "launch" is an entry in a launch draw, made from
# the launch's own page.
KINDS: tuple[Kind, ...] = ("hold", "bring")
_CARRIED: tuple[Kind, ...] = (*KINDS, "launch")
Then = Literal["", "mine"]

# How much one browser may pile up before a code: enough for a real customer, bounded.
MAX_ENTRIES = 20
MAX_REQUESTS = 5


def is_kind(value: object) -> TypeGuard[Kind]:
    return value in KINDS


def _is_carried(value: object) -> TypeGuard[Kind]:
    return value in _CARRIED


def _id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    return parse_id(str(value)) if isinstance(value, int | str) else None


def _ids(values: object) -> tuple[int, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(pk for pk in (_id(v) for v in values) if pk is not None)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class PairWanted:
    """One request the browser made before its number was confirmed: "hold a pair for me"
    (`hold`), "bring it to my store" (`bring`) or an entry in a launch draw (`launch`, with
    whether the result is texted), for a size at a store, texts in `language`."""

    kind: Kind
    variant_id: int
    store_id: int
    language: str = ""
    result_text: bool = False

    def to_session(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "variant": self.variant_id,
            "store": self.store_id,
            "language": self.language,
            "result": self.result_text,
        }

    @classmethod
    def from_session(cls, data: object) -> "PairWanted | None":
        if not isinstance(data, dict):
            return None
        kind, variant, store = data.get("kind"), _id(data.get("variant")), _id(data.get("store"))
        if not _is_carried(kind) or variant is None or store is None:
            return None
        return cls(
            kind=kind,
            variant_id=variant,
            store_id=store,
            language=_text(data.get("language")),
            result_text=data.get("result") is True,
        )


@dataclass(frozen=True)
class CodeFlow:
    """A code this browser waits for, and what it asked for meanwhile, for one number (known
    only by its keyed hash `digest` and its last two digits `tail`).

    `then` says where the code leads when nothing was asked for: "mine" (the number's
    requests, from the find page) or "" (the alerts' done page). `product` is the page to go
    back to."""

    digest: str
    verification_id: int | None = None
    entry_ids: tuple[int, ...] = ()
    requests: tuple[PairWanted, ...] = ()
    tail: str = ""
    product: str = ""
    then: Then = ""

    @classmethod
    def from_session(cls, data: object) -> "CodeFlow | None":
        if not isinstance(data, dict) or not isinstance(data.get("digest"), str):
            return None
        raw_requests = data.get("requests")
        wanted = (
            (PairWanted.from_session(item) for item in raw_requests)
            if isinstance(raw_requests, list)
            else ()
        )
        then = data.get("then")
        return cls(
            digest=data["digest"],
            verification_id=_id(data.get("verification_id")),
            entry_ids=_ids(data.get("entry_ids")),
            requests=tuple(w for w in wanted if w is not None),
            tail=_text(data.get("tail"))[-2:],
            product=_text(data.get("product")),
            then="mine" if then == "mine" else "",
        )

    def to_session(self) -> dict[str, Any]:
        return {
            "verification_id": self.verification_id,
            "entry_ids": list(self.entry_ids),
            "requests": [wanted.to_session() for wanted in self.requests],
            "tail": self.tail,
            "digest": self.digest,
            "product": self.product,
            "then": self.then,
        }

    @classmethod
    def start(cls, *, digest: str, tail: str) -> "CodeFlow":
        return cls(digest=digest, tail=tail[-2:])

    def for_number(self, digest: str, tail: str = "") -> "CodeFlow":
        """This flow if it is for the same number, else a fresh one for `digest`: a code and
        requests never carry over from one number to another."""
        if digest == self.digest:
            return replace(self, tail=tail[-2:] or self.tail)
        return CodeFlow.start(digest=digest, tail=tail)

    def waiting_for(self, verification_id: int | None) -> "CodeFlow":
        return replace(self, verification_id=verification_id)

    def with_entry(self, entry_id: int, *, product: str = "") -> "CodeFlow":
        """An alert signed up meanwhile (activated with the code); the code leads to the
        alerts' done page."""
        return replace(
            self,
            entry_ids=(*self.entry_ids, entry_id)[-MAX_ENTRIES:],
            product=product or self.product,
            then="",
        )

    def with_request(self, wanted: PairWanted, *, product: str = "") -> "CodeFlow":
        """A pair asked for meanwhile (carried out once the code is confirmed)."""
        return replace(
            self,
            requests=(*self.requests, wanted)[-MAX_REQUESTS:],
            product=product or self.product,
            then="",
        )

    @property
    def asked(self) -> str:
        """What the code confirms, as its page says it: "requests" (a look at the number's
        requests), "alert", "hold", "bring", or "several" (more than one kind at once)."""
        if self.then == "mine":
            return "requests"
        kinds = {wanted.kind for wanted in self.requests} | ({"alert"} if self.entry_ids else set())
        return kinds.pop() if len(kinds) == 1 else ("several" if kinds else "alert")

    @property
    def text_asked(self) -> CodeAsked:
        """What a new code's text names: the latest request, else an alert or the requests (a
        launch entry's code reads as an alert's)."""
        if self.requests:
            kind = self.requests[-1].kind
            return "alert" if kind == "launch" else kind
        return "requests" if self.then == "mine" else "alert"

    def to_mine(self) -> "CodeFlow":
        """The code leads to the number's requests (the find page's flow)."""
        return replace(self, then="mine")


def code_flow(data: object, *, digest: str, tail: str) -> CodeFlow:
    """The session's flow for this number (what it asked for before, same number only), or a
    fresh one."""
    current = CodeFlow.from_session(data)
    if current is None:
        return CodeFlow.start(digest=digest, tail=tail)
    return current.for_number(digest, tail)


@dataclass(frozen=True)
class SignupDone:
    """The alerts a browser has just turned on, for the done page."""

    entry_ids: tuple[int, ...]
    product: str = ""

    def to_session(self) -> dict[str, Any]:
        return {"entry_ids": list(self.entry_ids), "product": self.product}

    @classmethod
    def from_session(cls, data: object) -> "SignupDone | None":
        if not isinstance(data, dict):
            return None
        return cls(entry_ids=_ids(data.get("entry_ids")), product=_text(data.get("product")))


@dataclass(frozen=True)
class RequestOutcome:
    """What became of one request: the pair held (`hold_id`), the transfer asked for
    (`transfer_id`), the launch entry made (`entry_id`), or why not (`error`;
    `limit_reached` when the number already has its pairs held or on their way, so the page
    links to its requests). Ids and words only."""

    kind: str
    variant_id: int | None
    store_id: int | None
    hold_id: int | None = None
    transfer_id: int | None = None
    error: str = ""
    limit_reached: bool = False
    entry_id: int | None = None

    def to_session(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "variant": self.variant_id,
            "store": self.store_id,
        }
        if self.entry_id is not None:
            data["entry"] = self.entry_id
        if self.hold_id is not None:
            data["hold"] = self.hold_id
        if self.transfer_id is not None:
            data["transfer"] = self.transfer_id
        if self.error:
            data["error"] = self.error
        if self.limit_reached:
            data["limit"] = True
        return data

    @classmethod
    def from_session(cls, data: object) -> "RequestOutcome | None":
        if not isinstance(data, dict):
            return None
        return cls(
            kind=_text(data.get("kind")),
            variant_id=_id(data.get("variant")),
            store_id=_id(data.get("store")),
            hold_id=_id(data.get("hold")),
            transfer_id=_id(data.get("transfer")),
            entry_id=_id(data.get("entry")),
            error=_text(data.get("error")),
            limit_reached=data.get("limit") is True,
        )


@dataclass(frozen=True)
class RequestsDone:
    """The outcomes of a number's requests, for their done page; `digest` names the number
    (its keyed hash), so the page links to its requests only for a number this browser has
    confirmed. A session from before `digest` was kept holds the bare list of outcomes."""

    outcomes: tuple[RequestOutcome, ...] = field(default_factory=tuple)
    digest: str = ""

    def to_session(self) -> dict[str, Any]:
        return {"outcomes": [o.to_session() for o in self.outcomes], "digest": self.digest}

    @classmethod
    def from_session(cls, data: object) -> "RequestsDone | None":
        digest = ""
        if isinstance(data, dict):
            digest = _text(data.get("digest"))
            data = data.get("outcomes")
        if not isinstance(data, list):
            return None
        outcomes = _outcomes(data)
        return cls(outcomes=outcomes, digest=digest) if outcomes else None


def _outcomes(items: Iterable[object]) -> tuple[RequestOutcome, ...]:
    return tuple(o for o in (RequestOutcome.from_session(item) for item in items) if o is not None)
