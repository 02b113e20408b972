"""Admin pages beyond the model lists: the stock-count upload (preview, then apply) and till keys
(made with the key shown once, revoked by an action). Mixed into the ModelAdmins in stock.py
and stores.py.
"""

import base64
import hashlib
import zlib
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import permissions
from ..counts import (
    CountFileError,
    CountFileInvalid,
    CountPlan,
    stock_count_import,
    stock_count_plan,
)
from ..models import StockLevel, TillToken
from ..tills import till_token_create, till_token_revoke

MAX_COUNT_FILE_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 1000
_SESSION_KEY = "inventory_count_import"


# --- Stock-count upload ----------------------------------------------------------------------


class CountUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Count file (CSV)"),
        help_text=_(
            "Columns: store code, SKU or barcode, counted quantity, with a header row. "
            "UTF-8 or Excel's Hebrew CSV; commas, semicolons or tabs."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_COUNT_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: split it by store."))
        return upload


def _allowed_store_ids(user: Any) -> set[int] | None:
    """None: every store (superusers); otherwise the stores this account may count."""
    if user.is_superuser:
        return None
    return set(permissions.stores_managed_by(user).values_list("pk", flat=True))


def _pending(request: HttpRequest) -> tuple[str, bytes, str] | None:
    stored = request.session.get(_SESSION_KEY)
    if not stored:
        return None
    data = zlib.decompress(base64.b64decode(stored["data"]))
    return stored["name"], data, stored["digest"]


def _remember(request: HttpRequest, name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    # The session, not MEDIA: a count file is nobody's business outside the admin.
    request.session[_SESSION_KEY] = {
        "name": name,
        "digest": digest,
        "data": base64.b64encode(zlib.compress(data, 6)).decode("ascii"),
    }
    return digest


class CountImportMixin:
    """StockLevel admin: "Import count file" → preview of the differences → apply."""

    admin_site: admin.AdminSite

    def get_urls(self) -> list[URLPattern]:
        urls: list[URLPattern] = super().get_urls()  # type: ignore[misc]
        extra = [
            path(
                "import-count/",
                self.admin_site.admin_view(self.import_count_view),
                name="inventory_stocklevel_import_count",
            )
        ]
        return extra + urls

    def import_count_view(self, request: HttpRequest) -> HttpResponse:
        allowed = _allowed_store_ids(request.user)
        if allowed is not None and not allowed:
            raise PermissionDenied
        changelist = reverse("admin:inventory_stocklevel_changelist")
        form = CountUploadForm()
        context: dict[str, Any] = {}

        if request.method == "POST" and "apply" in request.POST:
            pending = _pending(request)
            if pending is None or pending[2] != request.POST.get("digest"):
                messages.warning(
                    request, _("That preview is no longer current; upload the file again.")
                )
                return HttpResponseRedirect(request.path)
            name, data, digest = pending
            plan = stock_count_plan(data=data, name=name, allowed_store_ids=allowed)
            if plan.is_valid:
                try:
                    movements = stock_count_import(plan=plan, user=request.user)
                except CountFileInvalid as exc:
                    plan.problems.extend(exc.problems)
                else:
                    request.session.pop(_SESSION_KEY, None)
                    messages.success(
                        request,
                        ngettext(
                            "%(name)s: %(count)d count applied; %(same)d lines already matched.",
                            "%(name)s: %(count)d counts applied; %(same)d lines already matched.",
                            len(movements),
                        )
                        % {"name": name, "count": len(movements), "same": plan.unchanged},
                    )
                    return HttpResponseRedirect(changelist)
            context.update(self._preview_context(plan, digest))
        elif request.method == "POST":
            form = CountUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                data = upload.read()
                try:
                    plan = stock_count_plan(data=data, name=upload.name, allowed_store_ids=allowed)
                except CountFileError as exc:
                    form.add_error("file", exc.message)
                else:
                    digest = _remember(request, upload.name, data)
                    context.update(self._preview_context(plan, digest))

        context.update(
            {
                **self.admin_site.each_context(request),
                "opts": StockLevel._meta,
                "title": _("Import a stock count"),
                "form": form,
                "changelist_url": changelist,
            }
        )
        response = TemplateResponse(
            request, "admin/inventory/stocklevel/import_count.html", context
        )
        add_never_cache_headers(response)
        return response

    def _preview_context(self, plan: CountPlan, digest: str) -> dict[str, Any]:
        changes = plan.changes
        return {
            "plan": plan,
            "changes": changes[:PREVIEW_ROWS],
            "hidden_changes": max(len(changes) - PREVIEW_ROWS, 0),
            "change_count": len(changes),
            "digest": digest,
        }


# --- Till keys -------------------------------------------------------------------------------


class TillTokenKeysMixin:
    """TillToken admin: "Add" makes a key through the service and shows it once; the "revoke"
    action stops keys. Only the name can be edited afterwards."""

    actions: Any = ["revoke_tokens"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["store", "name"]
        return super().get_fields(request, obj)  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return super().get_readonly_fields(request, obj)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: TillToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            return
        token, raw_key = till_token_create(store=obj.store, name=obj.name)
        for field in ("pk", "prefix", "key_hash", "created_at"):
            setattr(obj, field, getattr(token, field))
        obj._state.adding = False
        request._till_raw_key = raw_key  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: TillToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        raw_key = getattr(request, "_till_raw_key", None)
        if raw_key is None:
            return super().response_add(request, obj, post_url_continue)  # type: ignore[misc]
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": TillToken._meta,
            "title": _("Till key for %(till)s") % {"till": obj},
            "token": obj,
            "raw_key": raw_key,
            "api_docs_url": request.build_absolute_uri("/api/docs"),
            "api_url": request.build_absolute_uri("/api/v1/movements"),
        }
        response = TemplateResponse(request, "admin/inventory/tilltoken/key_created.html", context)
        # The key is on this page and nowhere else: keep it out of every cache.
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Revoke: the till's key stops working"), permissions=["change"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[TillToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            till_token_revoke(token=token)
            count += 1
        messages.success(
            request,
            ngettext("%(count)d till key revoked.", "%(count)d till keys revoked.", count)
            % {"count": count},
        )
