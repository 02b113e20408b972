from django.urls import path

from . import buying_views, views

app_name = "insights"
urlpatterns = [
    path("staff/cx/", views.cx_dashboard, name="dashboard"),
    path("staff/cx/flags/<int:pk>/handle/", views.flag_handle, name="flag_handle"),
    path("staff/cx/buying/", buying_views.buying_report, name="buying_report"),
]
