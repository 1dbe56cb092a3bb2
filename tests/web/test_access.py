"""Each role reaches what it should, and is refused where it should not."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["backoffice:dashboard", "backoffice:agency_list", "backoffice:audit_log"]
ALL_USERS = [
    "zwgkb",
    "xian_admin",
    "sfj_clerk",
    "sfj_reviewer",
    "sfj_secrecy",
    "sfj_head",
    "sfj_admin",
]
# page -> users allowed (everyone else gets 403)
ALLOWED = {
    "backoffice:dashboard": set(ALL_USERS),
    "backoffice:agency_list": set(ALL_USERS),
    "backoffice:audit_log": {"zwgkb", "xian_admin", "sfj_head", "sfj_admin"},
}


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_anonymous_users_are_sent_to_login(client, platform, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


@pytest.mark.parametrize("page", STAFF_PAGES)
@pytest.mark.parametrize("username", ALL_USERS)
def test_role_matrix(client, platform, login, page, username):
    login(username)
    response = client.get(reverse(page))
    assert response.status_code == (200 if username in ALLOWED[page] else 403)


def test_a_user_without_an_agency_is_refused(client, platform):
    from django.contrib.auth import get_user_model

    stray = get_user_model().objects.create_user("stray", password="x-long-password-1")
    client.force_login(stray)
    assert client.get(reverse("backoffice:dashboard")).status_code == 403


def test_staff_of_one_agency_cannot_open_another_agency(client, platform, login):
    login("sfj_clerk")
    other = platform["shifanxian-zrzyj"]
    assert client.get(reverse("backoffice:agency_detail", args=[other.pk])).status_code == 404
    own = platform["shifanxian-sfj"]
    assert client.get(reverse("backoffice:agency_detail", args=[own.pk])).status_code == 200


def test_agency_list_shows_only_visible_agencies(client, platform, login):
    login("sfj_clerk")
    body = client.get(reverse("backoffice:agency_list")).content.decode()
    assert "示范县司法局" in body and "示范县自然资源局" not in body


def test_login_page_is_chinese_and_protected_by_csrf(platform):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("backoffice:login"))
    assert "工作人员登录" in page.content.decode()
    refused = strict.post(
        reverse("backoffice:login"), {"username": "sfj_clerk", "password": "gongkai-demo-2026"}
    )
    assert refused.status_code == 403


def test_wrong_password_gives_a_chinese_message(client, platform):
    response = client.post(
        reverse("backoffice:login"), {"username": "sfj_clerk", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_portal_home_and_agency_pages_are_public(client, platform):
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "示范县司法局" in home.content.decode()
    page = client.get(reverse("portal:agency", args=["shifanxian-sfj"]))
    assert page.status_code == 200 and "政府信息公开指南" in page.content.decode()
    assert client.get(reverse("portal:agency", args=["no-such"])).status_code == 404


def test_responses_carry_a_content_security_policy(client, platform):
    response = client.get(reverse("portal:home"))
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_dashboard_shows_the_open_case_counters_to_case_handlers(client, platform, login):
    login("sfj_clerk")
    body = client.get(reverse("backoffice:dashboard")).content.decode()
    assert "5个工作日内到期" in body and "已超期" in body
    login("sfj_secrecy")
    assert "已超期" not in client.get(reverse("backoffice:dashboard")).content.decode()
