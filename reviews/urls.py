from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("r/<str:token>/", views.rate, name="rate"),
    path("r/c/<str:token>/", views.rate_conversation, name="rate_conversation"),
    path("feedback/", views.site_feedback, name="site_feedback"),
]
