from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations.views.tokens import tokens
from sinorus import security, views

# The admin signs in through the same throttle as the site: without it, /admin/login/ would be
# an unlimited password guesser for staff accounts.
admin.site.login_form = security.ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", security.LoginView.as_view(), name="login"),
    path("accounts/tokens/", tokens, name="tokens"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", security.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Password reset works by mail only: 404 on a server that has no mail configured.
    path(
        "accounts/password_reset/",
        security.mail_required(security.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        security.mail_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        security.mail_required(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        security.mail_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("", include("annotations.urls")),
    path("", include("articles.urls")),
]
