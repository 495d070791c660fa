from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sinorus import views
from sinorus.security import ThrottledAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"
    ),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("annotations.urls")),
    path("", include("articles.urls")),
]
