from django.urls import path

from firstcall.taxonomy import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.phenomenon_browser, name="browser"),
    path("picker/", views.phenomenon_picker, name="picker"),
]
