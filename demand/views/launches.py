"""A launch draw's public pages: entering (the alerts' code flow and channel choice, then one
entry per number), and the result — the commitment from the start, after the draw the seed and
every store's size in drawn order, masked, so anyone can recompute it."""

from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.clientip import client_ip
from core.errors import DomainError
from core.http import parse_id
from core.phones import phone_digest

from .. import selectors, services
from ..forms import LaunchEntryForm
from ..models import Launch
from ..services import PairWanted, RequestsDone, code_flow
from .session import FLOW_KEY, REQUESTS_DONE_KEY, known


def _launch(pk: int) -> Launch:
    launch = get_object_or_404(Launch.objects.select_related("product__brand"), pk=pk)
    if launch.status == Launch.Status.CANCELLED:
        raise Http404
    return launch


@require_http_methods(["GET", "POST"])
def launch_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw's page: how it works and when, and the entry form while entries are open."""
    launch = _launch(pk)
    now = timezone.now()
    choices = selectors.launch_choices(launch)
    drawn = [(a.store, a.variant) for a in choices]
    form = LaunchEntryForm(request.POST or None, drawn=drawn)
    is_open = launch.is_open(now)
    if request.method == "POST" and is_open and form.is_valid():
        response = _enter(request, launch, form)
        if response is not None:
            return response
    return render(
        request,
        "demand/launch.html",
        {
            "launch": launch,
            "product": launch.product,
            "form": form,
            "is_open": is_open,
            "not_yet": now < launch.opens_at,
            "stores": len({store.pk for store, _v in drawn}),
            "pairs": sum(a.pairs for a in choices),
        },
        status=400 if form.errors else 200,
    )


def _enter(request: HttpRequest, launch: Launch, form: LaunchEntryForm) -> HttpResponse | None:
    """Enter a number this browser confirmed before at once; else text a code and carry the
    entry through the code flow. None (with the form's error) when refused."""
    data = form.cleaned_data
    phone, language = data["phone"], data["language"]
    digest = phone_digest(phone)
    flow = code_flow(request.session.get(FLOW_KEY), digest=digest, tail=phone[-2:])
    wanted = PairWanted(
        kind="launch",
        variant_id=data["variant"],
        store_id=data["store"],
        language=language,
        result_text=data["result_text"],
    )
    try:
        start = services.pair_request_start(
            phone=phone,
            language=language,
            client_ip=client_ip(request),
            trusted=digest in known(request),
            verification_id=flow.verification_id,
            channel=data.get("channel") or None,
            kind="launch",
            consent=form.consent(page=request.get_full_path()),
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    if start.confirmed:
        outcomes = services.requests_fulfil(
            phone=phone, wanted=[wanted], client_ip=client_ip(request)
        )
        request.session[REQUESTS_DONE_KEY] = RequestsDone(
            outcomes=tuple(outcomes), digest=digest
        ).to_session()
        return redirect("demand:request_done")
    request.session[FLOW_KEY] = (
        flow.with_request(wanted, product=launch.product.get_absolute_url())
        .waiting_for(start.verification_id)
        .to_session()
    )
    return redirect("demand:confirm")


@require_safe
def launch_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The commitment; after the draw the seed, every store's size, and the drawn order of the
    one asked for (`?group=`)."""
    launch = _launch(pk)
    public = selectors.launch_public(launch, allocation_id=parse_id(request.GET.get("group")))
    return render(
        request,
        "demand/launch_result.html",
        {
            "launch": launch,
            "product": launch.product,
            "public": public,
            "chosen": next((g for g in public.groups if g.rows), None),
        },
    )


@require_safe
def launch_result_list(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The whole published list after the draw, as CSV: store, size, place, entry code, masked
    number, won — with the seed, what anyone needs to recompute the order."""
    launch = _launch(pk)
    if launch.seed_published_at is None:
        raise Http404
    sizes = {a.variant_id: a.variant.size_label for a in selectors.launch_choices(launch)}
    stores = {a.store_id: a.store.code for a in selectors.launch_choices(launch)}

    def lines() -> Iterator[str]:
        yield f"# seed {launch.seed}\n# commitment {launch.commitment}\n"
        yield "store,size,place,entry_code,number,won\n"
        for store_id, variant_id, code, phone, rank, hold_id in selectors.launch_published_rows(
            launch
        ):
            won = "1" if hold_id is not None else "0"
            store, size = stores.get(store_id, store_id), sizes.get(variant_id, variant_id)
            yield f"{store},{size},{rank},{code},{selectors.published_number(phone)},{won}\n"

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{launch.pk}.csv"'
    return response
