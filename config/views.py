"""Views that belong to the deployment rather than to an app."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the process serves requests and reaches its database (container health checks)."""
    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")
