from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("alerts/", views.signup, name="signup"),
    path("alerts/confirm/", views.confirm, name="confirm"),
    path("alerts/done/", views.done, name="done"),
    path("alerts/find/", views.find, name="find"),
    path("alerts/mine/", views.mine, name="mine"),
    # Short: it is in every text, where each character counts.
    path("a/<str:token>", views.manage, name="manage"),
    path("a/<str:token>/pickup", views.pickup, name="pickup"),
    path("dev/sms/", views.dev_inbox, name="dev_inbox"),
]
