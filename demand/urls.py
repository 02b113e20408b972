from django.urls import path

from . import views

app_name = "demand"
urlpatterns = [
    path("alerts/", views.signup, name="signup"),
    path("alerts/confirm/", views.confirm, name="confirm"),
    path("alerts/done/", views.done, name="done"),
    path("alerts/find/", views.find, name="find"),
    path("alerts/mine/", views.mine, name="mine"),
    path("alerts/mine/data/", views.my_data, name="my_data"),
    path("alerts/mine/data.<str:format>", views.my_data_download, name="my_data_download"),
    path("alerts/mine/delete/", views.my_data_delete, name="my_data_delete"),
    path("alerts/mine/delete/confirm/", views.my_data_erase, name="my_data_erase"),
    path("pairs/hold/", views.pair_request, {"kind": "hold"}, name="pair_hold"),
    path("pairs/bring/", views.pair_request, {"kind": "bring"}, name="pair_bring"),
    path("pairs/done/", views.request_done, name="request_done"),
    path("draws/<int:pk>/", views.launch_enter, name="launch"),
    path("draws/<int:pk>/result/", views.launch_result, name="launch_result"),
    path("draws/<int:pk>/result.csv", views.launch_result_list, name="launch_result_list"),
    # Short: it is in every text, where each character counts.
    path("a/<str:token>", views.manage, name="manage"),
    path("a/<str:token>/pickup", views.pickup, name="pickup"),
]
