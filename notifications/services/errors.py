"""The refusals of the alert services: each a `DomainError` with a message for people."""

from django.utils.translation import gettext as _

from core.errors import DomainError


class AlertError(DomainError):
    """A sign-up, code or alert step refused."""


class TooManyRequests(AlertError):
    def __init__(self, rule: str) -> None:
        super().__init__(_("Too many attempts. Please wait an hour and try again."))
        self.rule = rule


class LimitsUnavailable(TooManyRequests):
    """The rate-limit counters cannot be reached (the cache is down): no texts we cannot
    count, so the request is refused for now."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.message = _("We cannot send texts right now. Please try again in a minute.")
        self.args = (self.message,)


class BudgetExhausted(AlertError):
    """Today's SMS budget is spent: non-essential texts (codes, notices, replies) stop."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We cannot take new sign-ups right now. Please try again tomorrow, "
                "or call the store."
            )
        )


class CodesPaused(AlertError):
    """More codes went out site-wide this hour than `SMS_CODES_PER_HOUR_SITE`: a burst from
    many addresses at once (SMS pumping). Codes pause until the hour is over; staff are told."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "We cannot send confirmation codes right now. Please try again in "
                "an hour, or call the store."
            )
        )


class CodeRejected(AlertError):
    """A wrong, expired, used or exhausted code; `attempts_left` when another try is allowed."""

    def __init__(self, message: str, *, attempts_left: int = 0) -> None:
        super().__init__(message)
        self.attempts_left = attempts_left


class AlertAlreadyEnded(AlertError):
    pass
