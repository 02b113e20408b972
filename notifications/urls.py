from django.urls import path

from . import reveal, views

app_name = "notifications"
urlpatterns = [
    path("dev/sms/", views.dev_inbox, name="dev_inbox"),
    path("staff/numbers/<slug:kind>/<int:pk>/", reveal.phone_reveal, name="phone_reveal"),
]
