"""Provider webhooks, outside the language prefixes (config/urls.py mounts them at /sms/)."""

from django.urls import path

from . import webhooks

app_name = "sms_webhooks"
urlpatterns = [
    path("status/", webhooks.status_callback, name="status"),
    path("inbound/", webhooks.inbound, name="inbound"),
]
