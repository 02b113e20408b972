"""Texts deliberately off (production with SMS_ENABLED=False): every send fails for good,
with the reason kept on the text where staff see it. Nothing is printed or sent."""

from .base import BaseSmsBackend, SmsPermanentError


class DisabledBackend(BaseSmsBackend):
    def send(
        self,
        *,
        to: str,
        body: str,
        channel: str = "sms",
        content_sid: str = "",
        content_variables: dict[str, str] | None = None,
    ) -> str:
        raise SmsPermanentError(
            "Texts are turned off on this site (SMS_ENABLED=False).", code="disabled"
        )
