"""The storefront without the alerts app's pages: the product page must not offer "notify me"."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]
urlpatterns += i18n_patterns(path("", include("catalog.urls")), prefix_default_language=False)
