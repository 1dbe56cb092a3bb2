"""Agencies in a tree, roles from the data migration, scoping and the audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import Http404

from gongkai.core import audit
from gongkai.core.models import Agency, AuditEvent
from gongkai.core.roles import ROLES
from gongkai.core.scoping import agencies_for_user, agency_get_for_user

pytestmark = pytest.mark.django_db


def _user(username):
    return get_user_model().objects.get(username=username)


def test_data_migration_creates_every_role_with_its_permissions():
    for spec in ROLES:
        group = Group.objects.get(name=spec.group_name)
        assert set(group.permissions.values_list("codename", flat=True)) == set(spec.permissions)


def test_agency_paths_follow_the_tree(platform):
    county = platform["shifanxian"]
    bureau = platform["shifanxian-sfj"]
    assert bureau.path == f"{county.path}{bureau.pk}/"
    assert bureau.ancestors() == [county]


def test_moving_an_agency_moves_its_subtree(platform):
    bureau = platform["shifanxian-sfj"]
    unit = Agency.objects.create(
        name="城关司法所", slug="cg-sfs", parent=bureau, kind="unit", level="township"
    )
    bureau.parent = platform["shifanxian-zrzyj"]
    bureau.save()
    unit.refresh_from_db()
    assert unit.path.startswith(platform["shifanxian-zrzyj"].path)


def test_demo_loading_is_idempotent(platform):
    from gongkai.core.demo import load_platform

    before = (Agency.objects.count(), get_user_model().objects.count())
    load_platform()
    assert (Agency.objects.count(), get_user_model().objects.count()) == before


def test_a_bureau_clerk_sees_only_the_bureau_and_its_units(platform):
    bureau = platform["shifanxian-sfj"]
    unit = Agency.objects.create(
        name="城关司法所", slug="cg-sfs", parent=bureau, kind="unit", level="township"
    )
    assert set(agencies_for_user(_user("sfj_clerk"))) == {bureau, unit}


def test_the_supervising_office_sees_its_whole_region(platform):
    assert set(agencies_for_user(_user("zwgkb"))) == set(Agency.objects.all())


def test_fetching_another_agencys_record_is_not_found(platform):
    with pytest.raises(Http404):
        agency_get_for_user(user=_user("sfj_clerk"), agency_id=platform["shifanxian-zrzyj"].pk)


def test_anonymous_users_see_no_agency(platform):
    from django.contrib.auth.models import AnonymousUser

    assert not agencies_for_user(AnonymousUser()).exists()


def test_audit_event_redacts_personal_data(platform):
    clerk = _user("sfj_clerk")
    bureau = platform["shifanxian-sfj"]
    event = audit.record(
        actor=clerk,
        action="agency.updated",
        subject=bureau,
        before={"phone": "0391-1234567", "name": "旧名"},
        after={"phone": "13800000000", "applicant": {"id_number": "110101199003071234"}},
    )
    event.refresh_from_db()
    assert event.actor == clerk and event.agency == bureau
    assert event.data["before"] == {"phone": "［已脱敏］", "name": "旧名"}
    assert event.data["after"]["applicant"]["id_number"] == "［已脱敏］"
    assert "13800000000" not in str(event.data)
    assert AuditEvent.objects.filter(subject_id=str(bureau.pk)).count() == 1
