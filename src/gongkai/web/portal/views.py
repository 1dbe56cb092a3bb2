"""Public portal: the platform home page and one page per agency."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.core.models import Agency


def public_agencies():  # type: ignore[no-untyped-def]
    """The only way the portal lists agencies: active ones."""
    return Agency.objects.filter(is_active=True)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"agencies": public_agencies()})


def agency_home(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(public_agencies(), slug=slug)
    return render(
        request,
        "portal/agency.html",
        {"agency": agency, "children": public_agencies().filter(parent=agency)},
    )
