from django.urls import path

from firstcall.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("panel/<slug:name>/", views.panel, name="panel"),
    path("repair/", views.repair, name="repair"),
]
