from django.urls import path

from firstcall.tickets import views

app_name = "tickets"

urlpatterns = [
    path("<slug:code>/", views.ticket_detail, name="detail"),
    path("<slug:code>/notes/", views.add_note, name="add_note"),
]
