from django.urls import path

from . import views

app_name = "demand"
urlpatterns = [
    path("alerts/", views.signup, name="signup"),
    path("alerts/confirm/", views.confirm, name="confirm"),
    path("alerts/done/", views.done, name="done"),
    path("alerts/find/", views.find, name="find"),
    path("alerts/mine/", views.mine, name="mine"),
    path("pairs/hold/", views.pair_request, {"kind": "hold"}, name="pair_hold"),
    path("pairs/bring/", views.pair_request, {"kind": "bring"}, name="pair_bring"),
    path("pairs/done/", views.request_done, name="request_done"),
    # Short: it is in every text, where each character counts.
    path("a/<str:token>", views.manage, name="manage"),
    path("a/<str:token>/pickup", views.pickup, name="pickup"),
    # Beside the transfer queue (staff/transfers/…), which inventory serves.
    path("staff/transfers/suggested/", views.transfer_suggestions, name="transfer_suggestions"),
    path(
        "staff/transfers/suggested/refresh/",
        views.transfer_suggestions_refresh,
        name="transfer_suggestions_refresh",
    ),
    path(
        "staff/transfers/suggested/<int:pk>/approve/",
        views.transfer_suggestion_approve,
        name="transfer_suggestion_approve",
    ),
    path(
        "staff/transfers/suggested/<int:pk>/dismiss/",
        views.transfer_suggestion_dismiss,
        name="transfer_suggestion_dismiss",
    ),
]
