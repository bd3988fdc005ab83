"""The project's URLs with the SLA app's, for the tests until the root URLconf includes it."""

from django.urls import include, path

from firstcall.urls import urlpatterns as project

urlpatterns = [path("sla/", include("firstcall.sla.urls")), *project]
