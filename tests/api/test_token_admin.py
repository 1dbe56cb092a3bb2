"""Administrators see and revoke the API tokens of the staff they manage (``/api/tokens/all/``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai.api.models import ApiToken
from gongkai.api.tokens import api_token_create, api_token_revoke, hash_token
from gongkai.core import clock
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db

LIST = "/api/applications/"
PAGE = "/api/tokens/all/"


def user(username):
    return get_user_model().objects.get(username=username)


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def issue(username: str, name: str = "对接") -> tuple[ApiToken, str]:
    return api_token_create(user=user(username), name=name, origin=ApiToken.Origin.COMMAND)


def revoke_url(token: ApiToken) -> str:
    return reverse("api:tokens-admin-revoke", args=[token.pk])


def revoke_all_url(owner) -> str:
    return reverse("api:tokens-admin-revoke-user", args=[owner.pk])


def test_an_agency_admin_sees_and_revokes_a_colleagues_token(client, platform, login):
    # given: a clerk's working token
    token, raw = issue("sfj_clerk", "档案系统对接")
    assert client.get(LIST, **bearer(raw)).status_code == 200
    admin = login("sfj_admin")

    # when: the bureau's administrator opens the page and revokes it, giving a reason
    page = client.get(PAGE)
    response = client.post(revoke_url(token), {"reason": "人员离职"})

    # then: listed with its owner, agency and prefix; revoked; the API refuses it
    assert page.status_code == 200
    html = page.content.decode()
    assert token.prefix in html and "档案系统对接" in html and "李经办" in html
    assert platform["shifanxian-sfj"].name in html
    assert response.status_code == 302
    assert response.url == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    api_client = Client()
    refused = api_client.get(LIST, **bearer(raw))
    assert refused.status_code == 401
    assert refused.json() == {"detail": "接口令牌无效、已过期或已吊销。"}
    # the audit event says who and why
    event = AuditEvent.objects.get(action="api.token.revoked", subject_id=str(token.pk))
    assert event.actor == admin
    assert event.data["after"]["reason"] == "人员离职"
    assert event.data["after"]["user"] == "sfj_clerk"
    assert event.agency == platform["shifanxian-sfj"]


def test_another_agencys_token_is_invisible_and_a_404_like_a_missing_one(client, platform, login):
    # given: a token at the natural-resources bureau, and one at the justice bureau
    other, _ = issue("zrzyj_clerk", "别的局的系统")
    own, _ = issue("sfj_clerk", "本局系统")
    login("sfj_admin")

    # when
    page = client.get(PAGE).content.decode()
    foreign = client.post(revoke_url(other), {"reason": "试探"})
    missing = client.post(
        reverse("api:tokens-admin-revoke", args=[other.pk + 1000]), {"reason": "x"}
    )
    foreign_all = client.post(revoke_all_url(user("zrzyj_clerk")), {"reason": "试探"})

    # then
    assert own.prefix in page and "本局系统" in page
    assert other.prefix not in page and "别的局的系统" not in page
    assert foreign.status_code == missing.status_code == foreign_all.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert not AuditEvent.objects.filter(action="api.token.revoked").exists()


def test_an_agency_admin_cannot_touch_a_platform_superusers_tokens(client, platform, login):
    # given: the platform administrator has a token (and no agency)
    superuser = user("platform_admin")
    token, _ = issue("platform_admin")
    login("xian_admin")  # administrator at the county government: the whole region
    # then
    assert token.prefix not in client.get(PAGE).content.decode()
    assert client.post(revoke_url(token), {"reason": "x"}).status_code == 404
    assert client.post(revoke_all_url(superuser), {"reason": "x"}).status_code == 404


def test_the_county_admin_sees_the_region_and_a_superuser_sees_everything(client, platform, login):
    sfj, _ = issue("sfj_clerk")
    zrzyj, _ = issue("zrzyj_clerk")
    platform_token, _ = issue("platform_admin")

    login("xian_admin")
    county = client.get(PAGE).content.decode()
    login("platform_admin")
    everything = client.get(PAGE).content.decode()

    assert sfj.prefix in county and zrzyj.prefix in county
    assert all(t.prefix in everything for t in (sfj, zrzyj, platform_token))


@pytest.mark.parametrize("username", ["sfj_clerk", "sfj_head", "zwgkb"])
def test_staff_without_manage_agency_get_403(client, platform, login, username):
    token, _ = issue("sfj_clerk")
    login(username)
    assert client.get(PAGE).status_code == 403
    assert client.post(revoke_url(token), {"reason": "x"}).status_code == 403
    assert client.post(revoke_all_url(user("sfj_clerk")), {"reason": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_visitors_go_to_the_login_page(client, platform):
    token, _ = issue("sfj_clerk")
    assert client.get(PAGE).status_code == 302
    assert client.post(revoke_url(token), {"reason": "x"}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_and_its_hash_never_appear(client, platform, login):
    token, raw = issue("sfj_clerk")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    login("sfj_admin")
    for query in ("", "?status=active", "?q=sfj_clerk"):
        html = client.get(PAGE + query).content.decode()
        assert token.prefix in html
        assert token.key_hash not in html
        assert hash_token(raw) not in html
        assert raw not in html and raw[10:] not in html


def test_revoke_all_revokes_only_that_users_live_tokens(client, platform, login):
    # given: the clerk has two live tokens, an expired one and a revoked one; a colleague one
    clerk = user("sfj_clerk")
    live = [issue("sfj_clerk", "甲")[0], issue("sfj_clerk", "乙")[0]]
    expired = issue("sfj_clerk", "过期")[0]
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=clock.now() - dt.timedelta(days=100),
        expires_at=clock.now() - dt.timedelta(days=1),
    )
    already = issue("sfj_clerk", "早已吊销")[0]
    api_token_revoke(token=already, actor=clerk)
    revoked_at = ApiToken.objects.get(pk=already.pk).revoked_at
    colleague = issue("sfj_reviewer", "同事")[0]
    admin = login("sfj_admin")

    # when
    response = client.post(revoke_all_url(clerk), {"reason": "调离本局", "status": "active"})

    # then
    assert response.status_code == 302
    assert response.url == PAGE + "?status=active"
    assert all(ApiToken.objects.get(pk=t.pk).revoked_at is not None for t in live)
    assert ApiToken.objects.get(pk=expired.pk).revoked_at is None
    assert ApiToken.objects.get(pk=already.pk).revoked_at == revoked_at
    assert ApiToken.objects.get(pk=colleague.pk).revoked_at is None
    events = AuditEvent.objects.filter(action="api.token.revoked", actor=admin)
    assert sorted(e.subject_id for e in events) == sorted(str(t.pk) for t in live)
    assert {e.data["after"]["reason"] for e in events} == {"调离本局"}


def test_a_revocation_needs_a_reason(client, platform, login):
    token, raw = issue("sfj_clerk")
    login("sfj_admin")
    for url in (revoke_url(token), revoke_all_url(user("sfj_clerk"))):
        response = client.post(url, {"reason": "   "})
        assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Client().get(LIST, **bearer(raw)).status_code == 200
    assert "请填写吊销原因" in client.get(PAGE).content.decode()


def test_revocation_is_a_post_with_csrf(platform):
    token, _ = issue("sfj_clerk")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user("sfj_admin"))
    assert client.get(revoke_url(token)).status_code == 405
    assert client.post(revoke_url(token), {"reason": "x"}).status_code == 403
    assert client.post(revoke_all_url(user("sfj_clerk")), {"reason": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert 'name="csrfmiddlewaretoken"' in client.get(PAGE).content.decode()


def test_the_filters(client, platform, login):
    active, _ = issue("sfj_clerk", "有效的")
    expired, _ = issue("sfj_reviewer", "过期的")
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=clock.now() - dt.timedelta(days=100),
        expires_at=clock.now() - dt.timedelta(days=1),
    )
    revoked, _ = issue("sfj_head", "吊销的")
    api_token_revoke(token=revoked, actor=user("sfj_head"))
    login("sfj_admin")

    def shown(query: str) -> set[str]:
        html = client.get(PAGE + query).content.decode()
        return {t.name for t in (active, expired, revoked) if t.prefix in html}

    assert shown("") == {"有效的", "过期的", "吊销的"}
    assert shown("?status=active") == {"有效的"}
    assert shown("?status=expired") == {"过期的"}
    assert shown("?status=revoked") == {"吊销的"}
    assert shown("?q=sfj_rev") == {"过期的"}
    assert shown("?q=孙局") == {"吊销的"}
    assert shown("?status=bogus") == {"有效的", "过期的", "吊销的"}


def test_the_own_token_page_links_to_the_admin_page_for_administrators(client, platform, login):
    admin_url = reverse("api:tokens-admin")
    login("sfj_admin")
    assert admin_url in client.get("/api/tokens/").content.decode()
    login("sfj_clerk")
    assert admin_url not in client.get("/api/tokens/").content.decode()


def test_own_revocation_still_works_without_a_reason(client, platform, login):
    token, _ = issue("sfj_clerk")
    login("sfj_clerk")
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 302
    event = AuditEvent.objects.get(action="api.token.revoked", subject_id=str(token.pk))
    assert "reason" not in event.data["after"]
