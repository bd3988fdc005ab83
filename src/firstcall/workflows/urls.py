from django.urls import path

from firstcall.workflows import views_lists, views_ticket

app_name = "workflows"

urlpatterns = [
    path("todo/", views_lists.todo, name="todo"),
    path("done/", views_lists.done, name="done"),
    path("search/", views_lists.search, name="search"),
    path("search/export.xlsx", views_lists.export, name="export"),
    path("tickets/<slug:code>/", views_ticket.ticket_page, name="ticket"),
    path("tickets/<slug:code>/diagram.bpmn", views_ticket.diagram, name="diagram"),
    path("tickets/<slug:code>/items/<int:pk>/claim/", views_ticket.claim, name="claim"),
    path("tickets/<slug:code>/items/<int:pk>/act/", views_ticket.act, name="act"),
    path("tickets/<slug:code>/items/<int:pk>/transfer/", views_ticket.transfer, name="transfer"),
    path(
        "tickets/<slug:code>/items/<int:pk>/redispatch/",
        views_ticket.redispatch,
        name="redispatch",
    ),
    # The ticket-level operations, one address each (chase/, stage-reply/, cancel/, ...).
    *(
        path(
            f"tickets/<slug:code>/{name.replace('_', '-')}/",
            views_ticket.operation,
            {"name": name},
            name=f"op_{name}",
        )
        for name in views_ticket.OPERATIONS
    ),
]
