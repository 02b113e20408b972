from django import forms
from django.utils.translation import gettext_lazy as _


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        error_messages={
            "required": _("Tap a score from 1 to 5."),
            "invalid_choice": _("Tap a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SiteFeedbackForm(forms.Form):
    found = forms.TypedChoiceField(
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )
    comment = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    product = forms.IntegerField(required=False, min_value=1)
