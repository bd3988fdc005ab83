from django.urls import path

from firstcall.navigation import views, views_call

app_name = "navigation"

urlpatterns = [
    path("", views.start_call, name="start"),
    path("experts/", views_call.expert_queue, name="expert_queue"),
    path("<int:pk>/", views_call.call, name="call"),
    path("<int:pk>/diagram.xml", views.diagram, name="diagram"),
    path("<int:pk>/flow/", views.flow_panel, name="flow"),
    path("<int:pk>/page/", views.step_page, name="step_page"),
    path("products/", views.product_info, name="product_info"),
    path("<int:pk>/flow/<slug:action>/", views.flow_action, name="flow_action"),
    path("<int:pk>/end/<slug:outcome>/", views_call.end_call, name="end"),
    path("<int:pk>/caller/", views_call.record_caller, name="caller"),
    path("<int:pk>/routing/", views_call.routing_preview, name="routing"),
]
