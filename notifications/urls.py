from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("dev/sms/", views.dev_inbox, name="dev_inbox"),
]
