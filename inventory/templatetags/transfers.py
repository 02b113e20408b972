"""How a transfer card names who asked for it: `{% load transfers %}{{ t|requester }}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.phones import mask_phone

from ..models import Transfer

register = template.Library()


@register.filter
def requester(transfer: Transfer) -> str | SafeString:
    """The staff member who asked; for a customer's own request, the customer (their number
    masked) — never a bare dash."""
    if transfer.requested_by_id is not None and transfer.requested_by is not None:
        return transfer.requested_by.get_username()
    if transfer.origin == Transfer.Origin.CUSTOMER:
        if transfer.customer_phone:
            return format_html(
                '{} (<bdi dir="ltr">{}</bdi>)',
                _("the customer"),
                mask_phone(transfer.customer_phone),
            )
        return _("a customer on the website")
    return _("the system")
