from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from config.views import favicon, healthz, readyz
from inventory.api import api as till_api
from inventory.api import not_found as api_not_found

urlpatterns: list[URLPattern | URLResolver] = [
    # Liveness (the process answers) and readiness (it can serve: see config/health.py).
    path("healthz/", healthz, name="healthz"),
    path("readyz/", readyz, name="readyz"),
    # Browsers and bots ask for /favicon.ico whatever the page links: send them the icon.
    path("favicon.ico", favicon, name="favicon"),
    # Twilio's webhooks: fixed URLs, no language prefix.
    path("sms/", include("notifications.webhooks_urls")),
    # The tills' JSON API: one address whatever the language (docs at /api/docs).
    path("api/", till_api.urls),
    re_path(r"^api/", api_not_found, name="api-not-found"),
]

# Hebrew at the root, English under /en/.
urlpatterns += i18n_patterns(
    # The customers' pages first: most requests are theirs, and none of their addresses
    # (/, /sneakers/…, /stores/) is claimed by the apps below.
    path("", include("storefront.urls")),
    # set_language reads `next` in the language of its own address: posted to /en/i18n/…
    # from an English page it can map /en/… back to the Hebrew page (from /i18n/ it cannot).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Every staff page is under /staff/: stock, transfers and holds (inventory), suggested
    # transfers and declining a customer's request (demand), the customer-experience
    # dashboard and buying report (insights), the store inbox (notifications).
    path("staff/", include("inventory.urls")),
    path("staff/transfers/suggested/", include("demand.staff_urls")),
    path("staff/transfers/", include("demand.decline_urls")),
    path("staff/cx/", include("insights.urls")),
    path("staff/launches/", include("demand.launch_staff_urls")),
    path("staff/inbox/", include("notifications.inbox_urls")),
    path("staff/inbox/", include("demand.inbox_urls")),
    # The customers' requests, the rating page, the debug inbox.
    path("", include("demand.urls")),
    path("", include("reviews.urls")),
    path("", include("notifications.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
