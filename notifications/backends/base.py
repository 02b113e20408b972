class SmsSendError(Exception):
    """A text the provider did not take. `code` is the provider's error code, if it gave one."""

    transient = False

    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class SmsTransientError(SmsSendError):
    """Worth another try later: the network, a rate limit (429), the provider's 5xx."""

    transient = True


class SmsPermanentError(SmsSendError):
    """Never worth retrying: an invalid number, not a mobile, unsubscribed (21610)..."""


class BaseSmsBackend:
    # True for a backend whose texts reach real phones (the demo then creates no customers).
    reaches_phones = False

    def send(self, *, to: str, body: str) -> str:
        """Hand one text to the provider; returns the provider's message id."""
        raise NotImplementedError
