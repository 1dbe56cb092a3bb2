"""Fixtures of the oversight tests: the demo region, its supervisor, a neighbouring region, and
sample report files rendered in several formats."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.oversight.samples import sample_report


@pytest.fixture
def eager(settings):
    """Background checking runs at once, in the test (after the commit)."""
    settings.GONGKAI_OVERSIGHT_RUNNER = "eager"
    return settings


@pytest.fixture
def region(platform):
    return platform["shifanxian"]


@pytest.fixture
def supervisor(platform):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zwgkb")


@pytest.fixture
def other_region(platform):
    """A neighbouring county with its own supervising office account ``lx_zwgkb``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from gongkai.core.models import Agency, StaffProfile

    county = Agency.objects.create(
        name="邻县人民政府", slug="linxian", kind="government", level="county"
    )
    Agency.objects.create(
        name="邻县教育局", slug="linxian-jyj", parent=county, kind="department", level="county"
    )
    user = get_user_model().objects.create_user("lx_zwgkb", password="x-long-password-1")
    StaffProfile.objects.create(user=user, agency=county)
    user.groups.add(Group.objects.get(name="政务公开办"))
    return county


@pytest.fixture
def bodies(region, supervisor):
    """The register: the platform's agencies plus two bodies outside the platform."""
    from gongkai.oversight import services

    services.register_sync_platform(actor=supervisor, region=region)
    services.body_create(
        actor=supervisor, region=region, name="示范县教育局", kind="department", level="county"
    )
    services.body_create(
        actor=supervisor, region=region, name="示范县公安局", kind="department", level="county"
    )
    from gongkai.oversight.models import ReportingBody

    return {b.name: b for b in ReportingBody.objects.filter(region=region)}


def text_file(agency: str, year: int, **kw) -> bytes:
    from gongkai.rendering import render_text

    return render_text(sample_report(agency, year, **kw)).encode("utf-8")


def docx_file(agency: str, year: int, **kw) -> bytes:
    from gongkai.rendering import render_docx

    return render_docx(sample_report(agency, year, **kw))


JAN_20 = dt.date(2026, 1, 20)
