"""Staff acting on a customer's hold or request from their conversation, under
/staff/inbox/ beside the messaging layer's inbox pages (config/urls.py)."""

from django.urls import path

from . import views

app_name = "inbox_actions"
urlpatterns = [
    path("<int:pk>/act/", views.conversation_act, name="act"),
]
