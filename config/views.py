"""Views that belong to the deployment rather than to an app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the process serves requests and reaches its database (container health checks)."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this process can take traffic (database with every migration applied, Redis,
    the broker, an SMS backend); 503 naming what is not ready. Compose gates web on it."""
    ready, lines = health.readiness()
    body = ("ready\n" if ready else "not ready\n") + "\n".join(lines) + "\n"
    return HttpResponse(body, status=200 if ready else 503, content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bots ask for whatever a page links: the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
