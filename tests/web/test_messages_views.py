"""Views of 网民留言: the portal form (CSRF, rate limit, honeypot), the published Q&A only,
and the staff reply workflow per role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.ledger.messages.models import PublicMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _data(platform, **overrides):
    data = {
        "agency": platform["shifanxian-sfj"].pk,
        "writer_name": "刘先生",
        "contact": "13800000001",
        "subject": "法律援助咨询",
        "body": "请问如何申请法律援助？",
        "agrees_to_publish": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_message_is_left_on_the_portal(client, platform):
    response = client.post(reverse("portal:messages:new"), _data(platform))
    message = PublicMessage.objects.get()
    assert response.status_code == 302 and message.reference in response.url
    assert message.agrees_to_publish and message.status == PublicMessage.Status.RECEIVED
    thanks = client.get(response.url).content.decode()
    assert message.reference in thanks


def test_the_form_is_protected_by_csrf(platform):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("portal:messages:new"), _data(platform)).status_code == 403
    assert not PublicMessage.objects.exists()


def test_the_form_is_rate_limited(client, platform):
    for i in range(5):
        assert (
            client.post(
                reverse("portal:messages:new"), _data(platform, subject=f"第{i}条")
            ).status_code
            == 302
        )
    response = client.post(reverse("portal:messages:new"), _data(platform, subject="第六条"))
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert PublicMessage.objects.count() == 5


def test_a_robot_filling_the_hidden_field_is_ignored(client, platform):
    response = client.post(reverse("portal:messages:new"), _data(platform, website="http://spam"))
    assert response.status_code == 302 and not PublicMessage.objects.exists()


def test_missing_fields_are_explained(client, platform):
    response = client.post(reverse("portal:messages:new"), _data(platform, body=""))
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()


def test_only_published_questions_and_answers_are_public(client, platform, login):
    from gongkai.ledger.messages import services

    sfj = platform["shifanxian-sfj"]
    message = services.message_submit(
        agency=sfj,
        writer_name="王女士",
        contact="13900000000",
        subject="调解是否收费",
        body="请问？",
        agrees_to_publish=True,
    )
    url = reverse("portal:messages:detail", args=[message.pk])
    assert client.get(url).status_code == 404
    login("sfj_clerk")
    client.post(
        reverse("backoffice:messages:reply", args=[message.pk]),
        {"reply": "人民调解不收费。", "version": 1},
    )
    login("sfj_head")
    client.post(reverse("backoffice:messages:publish", args=[message.pk]))
    client.logout()
    page = client.get(url).content.decode()
    assert "人民调解不收费。" in page and "13900000000" not in page and "王女士" not in page
    assert "调解是否收费" in client.get(reverse("portal:messages:list")).content.decode()


STAFF = ["zwgkb", "sfj_clerk", "sfj_reviewer", "sfj_secrecy", "sfj_head", "sfj_admin"]


@pytest.mark.parametrize("username", STAFF)
def test_back_office_role_matrix(client, platform, login, username):
    from gongkai.ledger.messages import services

    message = services.message_submit(
        agency=platform["shifanxian-sfj"],
        writer_name="甲",
        contact="1",
        subject="问",
        body="问",
        agrees_to_publish=True,
    )
    login(username)
    can_view = username in {"sfj_clerk", "sfj_reviewer", "sfj_head"}
    assert client.get(reverse("backoffice:messages:list")).status_code == (200 if can_view else 403)
    assert client.get(reverse("backoffice:messages:detail", args=[message.pk])).status_code == (
        200 if can_view else 403
    )
    response = client.post(
        reverse("backoffice:messages:reply", args=[message.pk]), {"reply": "答复", "version": 1}
    )
    assert response.status_code == (302 if username == "sfj_clerk" else 403)


def test_staff_of_another_agency_do_not_see_the_message(client, platform, login):
    from gongkai.ledger.messages import services

    message = services.message_submit(
        agency=platform["shifanxian-sfj"],
        writer_name="甲",
        contact="1",
        subject="问",
        body="问",
        agrees_to_publish=True,
    )
    login("zrzyj_head")
    assert client.get(reverse("backoffice:messages:detail", args=[message.pk])).status_code == 404
    assert message.reference not in client.get(reverse("backoffice:messages:list")).content.decode()
