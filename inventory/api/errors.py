"""Every error the till API answers, whatever raised it, in one shape (`ErrorOut`)."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ..tills import (
    MAX_BATCH_LINES,
    TillBatchInsufficient,
    TillBatchRejected,
    TillReferenceConflict,
)
from .site import api


def _error(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    response = api.create_response(
        request, {"detail": detail, "errors": errors or []}, status=status
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="till"'
    return response


def _pydantic_error(raw: dict[str, Any]) -> dict[str, Any]:
    loc = list(raw.get("loc", ()))
    # ("body", "batch", "lines", 3, "quantity") → line 3, field "quantity"
    if loc and loc[0] in ("body", "query", "path"):
        loc = loc[2:] if loc[0] == "body" else loc[1:]
    line = None
    if len(loc) >= 2 and loc[0] == "lines" and isinstance(loc[1], int):
        line, loc = loc[1], loc[2:]
    field = ".".join(str(part) for part in loc) or ("lines" if line is not None else "body")
    code = "missing" if raw.get("type") == "missing" else "invalid"
    if code == "missing" and field == "quantity":
        code = "missing_quantity"  # the same code the till checks give a null quantity
    return {"line": line, "field": field, "code": code, "message": raw.get("msg", "")}


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_pydantic_error(raw) for raw in exc.errors]
    return _error(request, 422, _("The request is not valid; nothing was applied."), errors)


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("A valid till key is required: Authorization: Bearer <key>."))


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return _error(
            request,
            400,
            _("The request body is not valid JSON."),
            [{"line": None, "field": "body", "code": "malformed_json", "message": str(exc)}],
        )
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or _("Not found."))


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(
        request,
        413,
        _("The request is too large. A batch holds at most %(max)d lines.")
        % {"max": MAX_BATCH_LINES},
    )


@api.exception_handler(TillBatchRejected)
def _on_batch_rejected(request: HttpRequest, exc: TillBatchRejected) -> HttpResponse:
    status = 409 if isinstance(exc, TillBatchInsufficient | TillReferenceConflict) else 422
    return _error(request, status, exc.message, [error.as_dict() for error in exc.errors])


def not_found(request: HttpRequest) -> HttpResponse:
    """Any address under /api/ that no endpoint matches (a path with a newline, a typo)
    answers in the API's own error shape, not with the storefront's HTML page."""
    return _error(request, 404, _("Not found."))
