from django.urls import path

from . import buying_views, views

app_name = "reviews"
urlpatterns = [
    path("r/<str:token>/", views.rate, name="rate"),
    path("feedback/", views.site_feedback, name="site_feedback"),
    path("staff/cx/", views.cx_dashboard, name="dashboard"),
    path("staff/cx/flags/<int:pk>/handle/", views.flag_handle, name="flag_handle"),
    path("staff/cx/buying/", buying_views.buying_report, name="buying_report"),
]
