from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations.views.tokens import tokens
from sinorus import views
from sinorus.security import ThrottledAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"
    ),
    path("accounts/tokens/", tokens, name="tokens"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("annotations.urls")),
    path("", include("articles.urls")),
]
