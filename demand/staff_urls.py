"""Staff's suggested transfers, under /staff/transfers/suggested/ beside inventory's transfer
queue (config/urls.py mounts every staff page under /staff/)."""

from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.transfer_suggestions, name="list"),
    path("refresh/", views.transfer_suggestions_refresh, name="refresh"),
    path("<int:pk>/approve/", views.transfer_suggestion_approve, name="approve"),
    path("<int:pk>/dismiss/", views.transfer_suggestion_dismiss, name="dismiss"),
]
