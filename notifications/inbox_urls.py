from django.urls import path

from . import inbox_views as views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation_detail, name="conversation"),
    path("<int:pk>/answer/", views.conversation_answer, name="answer"),
    path("<int:pk>/close/", views.conversation_close, name="close"),
    path("segments/", views.segments, name="segments"),
    path("holds/<int:pk>/message/", views.hold_message, name="hold_message"),
    path("transfers/<int:pk>/message/", views.transfer_message, name="transfer_message"),
]
