"""A person's page, the id an exported annotation gives its creator: HTML for readers, JSON-LD for tools."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from annotations.access import person_for_viewing
from annotations.formats.w3c import CONTEXT
from annotations.pages.people import person_page

JSON_TYPES = ("application/ld+json", "application/json")


@require_safe
def person(request: HttpRequest, username: str) -> HttpResponse:
    found = person_for_viewing(request.user, username)
    if request.get_preferred_type(["text/html", *JSON_TYPES]) in JSON_TYPES:
        data = {
            "@context": CONTEXT,
            "id": request.build_absolute_uri(request.path),
            "type": "Person",
            "nickname": found.username,
        }
        response = JsonResponse(data, content_type="application/ld+json")
    else:
        response = render(request, "annotations/person.html", person_page(found, request.GET.get("page")))
    response["Vary"] = "Accept, Cookie"
    return response
