"""Changing the working-day calendar moves the due dates of open applications (issue 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.core.models import AuditEvent
from tests.ledger.requests.factories import register

pytestmark = pytest.mark.django_db


def test_a_new_holiday_on_the_calendar_page_moves_open_due_dates(client, login, sfj, frozen):
    frozen("2025-03-03")
    app = register(sfj, submitted_on=dt.date(2025, 3, 3))
    before = app.due_on
    assert before == dt.date(2025, 3, 31)  # 20 working days after Monday 3 March 2025

    login("xian_admin")
    response = client.post(
        reverse("backoffice:calendar:day_set"),
        {
            "day": "2025-03-12",
            "is_workday": "0",
            "name": "临时放假",
            "source": "示范县政发〔2025〕3号",
        },
    )
    assert response.status_code == 302

    app.refresh_from_db()
    assert app.due_on == dt.date(2025, 4, 1)
    moved = AuditEvent.objects.get(action="application.clock.due_changed", subject_id=str(app.pk))
    assert "2025-03-12" in str(moved.data) or "工作日历" in str(moved.data)
    # the change is visible in the application's history in the back office
    login("sfj_clerk")
    page = client.get(reverse("backoffice:requests:detail", args=[app.pk])).content.decode()
    assert "工作日历调整" in page


def test_removing_the_holiday_moves_them_back(login, sfj, frozen):
    from django.contrib.auth import get_user_model

    from gongkai.core import calendar

    frozen("2025-03-03")
    app = register(sfj, submitted_on=dt.date(2025, 3, 3))
    admin = get_user_model().objects.get(username="xian_admin")
    calendar.calendar_day_set(
        actor=admin, day=dt.date(2025, 3, 12), is_workday=False, source="示范县政发〔2025〕3号"
    )
    change = calendar.calendar_day_delete(actor=admin, day=dt.date(2025, 3, 12))
    app.refresh_from_db()
    assert change.moved_cases == 1 and app.due_on == dt.date(2025, 3, 31)
