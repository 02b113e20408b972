"""'My data': everything we keep about the number this browser confirmed with a code — seen,
downloaded (JSON or CSV), corrected (language, channel) and deleted in one step."""

import io
import json
import re
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.csv import write_csv
from core.phones import mask_phone, phone_digest
from core.privacy import Section, when
from notifications import selectors as messaging_selectors
from notifications import services as messaging

from .. import services
from ..forms import PreferencesForm
from .session import FLOW_KEY, MINE_KEY, forget, mine_phone

FORMATS = ("json", "csv")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def _no_number(request: HttpRequest) -> HttpResponse:
    messages.info(
        request, _("Enter your number: we text it a code, then you can see what we keep about it.")
    )
    return redirect("demand:find")


@never_cache
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    phone = mine_phone(request)
    if phone is None:
        return _no_number(request)
    language = messaging_selectors.language_of(phone)
    form = PreferencesForm(
        request.POST or None,
        initial={
            "language": language,
            "channel": messaging_selectors.channel_of(phone),
            "promotional": messaging.promotional_consent(phone),
        },
    )
    if request.method == "POST":
        if language is not None and form.is_valid():
            services.number_preferences_change(
                phone=phone,
                language=form.cleaned_data["language"],
                channel=form.cleaned_data.get("channel") or None,
                promotional=form.cleaned_data["promotional"],
                page=request.get_full_path(),
            )
            messages.success(request, _("Saved: your texts will come this way from now on."))
            return redirect("demand:my_data")
        if language is None:
            messages.error(request, _("This number has nothing to text about yet."))
    sections = messaging.number_data(phone=phone)
    return render(
        request,
        "demand/my_data.html",
        {
            "masked": mask_phone(phone),
            "sections": [_shown(section) for section in sections],
            "form": form if language is not None else None,
        },
    )


def _shown(section: Section) -> dict[str, object]:
    return {
        "key": section.key,
        "title": section.title,
        "rows": [
            [
                (section.label(name), _readable(section.shown(name, value)))
                for name, value in row.items()
                if value
            ]
            for row in section.rows
        ],
    }


def _readable(value: object) -> object:
    """A time from a download ("2026-12-07T05:20+02:00") as the page's language writes one."""
    if isinstance(value, str) and TIMESTAMP.match(value):
        return formats.date_format(datetime.fromisoformat(value), "SHORT_DATETIME_FORMAT")
    return value


@never_cache
@require_GET
def my_data_download(request: HttpRequest, format: str) -> HttpResponse:
    if format not in FORMATS:
        raise Http404
    phone = mine_phone(request)
    if phone is None:
        return _no_number(request)
    sections = messaging.number_data(phone=phone, download=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if format == "json":
        body = json.dumps(
            {
                "number": phone,
                "exported_at": when(timezone.now()),
                "site": settings.SITE_NAME,
                "sections": [
                    {"key": s.key, "title": str(s.title), "rows": list(s.rows)} for s in sections
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        stream = io.StringIO()
        stream.write("\ufeff")  # Excel opens Hebrew UTF-8 with the byte-order mark
        write_csv(
            stream,
            [["section", "record", "field", "value"]]
            + [
                [section.key, index, name, value]
                for section in sections
                for index, row in enumerate(section.rows, start=1)
                for name, value in row.items()
            ],
        )
        response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.{format}"'
    return response


@require_GET
def my_data_delete(request: HttpRequest) -> HttpResponse:
    """What deleting means, and the one button that does it."""
    phone = mine_phone(request)
    if phone is None:
        return _no_number(request)
    return render(request, "demand/my_data_delete.html", {"masked": mask_phone(phone)})


@require_POST
def my_data_erase(request: HttpRequest) -> HttpResponse:
    phone = mine_phone(request)
    if phone is None:
        return _no_number(request)
    messaging.number_erase(phone=phone)
    request.session.pop(MINE_KEY, None)
    request.session.pop(FLOW_KEY, None)
    response = render(request, "demand/my_data_deleted.html", {"masked": mask_phone(phone)})
    forget(response, request, phone_digest(phone))
    return response
