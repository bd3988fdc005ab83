from django.urls import path

from firstcall.sla import views

app_name = "sla"

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
]
