"""Staff back office: login, dashboard, agencies and the audit log."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core import clock
from gongkai.core.models import AuditEvent
from gongkai.core.permissions import staff_required
from gongkai.core.scoping import (
    agency_get_for_user,
    agency_list_for_user,
    scope_to_user,
    staff_agency,
)


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@staff_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    agency = staff_agency(user)
    reminder = None
    if agency is not None and user.has_perm("core.edit_annual_report"):
        from gongkai.ledger.annual.selectors import annual_reminder

        reminder = annual_reminder(agency=agency, today=clock.today())
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "agency": agency,
            "reminder": reminder,
            "roles": [g.name for g in user.groups.all()],
            "today": clock.today(),
            "visible_agencies": agency_list_for_user(user).count(),
        },
    )


@staff_required()
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "backoffice/agency_list.html", {"agencies": agency_list_for_user(request.user)}
    )


@staff_required()
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_get_for_user(user=request.user, agency_id=agency_id)
    return render(
        request,
        "backoffice/agency_detail.html",
        {"agency": agency, "staff": agency.staff.select_related("user").order_by("user__username")},
    )


@staff_required("view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    events = scope_to_user(AuditEvent.objects.select_related("agency"), request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "backoffice/audit_log.html", {"page": page})
