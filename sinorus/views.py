from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sinorus.forms import SignupForm
from sinorus.throttle import SIGN_UP, client_ip, record, too_many, wait_seconds


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("articles:list")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request)
        if wait := wait_seconds(SIGN_UP, ip=ip):
            return too_many(request, "Too many sign-ups from your network.", wait)
        record(SIGN_UP, ip=ip)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("articles:list")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: create one (shown once), revoke any."""
    from annotations.models import ApiToken
    from annotations.services import token_issue, token_revoke

    new_secret = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(user=request.user, pk=request.POST.get("revoke", "0") or 0).first()
            if token is None:
                raise Http404("No such token.")
            token_revoke(token=token)
            messages.success(request, "Token revoked: it no longer works.")
            return redirect("tokens")
        new_secret = token_issue(user=request.user, label=request.POST.get("label", "")[:100])
    context = {"tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"), "new_secret": new_secret}
    return render(request, "registration/tokens.html", context)
