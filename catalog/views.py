from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("home")


def product_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("list")


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)


def store_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stores")
