from django.urls import path

from . import views

app_name = "inventory"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("finder/", views.finder),
    path("finder/products/<int:pk>/", views.finder_product, name="finder_product"),
    path("transfers/new/", views.transfer_request, name="transfer_request"),
    path("transfers/", views.transfer_queue, {"tab": "dispatch"}, name="transfers"),
    path(
        "transfers/incoming/", views.transfer_queue, {"tab": "incoming"}, name="transfers_incoming"
    ),
    path(
        "transfers/requests/", views.transfer_queue, {"tab": "approve"}, name="transfers_requests"
    ),
    path("transfers/history/", views.transfer_queue, {"tab": "history"}, name="transfers_history"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/dispatch/", views.transfer_dispatch, name="transfer_dispatch"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("transfers/<int:pk>/approve/", views.transfer_approve, name="transfer_approve"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
    path("holds/", views.holds_desk, name="holds"),
    path("holds/<int:pk>/collected/", views.hold_collect, name="hold_collect"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
]
