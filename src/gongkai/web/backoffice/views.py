"""Staff back office: login, dashboard, agencies and the audit log."""

from __future__ import annotations

from typing import Any

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
from gongkai.core.security import lockout, totp
from gongkai.core.security.client_ip import client_ip
from gongkai.core.security.middleware import mark_signed_in
from gongkai.web.backoffice.security.forms import LockoutAuthenticationForm
from gongkai.web.backoffice.security.views import start_two_factor


class LoginView(auth_views.LoginView):
    """Password sign-in with lockout; accounts with two-step sign-in continue to the code step."""

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True
    authentication_form = LockoutAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["max_failures"] = lockout.max_failures()
        context["lockout_minutes"] = int(lockout.lockout_duration().total_seconds() // 60)
        return context

    def form_valid(self, form: LockoutAuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if totp.enabled_for(user):
            return start_two_factor(self.request, user, self.get_success_url())
        response = super().form_valid(form)
        mark_signed_in(self.request, user)
        lockout.login_succeeded(user=user, ip=client_ip(self.request))
        return response


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
    from gongkai.web.backoffice.requests.views import dashboard_panel_context

    return render(
        request,
        "backoffice/dashboard.html",
        {
            **dashboard_panel_context(request),
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
