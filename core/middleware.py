"""Request timing for the metrics: one histogram observation per answer, by view."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import metrics


def _view_name(request: HttpRequest) -> str:
    """The URL's name ("storefront:product"), never the path (which may hold a number or a
    token): a bounded label."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


class RequestMetricsMiddleware:
    """Observe each request's time under its view, method and status class."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        metrics.HTTP_REQUESTS.labels(
            view=_view_name(request), method=method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
