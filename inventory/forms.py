"""Forms of the staff pages: they parse and check input; the services decide."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from catalog.selectors import variant_by_code
from core.phones import InvalidPhone, phone_normalize

from .geo import city_by_slug, city_choices
from .models import Store

LANGUAGE_CHOICES = [("he", _("Hebrew")), ("en", _("English"))]


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("Model, brand, style code, SKU or barcode"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "enterkeyhint": "search",
                "placeholder": _("e.g. Pegasus, DV3853-001, 7290001234567"),
            }
        ),
    )
    city = forms.ChoiceField(label=_("Customer's city"), required=False)
    to = forms.IntegerField(label=_("Send to"), required=False, min_value=1)
    page = forms.IntegerField(required=False, min_value=1)
    open = forms.IntegerField(required=False, min_value=1)  # the product whose grid is shown

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built per request: the names follow the active language.
        city = self.fields["city"]
        assert isinstance(city, forms.ChoiceField)
        city.choices = [("", _("— my store —")), *city_choices()]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())


class TransferRequestForm(forms.Form):
    # What staff tell a customer whose number they type (shown beside it, and recorded as her
    # consent in the words shown).
    consent_wording = _(
        "Tell the customer we text this number only about this pair, and where our privacy "
        "notice is."
    )

    variant = forms.CharField(label=_("SKU or barcode"), max_length=40)
    from_store = forms.ModelChoiceField(
        label=_("From store"),
        queryset=Store.objects.filter(is_active=True),
    )
    to_store = forms.ModelChoiceField(
        label=_("To store"),
        queryset=Store.objects.filter(is_active=True),
    )
    quantity = forms.IntegerField(label=_("Pairs"), min_value=1, max_value=50, initial=1)
    customer_name = forms.CharField(label=_("Customer name"), max_length=100, required=False)
    customer_phone = forms.CharField(
        label=_("Customer mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
        help_text=_("The customer gets an SMS when the pair arrives and is held for them."),
    )
    customer_language = forms.ChoiceField(
        label=_("Language of the SMS"),
        choices=LANGUAGE_CHOICES,
        initial="he",
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    # Where the finder was (city), so "back to the results" keeps the salesperson's place.
    city = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_variant(self) -> Variant:
        variant = variant_by_code(self.cleaned_data["variant"])
        if variant is None:
            raise forms.ValidationError(_("No size has this SKU or barcode."), code="unknown")
        return variant

    def clean_customer_phone(self) -> str:
        raw = self.cleaned_data["customer_phone"].strip()
        if not raw:
            return ""
        try:
            return phone_normalize(raw)
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code="invalid_phone") from exc

    def clean_customer_name(self) -> str:
        return " ".join(self.cleaned_data["customer_name"].split())

    def clean_city(self) -> str:
        slug = self.cleaned_data["city"]
        return slug if city_by_slug(slug) else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, destination = data.get("from_store"), data.get("to_store")
        if source and destination and source == destination:
            self.add_error(
                "to_store",
                forms.ValidationError(
                    _("A transfer goes to another store: pick a different destination."),
                    code="same_store",
                ),
            )
        if (
            data.get("customer_name")
            and not data.get("customer_phone")
            and "customer_phone" not in self.errors
        ):
            self.add_error(
                "customer_phone",
                forms.ValidationError(
                    _(
                        "Add the customer's mobile number, so they can be texted when the pair "
                        "arrives."
                    ),
                    code="phone_required",
                ),
            )
        for_customer = bool(data.get("customer_name") or data.get("customer_phone"))
        if for_customer and (data.get("quantity") or 1) != 1:
            self.add_error(
                "quantity",
                forms.ValidationError(
                    _("A transfer for a customer is for one pair; request more pairs separately."),
                    code="customer_quantity",
                ),
            )
        return data


class DispatchForm(forms.Form):
    expected_date = forms.DateField(
        label=_("Expected arrival"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_expected_date(self) -> date | None:
        expected: date | None = self.cleaned_data["expected_date"]
        if expected is not None and expected < timezone.localdate():
            raise forms.ValidationError(
                _("The expected arrival cannot be in the past."),
                code="past",
            )
        return expected


class StorePickerForm(forms.Form):
    store = forms.ModelChoiceField(
        label=_("Store"),
        queryset=Store.objects.filter(is_active=True),
        required=False,
    )
