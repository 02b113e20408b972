"""Storefront pages rendered once per version of the data they show (`core.versions`).

A page is the same for every visitor who is not signed in and has no message waiting: its key
is the language, the local date (arrival dates and "confirmed today" read against it) and the
full path with its query. Only a canonical address is kept: each page names the query
parameters it reads (and, where a value can be wrong, which values it knows); an address with
anything else is sent to the same address without it, so a stranger's `?utm_x=1`, `?utm_x=2`…
costs one redirect each, not a page kept for a day. The only per-visitor part of such a page,
the CSRF token of its forms, is left as a hole when the page is kept and filled in on every
request. Staff, and a visitor with a message to show, get the page rendered for them,
uncached.
"""

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from core.language import current_language
from core.versions import Depends, cached, read_once

Context = dict[str, Any]
# Stands in for the CSRF token in a kept page; replaced by the visitor's own on each request.
CSRF_HOLE = "csrf-token-of-this-visitor"


# The query parameters a page reads: a name, and the test its value must pass (None: any value).
Reads = Mapping[str, Callable[[str], bool] | None]


def page(
    request: HttpRequest,
    template: str,
    build: Callable[[Depends], Context],
    *,
    reads: Reads | None = None,
    render_page: Callable[[HttpRequest, Context, bool], str] | None = None,
) -> HttpResponse:
    """`template` rendered with `build(depends)`'s context, from the cache when it can be.

    An address with a query parameter the page does not read (`reads`), or a value it does not
    know, is redirected to its canonical address first. `build` may raise Http404 (nothing is
    kept then)."""
    canonical = canonical_path(request, reads or {})
    if canonical is not None:
        return HttpResponseRedirect(canonical)
    if not _same_for_everyone(request):
        if render_page is not None:
            return HttpResponse(render_page(request, build(Depends(tracked=False)), False))
        return render(request, template, build(Depends(tracked=False)))

    def render_kept(depends: Depends) -> str:
        context = {**build(depends), "csrf_token": CSRF_HOLE}
        if render_page is not None:
            return render_page(request, context, True)
        return render_to_string(template, context, request=request)

    with read_once():  # the page and its kept parts check each version once
        html = cached(page_key(request), render_kept)
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    return HttpResponse(html)


def canonical_path(request: HttpRequest, reads: Reads) -> str | None:
    """The address without the parameters the page does not read (nor values it does not
    know), or None when the request's address is already that."""
    kept = request.GET.copy()
    for name, values in request.GET.lists():
        if name not in reads:
            del kept[name]
            continue
        valid = reads[name]
        if valid is not None:
            kept.setlist(name, [value for value in values if valid(value)])
            if not kept.getlist(name):
                del kept[name]
    if kept == request.GET:
        return None
    query = kept.urlencode()
    return f"{request.path}?{query}" if query else request.path


def page_key(request: HttpRequest) -> str:
    asked = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    kind = "htmx" if getattr(request, "htmx", False) else "page"
    return f"{kind}:{current_language()}:{timezone.localdate().isoformat()}:{asked}"


def _same_for_everyone(request: HttpRequest) -> bool:
    # len() of the message storage reads it without marking the messages as shown.
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )
