from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def ean13_check_digit(first_twelve: str) -> int:
    """The GS1 check digit for the first twelve digits of an EAN-13."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def validate_ean13(value: str) -> None:
    if len(value) != 13 or not value.isdigit():
        raise ValidationError(_("A barcode is 13 digits (EAN-13)."), code="ean13_format")
    if ean13_check_digit(value[:12]) != int(value[12]):
        raise ValidationError(
            _("This barcode's check digit is wrong; please re-scan it."), code="ean13_check"
        )
