"""Views that belong to the deployment rather than to an app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the process serves requests and reaches its database (container health checks)."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bots ask for whatever a page links: the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
