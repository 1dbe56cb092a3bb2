"""Back office for reconsideration and litigation cases (table 四)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core import clock
from gongkai.core.permissions import has_perm, staff_required
from gongkai.core.scoping import agencies_for_user, staff_agency
from gongkai.ledger.appeals import services
from gongkai.ledger.appeals.aggregation import cell_condition, population
from gongkai.ledger.appeals.models import Litigation
from gongkai.ledger.appeals.selectors import (
    appeal_get_for_user,
    litigation_list_for_user,
    reconsideration_list_for_user,
)
from gongkai.ledger.requests.services.base import ApplicationError, StaleApplication
from gongkai.statutory.formats import T4Cell, T4Group
from gongkai.web.backoffice.appeals.forms import AppealForm, ConcludeForm
from gongkai.web.backoffice.requests.views import cases_required

KIND_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}


def _filter(qs: Any, request: HttpRequest) -> Any:
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        agency = agencies_for_user(request.user).filter(pk=int(agency_id)).first()
        if agency is None:
            raise Http404("未找到该机关")
        if request.GET.get("region") == "1":
            qs = qs.filter(agency__path__startswith=agency.path)
        else:
            qs = qs.filter(agency=agency)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(population(int(year)))
        cell = request.GET.get("cell", "")
        if cell in T4Cell._value2member_map_:
            qs = qs.filter(cell_condition(cell, int(year)))
    result = request.GET.get("result", "")
    if result:
        qs = qs.filter(result=result)
    return qs


@cases_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("group", "")
    recs = _filter(reconsideration_list_for_user(request.user), request)
    lits = _filter(litigation_list_for_user(request.user), request)
    if group == T4Group.REV:
        lits = lits.none()
    elif group == T4Group.LIT_DIRECT:
        recs, lits = recs.none(), lits.filter(route=Litigation.Route.DIRECT)
    elif group == T4Group.LIT_AFTER_REV:
        recs, lits = recs.none(), lits.filter(route=Litigation.Route.AFTER_RECONSIDERATION)
    cases = [("reconsideration", c) for c in recs] + [("litigation", c) for c in lits]
    cases.sort(key=lambda kc: (kc[1].filed_on, kc[1].pk), reverse=True)
    return render(
        request,
        "backoffice/appeals/list.html",
        {
            "cases": cases,
            "kind_labels": KIND_LABELS,
            "filtered": bool(request.GET),
            "can_register": has_perm(request.user, "handle_application"),
        },
    )


@staff_required("handle_application")
def appeal_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KIND_LABELS:
        raise Http404("没有这种案件")
    agency = staff_agency(request.user)
    if agency is None:
        raise PermissionDenied("请以机关工作人员身份登记")
    form = AppealForm(request.POST or None, agency=agency, kind=kind)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if kind == "reconsideration":
                case: Any = services.reconsideration_register(
                    agency=agency,
                    actor=request.user,
                    body=d["body"],
                    appellant=d["appellant"],
                    filed_on=d["filed_on"],
                    applications=d["applications"],
                    case_number=d.get("case_number", ""),
                    notes=d.get("notes", ""),
                )
            else:
                case = services.litigation_register(
                    agency=agency,
                    actor=request.user,
                    court=d["body"],
                    appellant=d["appellant"],
                    filed_on=d["filed_on"],
                    route=d["route"],
                    reconsideration=d.get("reconsideration"),
                    applications=d["applications"],
                    case_number=d.get("case_number", ""),
                    notes=d.get("notes", ""),
                )
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记{KIND_LABELS[kind]}案件。")
            return redirect("backoffice:appeals:detail", kind, case.pk)
    return render(
        request, "backoffice/appeals/form.html", {"form": form, "kind_label": KIND_LABELS[kind]}
    )


@cases_required
def appeal_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    case = appeal_get_for_user(user=request.user, kind=kind, case_id=pk)
    form = ConcludeForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if not has_perm(request.user, "handle_application"):
            raise PermissionDenied("您没有登记复议诉讼结果的权限")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.appeal_conclude(
                    case=case,
                    actor=request.user,
                    result=d["result"],
                    concluded_on=d["concluded_on"],
                    result_note=d.get("result_note", ""),
                    reopen_applications=d.get("reopen_applications", False),
                    expected_version=d["version"],
                )
            except StaleApplication as exc:
                form.add_error(None, str(exc))
                status = 409
            except ApplicationError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                messages.success(request, "已登记审结结果。")
                return redirect("backoffice:appeals:detail", kind, pk)
        else:
            status = 400
    return render(
        request,
        "backoffice/appeals/detail.html",
        {
            "case": case,
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "applications": list(case.applications.all()),
            "form": form
            if case.is_pending and has_perm(request.user, "handle_application")
            else None,
            "today": clock.today(),
        },
        status=status,
    )
