from django.contrib import admin
from django.urls import include, path

from firstcall.api import api
from firstcall.core.admin import admin_login

admin.site.site_header = "FirstCall"
admin.site.site_title = "FirstCall"

urlpatterns = [
    # Sign-in goes through FirstCall's own throttled login page, the admin's included; the admin
    # itself is for superusers only (core.admin.superusers_only).
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("firstcall.accounts.urls")),
    path("orgs/", include("firstcall.orgs.urls")),
    path("", include("firstcall.core.urls")),  # audit/ and system/
    path("integrations/", include("firstcall.integrations.urls")),
    path("taxonomy/", include("firstcall.taxonomy.urls")),
    path("rules/", include("firstcall.rules.urls")),
    path("tickets/", include("firstcall.tickets.urls")),
    path("backoffice/", include("firstcall.workflows.urls")),
    path("sla/", include("firstcall.sla.urls")),
    path("agent/calls/", include("firstcall.navigation.urls")),
    path("agent/", include("firstcall.customers.urls")),
    path("", include("firstcall.web.urls")),
]
