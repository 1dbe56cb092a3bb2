"""API tokens: hashed, expiring, revocable, issued only where the sign-in protections hold."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gongkai.api.models import ApiToken
from gongkai.core import clock
from gongkai.core.demo import DEMO_PASSWORD
from gongkai.core.models import AuditEvent, LoginFailure
from gongkai.core.security import lockout, totp

pytestmark = pytest.mark.django_db

LIST = "/api/applications/"
PAGE = "/api/tokens/"


def user(username):
    return get_user_model().objects.get(username=username)


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_without_a_token_the_answer_is_401_in_chinese(client, platform):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_only_the_hash_of_a_token_is_stored(client, token_for):
    raw = token_for("sfj_clerk")
    row = ApiToken.objects.get()
    assert raw.startswith("gk_") and len(raw) > 40
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.key_hash, row.prefix, row.name}
    assert client.get(LIST, **bearer(raw)).status_code == 200
    assert AuditEvent.objects.filter(action="api.token.created", subject_id=str(row.pk)).exists()


@pytest.mark.parametrize("broken", ["expired", "revoked", "inactive", "no_role", "wrong"])
def test_a_token_stops_working(client, token_for, broken):
    # given
    raw = token_for("sfj_clerk")
    row, clerk = ApiToken.objects.get(), user("sfj_clerk")
    if broken == "expired":
        ApiToken.objects.update(
            created_at=clock.now() - dt.timedelta(days=91),
            expires_at=clock.now() - dt.timedelta(seconds=1),
        )
    elif broken == "revoked":
        from gongkai.api.tokens import api_token_revoke

        api_token_revoke(token=row, actor=clerk)
    elif broken == "inactive":
        clerk.is_active = False
        clerk.save(update_fields=["is_active"])
    elif broken == "no_role":
        clerk.groups.clear()
    else:
        raw = raw[:-2] + "xx"
    # when
    response = client.get(LIST, **bearer(raw))
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": "接口令牌无效、已过期或已吊销。"}


def test_the_command_issues_a_token_once_and_refuses_who_may_not_have_one(platform):
    # given
    out, err = io.StringIO(), io.StringIO()
    # when
    call_command(
        "create_api_token", "sfj_head", "--name", "档案系统", "--days", "30", stdout=out, stderr=err
    )
    # then
    raw = out.getvalue().strip()
    row = ApiToken.objects.get()
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert row.origin == "command" and row.user.username == "sfj_head"
    assert (row.expires_at - row.created_at).days == 30
    assert "只显示这一次" in err.getvalue()
    stray = get_user_model().objects.create_user("stray", password="x-long-password-1")
    with pytest.raises(CommandError, match="工作人员"):
        call_command("create_api_token", stray.username, "--name", "x")
    with pytest.raises(CommandError, match="停用"):
        call_command("create_api_token", "nobody", "--name", "x")
    for _ in range(5):
        lockout.login_failed(username="sfj_clerk", ip="192.0.2.1")
    with pytest.raises(CommandError, match="锁定"):
        call_command("create_api_token", "sfj_clerk", "--name", "x")
    with pytest.raises(CommandError, match="有效期"):
        call_command("create_api_token", "sfj_head", "--name", "x", "--days", "400")


def test_the_token_page_needs_a_signed_in_staff_member(client, platform):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:login"))


def test_staff_issue_a_token_for_themselves_with_their_password(client, login, platform):
    # given
    login("sfj_clerk")
    # when
    wrong = client.post(PAGE, {"name": "档案系统", "days": 30, "password": "wrong"})
    right = client.post(PAGE, {"name": "档案系统", "days": 30, "password": DEMO_PASSWORD})
    # then
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    assert LoginFailure.objects.filter(username="sfj_clerk").count() == 1
    assert right.status_code == 200
    raw = right.context["issued"]["raw"]
    assert raw in right.content.decode()
    assert client.get(LIST, **bearer(raw)).status_code == 200
    # the token is never shown again
    assert raw not in client.get(PAGE).content.decode()


def test_the_lockout_also_closes_the_token_page(client, login, platform):
    login("sfj_clerk")
    for _ in range(5):
        client.post(PAGE, {"name": "x", "days": 1, "password": "wrong"})
    locked = client.post(PAGE, {"name": "x", "days": 1, "password": DEMO_PASSWORD})
    assert locked.status_code == 400
    assert "锁定" in locked.content.decode()
    assert not ApiToken.objects.exists()


def test_two_step_accounts_need_a_fresh_code(client, platform):
    # given: sfj_head has two-step sign-in on, and a session that passed it
    head = user("sfj_head")
    record = totp.totp_setup_begin(user=head)
    now = clock.now()
    assert totp.totp_setup_confirm(
        user=head,
        code=totp.code_at(record.secret, now - dt.timedelta(seconds=30)),
        now=now - dt.timedelta(seconds=30),
    )
    client.force_login(head)
    session = client.session
    session["gongkai_two_factor"] = f"ok:{head.pk}"
    session.save()
    # when
    no_code = client.post(
        PAGE, {"name": "x", "days": 1, "password": DEMO_PASSWORD, "code": "000000"}
    )
    with_code = client.post(
        PAGE,
        {
            "name": "x",
            "days": 1,
            "password": DEMO_PASSWORD,
            "code": totp.code_at(record.secret, now),
        },
    )
    # then
    assert no_code.status_code == 400 and "验证码不正确" in no_code.content.decode()
    assert LoginFailure.objects.filter(username="sfj_head", stage="totp").count() == 1
    assert with_code.status_code == 200 and with_code.context["issued"]


def test_staff_revoke_their_own_tokens_only(client, login, token_for):
    raw = token_for("sfj_clerk")
    row = ApiToken.objects.get()
    login("sfj_head")
    assert client.post(reverse("api:token-revoke", args=[row.pk])).status_code == 404
    login("sfj_clerk")
    assert client.post(reverse("api:token-revoke", args=[row.pk])).status_code == 302
    assert client.get(LIST, **bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(action="api.token.revoked").count() == 1


def test_wrong_tokens_from_one_address_are_throttled(client, settings, token_for):
    settings.GONGKAI_API_RATE_ANON = "3/min"
    good = token_for("sfj_clerk")
    codes = [client.get(LIST, **bearer("gk_guess" + str(i))).status_code for i in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    assert client.get(LIST, **bearer(good)).status_code == 200


def test_each_token_owner_has_a_request_rate(client, settings, token_for):
    settings.GONGKAI_API_RATE_USER = "2/min"
    raw = token_for("sfj_clerk")
    codes = [client.get(LIST, **bearer(raw)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "限流" in client.get(LIST, **bearer(raw)).json()["detail"]
    settings.RATELIMIT_ENABLE = False
    assert client.get(LIST, **bearer(raw)).status_code == 200


def test_installing_drf_changes_no_message_of_the_sites_forms():
    """DRF translates a few of Django's own messages differently; ours keep Django's wording."""
    from django import forms
    from django.core.validators import EmailValidator
    from rest_framework import serializers

    assert str(forms.Field.default_error_messages["required"]) == "这个字段是必填项。"
    assert str(serializers.Field.default_error_messages["required"]) == "这个字段是必填项。"
    assert str(EmailValidator.message) == "输入一个有效的 Email 地址。"
    assert str(serializers.EmailField.default_error_messages["invalid"]) == str(
        EmailValidator.message
    )
