from django.urls import path

from firstcall.accounts import views, views_roles, views_users

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.choose_language, name="language"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views_users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views_users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/roles/add/", views_users.membership_add, name="membership_add"),
    path("memberships/<int:pk>/remove/", views_users.membership_remove, name="membership_remove"),
    path("roles/", views_roles.role_list, name="role_list"),
    path("roles/new/", views_roles.role_create, name="role_create"),
    path("roles/<int:pk>/edit/", views_roles.role_edit, name="role_edit"),
    path("tokens/", views_roles.token_list, name="token_list"),
    path("tokens/new/", views_roles.token_issue, name="token_issue"),
    path("tokens/<int:pk>/revoke/", views_roles.token_revoke, name="token_revoke"),
]
