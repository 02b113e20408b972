from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.http import EARLIEST_DATE, LATEST_DATE
from core.widgets import LongSelect
from inventory.models import Store


class FlagHandleForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DashboardForm(forms.Form):
    """The dashboard's period and store. Bad values fall back to the last 30 days."""

    MAX_DAYS = 366

    # Day first, as Israel writes dates, whatever the browser's own locale (a native date
    # picker would show mm/dd/yyyy in an American-English browser); ISO dates (links, old
    # bookmarks) are read too.
    DAY_FIRST = "%d/%m/%Y"
    DATE_FORMATS = [DAY_FIRST, "%d.%m.%Y", "%d-%m-%Y", "%Y-%m-%d"]
    DATE_ATTRS = {
        "placeholder": _("dd/mm/yyyy"),
        "inputmode": "numeric",
        "dir": "ltr",
        "autocomplete": "off",
        "size": "10",
        "maxlength": "10",
    }

    start = forms.DateField(
        label=_("From (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format=DAY_FIRST, attrs=DATE_ATTRS),
    )
    end = forms.DateField(
        label=_("To (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format=DAY_FIRST, attrs=DATE_ATTRS),
    )
    store = forms.ModelChoiceField(
        label=_("Store"),
        queryset=Store.objects.none(),
        required=False,
        empty_label=_("All stores"),
        widget=LongSelect,
    )

    def __init__(self, *args: Any, stores: QuerySet[Store], allow_all: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["store"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = stores
        field.required = not allow_all
        if not allow_all:
            field.empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
                raise forms.ValidationError(
                    _("Choose dates between %(first)s and %(last)s.")
                    % {"first": EARLIEST_DATE.year, "last": LATEST_DATE.year}
                )
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=29)
        if start > end:
            raise forms.ValidationError(_("The start date must come before the end date."))
        if (end - start).days >= self.MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most a year."))
        data["start"], data["end"] = start, end
        return data
