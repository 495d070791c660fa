"""The user's API tokens page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from annotations.models import ApiToken
from annotations.services.tokens import token_issue, token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Create a token (shown once) or revoke one of the user's own."""
    new_secret = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            pk = request.POST.get("revoke", "")
            valid = pk.isdecimal() and len(pk) < 19
            token = ApiToken.objects.filter(user=request.user, pk=int(pk)).first() if valid else None
            if token is None:
                raise Http404("No such token.")
            token_revoke(token=token)
            messages.success(request, "Token revoked: it no longer works.")
            return redirect("tokens")
        new_secret = token_issue(user=request.user, label=request.POST.get("label", "")[:100])
    context = {"tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"), "new_secret": new_secret}
    return render(request, "registration/tokens.html", context)
