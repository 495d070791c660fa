from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
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
