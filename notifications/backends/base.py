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

    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = "sms",
        content_sid: str = "",
        content_variables: dict[str, str] | None = None,
    ) -> str:
        """Hand one text to the provider; returns the provider's message id.

        `channel="whatsapp"` sends to the number's WhatsApp: with `content_sid` as an approved
        template filled with `content_variables`, else `body` as a free-form message (allowed
        only within 24 hours of the customer's last message; the outbox decides)."""
        raise NotImplementedError
