from django.urls import path

from . import buying_views, views

app_name = "insights"
urlpatterns = [
    path("", views.cx_dashboard, name="dashboard"),
    path("flags/<int:pk>/handle/", views.flag_handle, name="flag_handle"),
    path("buying/", buying_views.buying_report, name="buying_report"),
]
