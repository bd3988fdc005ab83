from django.urls import path

from firstcall.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.system_list, name="system_list"),
    path("probe/", views.system_probe, name="system_probe"),
    path("calls/", views.call_list, name="call_list"),
    path("<slug:name>/edit/", views.system_edit, name="system_edit"),
]
