"""The storefront without the alerts app's pages: the product page must not offer "notify me"."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = i18n_patterns(
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("catalog.urls")),
    prefix_default_language=False,
)
