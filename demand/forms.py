from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from core.language import language_or_default, written_in
from core.phones import InvalidPhone, phone_normalize
from core.text import clean_line
from inventory.geo import city_choices
from inventory.models import Transfer
from notifications.models import LANGUAGE_CHOICES, Channel, default_channel
from notifications.services import DRAW_WORDING, PROMOTIONAL_WORDING, SERVICE_WORDING, Consent

from .selectors import StoreChoice


class CityForm(forms.Form):
    """Orders the store list by distance from the customer's city (a GET form)."""

    city = forms.ChoiceField(label=_("Your city"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["city"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a city")), *city_choices()]


class PhoneForm(forms.Form):
    """A customer's mobile number, normalised to E.164 (or a clear message)."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("We text a code to confirm it, once. We never share it."),
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "dir": "ltr",
                "placeholder": "050-2345678",
            }
        ),
    )

    def clean_phone(self) -> str:
        try:
            return phone_normalize(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(exc.message, code=exc.reason) from None


def channel_field() -> forms.ChoiceField:
    """SMS or WhatsApp for this number, offered first as `ALERT_CHANNEL_DEFAULT` says (left
    out, the number keeps its channel, or gets that default)."""
    return forms.ChoiceField(
        label=_("Send my texts by"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=default_channel,
        required=False,
    )


class ChannelMixin(forms.Form):
    """One field, `channel`: forms that take a number add it (shown with `_channel_field.html`);
    without WhatsApp on the site it is not asked and texts go by SMS."""

    channel = channel_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not settings.WHATSAPP_ENABLED:
            del self.fields["channel"]


class ConsentMixin(forms.Form):
    """What a form that takes a number says it agrees to (`_consent.html` shows it): texts
    about the request, and — only if ticked, never by default — news and offers. `consent()`
    is what is recorded, in the words and language shown."""

    promotional = forms.BooleanField(label=PROMOTIONAL_WORDING, required=False, initial=False)
    service_wording = SERVICE_WORDING

    def consent(self, *, page: str) -> Consent:
        return Consent.shown(
            page=page,
            promotional=bool(self.cleaned_data.get("promotional")),
            service=self.service_wording,
        )


class PreferencesForm(ChannelMixin):
    """ "My data": the language and channel of the number's texts, as the customer corrects
    them."""

    language = forms.ChoiceField(
        label=_("Texts in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    promotional = forms.BooleanField(label=PROMOTIONAL_WORDING, required=False)


class ChannelForm(ChannelMixin):
    """The manage page's choice of channel for a confirmed number."""


class SignupForm(ConsentMixin, ChannelMixin, PhoneForm):
    variant = forms.TypedChoiceField(label=_("Size"), coerce=int)
    store = forms.TypedChoiceField(label=_("Store"), coerce=int)
    field_order = ["variant", "store", "phone", "language", "channel", "promotional"]
    language = forms.ChoiceField(
        label=_("Texts in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, sizes: list[Variant], stores: list[StoreChoice], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        variant, store = self.fields["variant"], self.fields["store"]
        assert isinstance(variant, forms.ChoiceField) and isinstance(store, forms.ChoiceField)
        variant.choices = [(v.pk, f"EU {v.size_label}") for v in sizes]
        store.choices = [
            (
                c.store.pk,
                f"{c.store.name} · {c.store.city}"
                + (
                    " (" + gettext("%(km)d km") % {"km": round(c.km)} + ")"
                    if c.km is not None
                    else ""
                ),
            )
            for c in stores
        ]
        self.fields["language"].initial = (get_language() or "he")[:2]


class PairRequestForm(ConsentMixin, ChannelMixin, PhoneForm):
    """A number for "hold a pair for me" or "bring it to my store" (size and store come from
    the link)."""

    field_order = ["phone", "language", "channel", "promotional"]
    language = forms.ChoiceField(
        label=_("Texts in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "he")[:2]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we texted you"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "dir": "ltr",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("The code is 6 digits."))
        return code


class PickupSlotForm(forms.Form):
    """A pick-up slot as the hold page sends it: its local start, to the minute. Whether the
    store offers it is the service's to say."""

    slot = forms.DateTimeField(
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={
            "required": _("Please choose one of the times shown."),
            "invalid": _("Please choose one of the times shown."),
        },
    )


REASON_MAX = Transfer._meta.get_field("decline_reason").max_length or 120


class DeclineForm(forms.Form):
    """Why staff decline a customer's request: the reason the customer is texted, in the
    customer's `language`. A reason written in the other language (Hebrew letters for an
    English reader, Latin letters only for a Hebrew one) is refused, sending nothing, until
    staff rewrite it or say to send it as written (`as_written`)."""

    reason = forms.CharField(
        label=_("Reason (the customer is texted it)"),
        max_length=REASON_MAX,
        error_messages={
            "required": _("Say why, in a few words: the customer is texted the reason."),
            "max_length": _("Keep the reason under %(limit_value)d characters: it goes in a text."),
        },
        widget=forms.TextInput(attrs={"maxlength": REASON_MAX, "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, language: str, as_written: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language_or_default(language)
        self.as_written = as_written
        field = self.fields["reason"]
        field.label = (
            _("Reason, in English: the customer reads texts in English")
            if self.language == "en"
            else _("Reason, in Hebrew: the customer reads texts in Hebrew")
        )
        field.widget.attrs.update({"lang": self.language, "dir": "auto"})

    def clean_reason(self) -> str:
        reason = clean_line(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"])
        if not self.as_written and self.written_in_other_language(reason):
            raise forms.ValidationError(self.other_language_message(), code="other_language")
        return reason

    def written_in_other_language(self, reason: str) -> bool:
        return written_in(reason) not in (None, self.language)

    def other_language_message(self) -> str:
        if self.language == "en":
            return gettext(
                "This customer reads texts in English, and this reason is in Hebrew. "
                "Write it in English, or send it as written."
            )
        return gettext(
            "This customer reads texts in Hebrew, and this reason is in English. "
            "Write it in Hebrew, or send it as written."
        )

    @property
    def in_other_language(self) -> bool:
        """The only thing wrong is the reason's language: the page offers to send it as
        written."""
        return self.is_bound and self.has_error("reason", "other_language")

    def typed_reason(self) -> str:
        """The reason as it would be sent, valid or not ("" before anything is typed): what
        the preview shows."""
        if not self.is_bound:
            return ""
        # No longer than the field takes (as the browser keeps it): its error says so.
        return clean_line(str(self.data.get("reason", "")))[:REASON_MAX]


class LaunchEntryForm(ConsentMixin, ChannelMixin, PhoneForm):
    """An entry in a launch draw: a size and a store the launch draws, a number, whether to
    text the result (a service text, like the code and the hold: the consent's wording says
    so), and the separate news-and-offers tick."""

    variant = forms.TypedChoiceField(label=_("Size"), coerce=int)
    store = forms.TypedChoiceField(label=_("Store to collect from"), coerce=int)
    field_order = ["variant", "store", "phone", "language", "channel", "result_text", "promotional"]
    service_wording = DRAW_WORDING
    language = forms.ChoiceField(
        label=_("Texts in"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect
    )
    result_text = forms.BooleanField(
        label=_("Text me the result even if I am not drawn"), required=False, initial=True
    )

    def __init__(self, *args: Any, drawn: list[tuple[Any, Any]], **kwargs: Any) -> None:
        """`drawn`: the (store, size) pairs the launch draws."""
        super().__init__(*args, **kwargs)
        self._drawn = {(store.pk, variant.pk) for store, variant in drawn}
        sizes = {variant.pk: variant for _store, variant in drawn}
        stores = {store.pk: store for store, _variant in drawn}
        variant, store = self.fields["variant"], self.fields["store"]
        assert isinstance(variant, forms.ChoiceField) and isinstance(store, forms.ChoiceField)
        variant.choices = [
            (v.pk, f"EU {v.size_label}") for v in sorted(sizes.values(), key=lambda v: v.eu_size)
        ]
        store.choices = [
            (s.pk, f"{s.name} · {s.city}") for s in sorted(stores.values(), key=lambda s: s.name)
        ]
        self.fields["language"].initial = (get_language() or "he")[:2]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key = (data.get("store"), data.get("variant"))
        if None not in key and key not in self._drawn:
            raise forms.ValidationError(
                gettext("This size is not drawn at this store: choose another store or size.")
            )
        return data
