from django.urls import path

from firstcall.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/add/", views.unit_create, name="unit_create"),
]
