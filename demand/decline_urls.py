"""Staff decline a customer's request, under /staff/transfers/ beside inventory's transfer pages
(config/urls.py mounts every staff page under /staff/): the decline writes the customer's text,
which is this app's."""

from django.urls import path

from . import views

app_name = "declines"
urlpatterns = [
    path("<int:pk>/decline/", views.transfer_decline, name="decline"),
]
