"""The privacy notice and the accessibility statement: fixed pages in both languages, linked
from the footer and from every form that takes a mobile number."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/privacy.html",
        {
            "retention_days": settings.ALERT_RETENTION_DAYS,
            "contact": settings.PRIVACY_CONTACT_EMAIL,
            "updated": settings.PRIVACY_NOTICE_DATE,
        },
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "storefront/accessibility.html",
        {
            "contact": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "updated": settings.PRIVACY_NOTICE_DATE,
        },
    )
