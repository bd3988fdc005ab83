from django.urls import path

from firstcall.rules import views

app_name = "rules"

urlpatterns = [
    path("", views.rule_set_list, name="list"),
    path("<slug:key>/", views.rule_set_detail, name="detail"),
    path("<slug:key>/console/", views.console, name="console"),
    path("<slug:key>/<slug:action>/", views.rule_set_edit, name="edit"),
]
