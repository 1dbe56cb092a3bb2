"""Working-day calendar page for administrators: a year at a glance, overrides with sources."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core import calendar as work_calendar
from gongkai.core import clock
from gongkai.core.models import CalendarDay
from gongkai.core.permissions import staff_required
from gongkai.statutory.workdays import DayKind

MONTHS = "一二三四五六七八九十"


class CalendarDayForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="这一天",
        choices=[("0", "放假（休息日）"), ("1", "上班（工作日）")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="节日或说明", max_length=40, required=False)
    source = forms.CharField(
        label="依据文件", max_length=120, help_text="例如：国办发明电〔2025〕7号"
    )


class ConfirmYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    source = forms.CharField(label="依据文件", max_length=120)


def _month_grid(cal, year: int, month: int) -> list[list[dict | None]]:
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row: list[dict | None] = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            info = cal.day_info(day)
            row.append(
                {
                    "day": day,
                    "kind": info.kind.value,
                    "title": info.describe(),
                    "overridden": info.overridden,
                }
            )
        weeks.append(row)
    return weeks


@staff_required("manage_calendar")
def year_view(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or clock.today().year)
    except ValueError:
        year = clock.today().year
    year = min(max(year, 2004), 2100)
    cal = work_calendar.current_calendar()
    summary = cal.year(year)
    months = [
        {
            "name": f"{MONTHS[m - 1] if m <= 10 else '十' + MONTHS[m - 11]}月",
            "weeks": _month_grid(cal, year, m),
        }
        for m in range(1, 13)
    ]
    return render(
        request,
        "backoffice/calendar/year.html",
        {
            "year": year,
            "summary": summary,
            "months": months,
            "weekday_names": "一二三四五六日",
            "overrides": CalendarDay.objects.filter(day__year=year),
            "form": CalendarDayForm(initial={"is_workday": "0"}),
            "confirm_form": ConfirmYearForm(initial={"year": year}),
            "kinds": DayKind,
        },
    )


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('backoffice:calendar:year')}?year={year}")


@require_POST
@staff_required("manage_calendar")
def day_set(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}")
        return _back(clock.today().year)
    data = form.cleaned_data
    try:
        change = work_calendar.calendar_day_set(
            actor=request.user,
            day=data["day"],
            is_workday=data["is_workday"],
            name=data["name"],
            source=data["source"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(data["day"].year)
    messages.success(
        request,
        f"已保存 {data['day']:%Y年%m月%d日} 的调整；{change.moved_cases} 件办理中申请的期限已重新计算。",
    )
    return _back(data["day"].year)


@require_POST
@staff_required("manage_calendar")
def day_delete(request: HttpRequest) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        change = work_calendar.calendar_day_delete(actor=request.user, day=day)
    except (ValueError, ValidationError):
        messages.error(request, "没有找到要撤销的调整。")
        return _back(clock.today().year)
    messages.success(
        request, f"已撤销 {day:%Y年%m月%d日} 的调整；{change.moved_cases} 件申请的期限已重新计算。"
    )
    return _back(day.year)


@require_POST
@staff_required("manage_calendar")
def year_confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写年份和依据文件。")
        return _back(clock.today().year)
    year = form.cleaned_data["year"]
    work_calendar.calendar_year_confirm(
        actor=request.user, year=year, source=form.cleaned_data["source"]
    )
    messages.success(request, f"已确认{year}年放假安排，该年的日期不再标为暂定。")
    return _back(year)
