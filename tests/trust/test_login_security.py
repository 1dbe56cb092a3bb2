"""Staff sign-in: lockout per user name and per address, and the optional one-time code (TOTP)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core import clock
from gongkai.core.demo import DEMO_PASSWORD
from gongkai.core.models import AuditEvent, LoginFailure, StaffTOTP
from gongkai.core.security import totp

pytestmark = pytest.mark.django_db

LOGIN = "backoffice:login"
LOCKED = "该账户已被暂时锁定"


def _post_login(client, username, password, **extra):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, **extra)


def _signed_in(client) -> bool:
    return client.get(reverse("backoffice:dashboard")).status_code == 200


def _fail(client, username, times, **extra):
    for _ in range(times):
        response = _post_login(client, username, "wrong-password", **extra)
        assert response.status_code == 200


@pytest.fixture
def later(monkeypatch):
    """Move the clock forward by ``minutes``."""

    def _move(minutes: int):
        moved = timezone.now() + dt.timedelta(minutes=minutes)
        monkeypatch.setattr(clock, "now", lambda: moved)

    return _move


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, platform):
    # given four failures the account still works
    _fail(client, "sfj_clerk", 4)
    assert LoginFailure.objects.filter(username="sfj_clerk").count() == 4
    # when the fifth failure happens
    response = _post_login(client, "sfj_clerk", "wrong-password")
    # then the page says it is locked, and the right password is refused too
    assert LOCKED in response.content.decode()
    response = _post_login(client, "sfj_clerk", DEMO_PASSWORD)
    assert LOCKED in response.content.decode() and "15 分钟" in response.content.decode()
    assert not _signed_in(client)
    # every failure and the lock are audited, under the user's agency
    assert AuditEvent.objects.filter(action="security.login.failed").count() == 5
    locked = AuditEvent.objects.get(action="security.login.locked")
    assert locked.data["after"]["username"] == "sfj_clerk"
    assert locked.agency == platform["shifanxian-sfj"]
    # refused attempts while locked are not counted (the lock does not extend itself)
    assert LoginFailure.objects.filter(username="sfj_clerk").count() == 5


def test_the_lock_runs_out(client, platform, later):
    _fail(client, "sfj_clerk", 5)
    later(16)
    response = _post_login(client, "sfj_clerk", DEMO_PASSWORD)
    assert response.status_code == 302 and _signed_in(client)
    # a successful sign-in clears the user name's failures and is audited
    assert not LoginFailure.objects.filter(username="sfj_clerk").exists()
    assert AuditEvent.objects.filter(action="security.login.succeeded").exists()


def test_failures_spread_over_more_than_the_window_do_not_lock(client, platform, later):
    _fail(client, "sfj_clerk", 4)
    later(20)
    _fail(client, "sfj_clerk", 1)
    assert _post_login(client, "sfj_clerk", DEMO_PASSWORD).status_code == 302


def test_unknown_user_names_lock_the_same_way(client, platform):
    """The lock message does not tell whether an account exists."""
    _fail(client, "nobody-here", 5)
    assert LOCKED in _post_login(client, "nobody-here", "x").content.decode()
    assert (
        AuditEvent.objects.get(action="security.login.locked").data["after"]["user_exists"] is False
    )


def test_user_name_case_does_not_escape_the_lock(client, platform):
    _fail(client, "SFJ_Clerk", 5)
    assert LOCKED in _post_login(client, "sfj_clerk", DEMO_PASSWORD).content.decode()


def test_one_address_trying_many_accounts_is_locked_out(settings, platform):
    settings.GONGKAI_LOGIN_IP_MAX_FAILURES = 6
    sprayer = Client(REMOTE_ADDR="198.51.100.7")
    for name in ["a1", "a2", "a3", "a4", "a5", "a6"]:
        _fail(sprayer, name, 1)
    response = _post_login(sprayer, "sfj_head", DEMO_PASSWORD)
    assert "网络地址的登录失败次数过多" in response.content.decode()
    # another address is not affected
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert _post_login(other, "sfj_head", DEMO_PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings, platform):
    settings.GONGKAI_LOGIN_IP_MAX_FAILURES = 3
    client = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(3):
        _fail(client, f"x{i}", 1, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    # the spoofed header did not spread the failures over three addresses
    assert "网络地址" in _post_login(client, "sfj_head", DEMO_PASSWORD).content.decode()


def test_behind_one_trusted_proxy_the_forwarded_address_counts(settings, platform):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    settings.GONGKAI_LOGIN_IP_MAX_FAILURES = 3
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for i in range(3):
        _fail(proxy, f"x{i}", 1, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
    # a different client behind the same proxy can still sign in
    ok = _post_login(proxy, "sfj_head", DEMO_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert ok.status_code == 302


def test_the_admin_login_is_locked_too(client, platform):
    """The lock is in the authentication backend: every sign-in path honours it."""
    user = get_user_model().objects.get(username="xian_admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    _fail(client, "xian_admin", 5)
    client.post(reverse("admin:login"), {"username": "xian_admin", "password": DEMO_PASSWORD})
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to log in
    # and failures on the admin page count as well
    LoginFailure.objects.all().delete()
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "xian_admin", "password": "nope"})
    assert LOCKED in _post_login(client, "xian_admin", DEMO_PASSWORD).content.decode()


def test_an_administrator_can_lift_a_lock(client, platform, capsys):
    _fail(client, "sfj_clerk", 5)
    call_command("unlock_login", "sfj_clerk")
    assert "已解锁" in capsys.readouterr().out
    assert _post_login(client, "sfj_clerk", DEMO_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="security.login.unlocked").exists()


def test_the_login_page_states_the_rule(client, platform):
    page = client.get(reverse(LOGIN)).content.decode()
    assert "连续输错密码 5 次" in page


# —— two-step sign-in ————————————————————————————————————————————————————————————————————


def _enable_totp(username: str) -> StaffTOTP:
    user = get_user_model().objects.get(username=username)
    record = totp.totp_setup_begin(user=user)
    assert totp.totp_setup_confirm(user=user, code=totp.code_at(record.secret, clock.now()))
    record.refresh_from_db()
    return record


def test_setting_up_two_step_sign_in_through_the_pages(client, platform, login):
    login("sfj_clerk")
    page = reverse("backoffice:security:totp")
    assert "未启用" in client.get(page).content.decode()
    client.post(reverse("backoffice:security:totp_start"))
    record = StaffTOTP.objects.get(user__username="sfj_clerk")
    shown = client.get(page).content.decode()
    assert totp.grouped(record.secret) in shown and "otpauth://totp/" in shown
    # a wrong code does not enable it
    client.post(reverse("backoffice:security:totp_confirm"), {"code": "000000"})
    record.refresh_from_db()
    assert not record.is_enabled
    # the right one does, and is audited; the secret is no longer shown
    code = totp.code_at(record.secret, clock.now())
    client.post(reverse("backoffice:security:totp_confirm"), {"code": code})
    record.refresh_from_db()
    assert record.is_enabled
    assert AuditEvent.objects.filter(action="security.totp.enabled").exists()
    page_after = client.get(page).content.decode()
    assert "已启用" in page_after and totp.grouped(record.secret) not in page_after


def test_the_code_is_asked_after_the_password(client, platform):
    record = _enable_totp("sfj_head")
    next_url = reverse("backoffice:audit_log")
    response = client.post(
        f"{reverse(LOGIN)}?next={next_url}",
        {"username": "sfj_head", "password": DEMO_PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == reverse("backoffice:security:login_verify")
    # the password alone does not sign in
    assert not _signed_in(client)
    verify = reverse("backoffice:security:login_verify")
    assert "两步验证" in client.get(verify).content.decode()
    wrong = client.post(verify, {"code": "123456"})
    assert "验证码不正确" in wrong.content.decode() and not _signed_in(client)
    assert LoginFailure.objects.filter(username="sfj_head", stage="totp").count() == 1
    # the right code (the next one: the current one was spent on enabling) signs in and goes on
    # to where the user was going
    next_code = totp.code_at(record.secret, clock.now() + dt.timedelta(seconds=30))
    ok = client.post(verify, {"code": next_code})
    assert ok.status_code == 302 and ok.url == next_url
    assert _signed_in(client)
    assert not LoginFailure.objects.filter(username="sfj_head").exists()


def test_a_used_code_cannot_be_replayed(platform):
    record = _enable_totp("sfj_head")
    user = record.user
    now = clock.now() + dt.timedelta(seconds=30)
    code = totp.code_at(record.secret, now)
    assert totp.totp_verify(user=user, code=code, now=now)
    assert not totp.totp_verify(user=user, code=code, now=now)
    # codes from before the one used are refused too; the next step's code works
    later = now + dt.timedelta(seconds=30)
    assert totp.totp_verify(user=user, code=totp.code_at(record.secret, later), now=later)


def test_codes_outside_the_drift_window_are_refused(platform):
    record = _enable_totp("sfj_head")
    now = clock.now() + dt.timedelta(minutes=5)
    stale = totp.code_at(record.secret, now - dt.timedelta(seconds=90))
    assert not totp.totp_verify(user=record.user, code=stale, now=now)
    assert not totp.totp_verify(user=record.user, code="abcdef", now=now)


def test_guessing_codes_locks_the_account(client, platform):
    _enable_totp("sfj_head")
    _post_login(client, "sfj_head", DEMO_PASSWORD)
    verify = reverse("backoffice:security:login_verify")
    for _ in range(4):
        client.post(verify, {"code": "000000"})
    locked = client.post(verify, {"code": "000000"}, follow=True)
    assert LOCKED in locked.content.decode()
    # the pending sign-in is gone: back to the login page, and the password is refused now
    assert client.get(verify).status_code == 302
    assert LOCKED in _post_login(client, "sfj_head", DEMO_PASSWORD).content.decode()


def test_the_code_step_expires(client, platform, later):
    _enable_totp("sfj_head")
    _post_login(client, "sfj_head", DEMO_PASSWORD)
    later(6)
    response = client.get(reverse("backoffice:security:login_verify"), follow=True)
    assert "输入验证码超时" in response.content.decode()


def test_signing_in_elsewhere_does_not_skip_the_code(client, platform):
    """A session opened without the code (the admin's login form) is signed out."""
    record = _enable_totp("xian_admin")
    user = record.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.post(reverse("admin:login"), {"username": "xian_admin", "password": DEMO_PASSWORD})
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse(LOGIN))
    assert not _signed_in(client)


def test_turning_it_off_needs_a_code_and_an_admin_can_reset_it(client, platform, login, capsys):
    _enable_totp("sfj_clerk")
    user = login("sfj_clerk")
    session = client.session
    session["gongkai_two_factor"] = f"ok:{user.pk}"
    session.save()
    client.post(reverse("backoffice:security:totp_disable"), {"code": "000000"})
    assert StaffTOTP.objects.filter(user=user).exists()
    # a lost authenticator: the administrator resets it (audited)
    call_command("reset_totp", "sfj_clerk")
    assert "已关闭" in capsys.readouterr().out
    assert not StaffTOTP.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="security.totp.disabled").count() == 1


def test_turning_it_off_with_the_current_code(client, platform, login):
    record = _enable_totp("sfj_clerk")
    user = login("sfj_clerk")
    session = client.session
    session["gongkai_two_factor"] = f"ok:{user.pk}"
    session.save()
    # the code used at confirmation is spent: use the next step's code
    StaffTOTP.objects.filter(pk=record.pk).update(last_used_step=0)
    code = totp.code_at(record.secret, clock.now())
    response = client.post(reverse("backoffice:security:totp_disable"), {"code": code}, follow=True)
    assert "两步验证已关闭" in response.content.decode()
    assert not StaffTOTP.objects.filter(user=user).exists()
