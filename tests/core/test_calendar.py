"""The editable calendar: overrides win over the seed, changes are audited and move open cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.core import calendar as work_calendar
from gongkai.core.models import AuditEvent, CalendarDay

pytestmark = pytest.mark.django_db


def _admin():
    return get_user_model().objects.get(username="xian_admin")


def test_an_override_turns_a_seed_working_day_into_a_holiday(platform):
    day = dt.date(2025, 3, 5)  # an ordinary Wednesday
    assert work_calendar.current_calendar().is_workday(day)
    work_calendar.calendar_day_set(
        actor=_admin(), day=day, is_workday=False, name="临时放假", source="示范县政发〔2025〕1号"
    )
    calendar = work_calendar.current_calendar()
    assert not calendar.is_workday(day)
    assert calendar.add_workdays(dt.date(2025, 3, 4), 1) == dt.date(2025, 3, 6)
    event = AuditEvent.objects.get(action="calendar.day.set")
    assert event.data["after"]["source"] == "示范县政发〔2025〕1号"


def test_an_override_without_a_source_is_refused(platform):
    with pytest.raises(ValidationError):
        work_calendar.calendar_day_set(
            actor=_admin(), day=dt.date(2025, 3, 5), is_workday=False, source="  "
        )
    assert not CalendarDay.objects.exists()


def test_confirming_a_year_makes_it_non_provisional(platform):
    assert not work_calendar.current_calendar().is_confirmed(2027)
    work_calendar.calendar_year_confirm(actor=_admin(), year=2027, source="国办发明电〔2026〕9号")
    assert work_calendar.current_calendar().is_confirmed(2027)


def test_deleting_an_override_restores_the_seed(platform):
    day = dt.date(2025, 3, 5)
    work_calendar.calendar_day_set(actor=_admin(), day=day, is_workday=False, source="测试通知")
    work_calendar.calendar_day_delete(actor=_admin(), day=day)
    assert work_calendar.current_calendar().is_workday(day)
    assert AuditEvent.objects.filter(action="calendar.day.deleted").count() == 1


def test_recompute_hooks_run_in_the_change(platform, monkeypatch):
    calls = []

    def hook(*, calendar, actor, reason):
        calls.append(reason)
        return 3

    import sys
    import types

    module = types.ModuleType("gongkai_test_hook")
    module.hook = hook
    monkeypatch.setitem(sys.modules, "gongkai_test_hook", module)
    monkeypatch.setattr(work_calendar, "RECOMPUTE_HOOKS", ["gongkai_test_hook.hook"])
    change = work_calendar.calendar_day_set(
        actor=_admin(), day=dt.date(2025, 3, 5), is_workday=False, source="测试通知"
    )
    assert change.moved_cases == 3 and "2025-03-05" in calls[0]


def test_calendar_page_shows_the_year_and_saves_an_override(client, platform, login):
    login("xian_admin")
    page = client.get(reverse("backoffice:calendar:year") + "?year=2025")
    body = page.content.decode()
    assert page.status_code == 200 and "工作日历 · 2025年" in body
    assert "春节放假" in body  # seed holidays are shown with their names
    response = client.post(
        reverse("backoffice:calendar:day_set"),
        {
            "day": "2025-03-05",
            "is_workday": "0",
            "name": "临时放假",
            "source": "示范县政发〔2025〕1号",
        },
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get(day=dt.date(2025, 3, 5)).source == "示范县政发〔2025〕1号"


def test_a_missing_year_is_shown_as_provisional(client, platform, login):
    login("xian_admin")
    body = client.get(reverse("backoffice:calendar:year") + "?year=2027").content.decode()
    assert "暂定" in body and "尚未确认" in body


@pytest.mark.parametrize("username", ["sfj_clerk", "sfj_head", "zwgkb"])
def test_only_administrators_edit_the_calendar(client, platform, login, username):
    login(username)
    assert client.get(reverse("backoffice:calendar:year")).status_code == 403
    response = client.post(
        reverse("backoffice:calendar:day_set"),
        {"day": "2025-03-05", "is_workday": "0", "source": "x"},
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()
