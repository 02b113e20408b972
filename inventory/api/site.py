"""The till API itself: the NinjaAPI object, who may read its docs, and the till key check."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

from ..models import TillToken
from ..tills import till_authenticate


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """/api/docs and the OpenAPI schema: for anyone where `API_DOCS_PUBLIC` is on (the
    embedded default), for logged-in staff only otherwise (production)."""
    for_staff = staff_member_required(view)

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.API_DOCS_PUBLIC:
            return view(request, *args, **kwargs)
        return for_staff(request, *args, **kwargs)

    return guarded


class TillKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> TillToken | None:
        return till_authenticate(raw_key=token)


api = NinjaAPI(
    title="Till API",
    version="1",
    description=(
        "Stores' tills post their sales, returns, receipts and counts, and read stock. "
        "Authenticate with `Authorization: Bearer <till key>`; keys are made per till in the "
        "admin (Till tokens) and can be revoked there. Posting the same line reference twice "
        "is harmless: the second time it is reported as a duplicate and changes nothing; a "
        "different line under a used reference is refused as a conflict (409)."
    ),
    auth=TillKey(),
    urls_namespace="api",
    docs_decorator=_docs_access,
)
