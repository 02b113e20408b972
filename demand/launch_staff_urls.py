"""Head office's launch draws, under /staff/launches/ (config/urls.py)."""

from django.urls import path

from .views import launch_staff

app_name = "launches"
urlpatterns = [
    path("", launch_staff.launch_list, name="list"),
    path("<int:pk>/", launch_staff.launch_detail, name="detail"),
    path("<int:pk>/move/", launch_staff.launch_move, name="move"),
    path("<int:pk>/draw/", launch_staff.launch_draw_now, name="draw"),
    path(
        "<int:pk>/entries/<int:entry_id>/disqualify/",
        launch_staff.launch_disqualify,
        name="disqualify",
    ),
]
