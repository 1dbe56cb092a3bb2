"""Tables 三 and 四 from the ledger (each cell links to its cases), and the 台账 export/import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.core.permissions import has_perm, staff_required
from gongkai.core.scoping import agencies_for_user, staff_agency
from gongkai.ledger.requests.aggregation import Scope, ledger_report, population
from gongkai.ledger.requests.selectors import application_list_for_user
from gongkai.ledger.requests.xlsx import COLUMNS, export_ledger, import_ledger
from gongkai.statutory.checks import CheckContext, Origin, check_report
from gongkai.statutory.formats import (
    TABLE3_COLUMNS,
    TABLE3_NOTE,
    TABLE4_CELL_LABELS,
    TABLE4_CELLS,
    TABLE4_GROUPS,
    TABLE4_ORDER,
    layout_for_year,
)
from gongkai.web.backoffice.requests.forms import ImportForm
from gongkai.web.backoffice.requests.views import cases_required, list_url


def _choose_scope(request: HttpRequest) -> tuple[Scope, list[Agency]]:
    visible = list(agencies_for_user(request.user).order_by("path"))
    if not visible:
        raise PermissionDenied("没有可查看的机关")
    own = staff_agency(request.user)
    agency_id = request.GET.get("agency", "")
    if agency_id.isdigit():
        agency = next((a for a in visible if a.pk == int(agency_id)), None)
        if agency is None:
            raise Http404("未找到该机关")
    else:
        agency = own if own in visible else visible[0]
    region = request.GET.get("region") == "1" and any(
        a.path.startswith(agency.path) and a.pk != agency.pk for a in visible
    )
    return Scope(agency, region=region), visible


@cases_required
def tables(request: HttpRequest) -> HttpResponse:
    """Tables 三 and 四 of an agency (or its region) for a year, from the ledger."""
    today = clock.today()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    scope, visible = _choose_scope(request)
    result = ledger_report(scope, year)
    report = result.report()
    previous = ledger_report(scope, year - 1).report()
    findings = [
        f
        for f in check_report(
            report, previous=previous, context=CheckContext(origin=Origin.GENERATED)
        )
        if f.rule.startswith(("A-", "Y-01"))
    ]
    if request.GET.get("format") == "json":
        response = HttpResponse(report.to_json(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"tables-{scope.agency.slug}-{year}.json"
        )
        return response
    region_flag = "1" if scope.region else ""
    layout = layout_for_year(year)
    rows = []
    band_rows = [r for r in layout.table3_rows if r.band]
    seen_groups: set[str] = set()
    for spec in layout.table3_rows:
        values = result.table3[spec.key]
        cells = [
            {
                "value": v,
                "url": list_url(
                    t3row=spec.key.value,
                    t3col=col.key.value,
                    t3year=year,
                    agency=scope.agency.pk,
                    region=region_flag,
                ),
            }
            for v, col in zip(values, TABLE3_COLUMNS, strict=True)
        ]
        group = spec.group_label or ""
        group_first = bool(group) and group not in seen_groups
        seen_groups.add(group)
        rows.append(
            {
                "key": spec.key.value,
                "label": spec.label,
                "band": spec.band or "",
                "band_first": bool(spec.band) and spec is band_rows[0],
                "band_span": len(band_rows),
                "group": group,
                "group_first": group_first,
                "group_span": sum(1 for r in layout.table3_rows if r.group_label == group)
                if group
                else 0,
                "label_colspan": 1 if group else (2 if spec.band else 3),
                "cells": cells,
            }
        )
    t4 = []
    appeals_url = reverse("backoffice:appeals:list")
    for g in TABLE4_GROUPS:
        values = result.table4[g.key]
        t4.append(
            {
                "label": g.label,
                "parent": g.parent_label or "",
                "cells": [
                    {
                        "label": TABLE4_CELL_LABELS[c],
                        "value": v,
                        "url": f"{appeals_url}?year={year}&group={g.key.value}&cell={c.value}"
                        f"&agency={scope.agency.pk}&region={region_flag}",
                    }
                    for (grp, c), v in zip(
                        [o for o in TABLE4_ORDER if o[0] is g.key], values, strict=True
                    )
                ],
            }
        )
    regions = {a.pk for a in visible for b in visible if b.path.startswith(a.path) and b.pk != a.pk}
    return render(
        request,
        "backoffice/requests/tables.html",
        {
            "scope": scope,
            "year": year,
            "years": list(range(today.year, today.year - 8, -1)),
            "agencies": visible,
            "region_agencies": regions,
            "columns": TABLE3_COLUMNS,
            "note": TABLE3_NOTE,
            "rows": rows,
            "t4": t4,
            "t4_headers": [TABLE4_CELL_LABELS[c] for c in TABLE4_CELLS],
            "fees": result.fees,
            "findings": findings,
            "layout": layout,
        },
    )


@cases_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The year's 台账 as XLSX; personal data masked unless the user may see it. Audited."""
    today = clock.today()
    year_param = request.GET.get("year", "")
    personal = bool(request.user.is_superuser or has_perm(request.user, "view_personal_data"))
    qs = application_list_for_user(request.user)
    agency = staff_agency(request.user)
    if request.GET.get("agency", "").isdigit():
        agency = agencies_for_user(request.user).filter(pk=int(request.GET["agency"])).first()
        if agency is None:
            raise Http404("未找到该机关")
        qs = qs.filter(agency=agency)
    if request.GET.get("blank") == "1":
        qs = qs.none()
        name = "依申请公开台账模板.xlsx"
    else:
        year = int(year_param) if year_param.isdigit() else today.year
        qs = qs.filter(population(year))
        name = f"依申请公开台账-{agency.short_name if agency else '全部'}-{year}.xlsx"
    count = qs.count()
    data = export_ledger(qs, personal=personal, title=name)
    subject = agency or staff_agency(request.user)
    if subject is not None:
        audit.record(
            actor=request.user,
            action="application.exported",
            subject=subject,
            after={"file": name, "rows": count, "personal_data": "完整" if personal else "已脱敏"},
        )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@staff_required("register_application")
def import_xlsx(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in 台账: all rows valid → all imported in one transaction; else nothing,
    with the rejected rows and reasons."""
    agency = staff_agency(request.user)
    if agency is None:
        raise PermissionDenied("请以机关工作人员身份导入台账")
    form = ImportForm(request.POST or None, request.FILES or None)
    report: Any = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_ledger(agency=agency, actor=request.user, data=upload.read())
        if report.ok:
            messages.success(request, f"已导入 {report.imported} 件申请。")
        else:
            status = 400
            messages.error(request, f"台账有 {len(report.errors)} 处错误，未导入任何数据。")
    return render(
        request,
        "backoffice/requests/import.html",
        {"form": form, "report": report, "columns": COLUMNS, "agency": agency},
        status=status,
    )
