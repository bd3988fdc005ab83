from django.urls import path

from firstcall.core import views

app_name = "core"

urlpatterns = [
    path("audit/", views.change_list, name="change_list"),
    path("audit/<int:pk>/", views.change_detail, name="change_detail"),
    path("system/background/", views.background_work, name="background"),
    path("system/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
