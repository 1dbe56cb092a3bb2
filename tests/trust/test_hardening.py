"""Web hardening: headers on every response, production HTTPS settings, request size limit."""

from __future__ import annotations

import json
import subprocess
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter
from django.urls.exceptions import NoReverseMatch

from gongkai.core.models import StaffProfile

from .conftest import PYTHON, ROOT, subprocess_env


def _sample(converter, name: str):
    if isinstance(converter, IntConverter):
        return 2025 if name.endswith("year") else 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, SlugConverter):
        return "shifanxian-sfj"
    if isinstance(converter, PathConverter):
        return "x/y"
    return "x"


def _named_urls(patterns, namespace="", converters=None):
    """(name, kwargs) for every named URL pattern, with a sample value for each parameter."""
    converters = converters or {}
    for entry in patterns:
        here = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry.url_patterns, prefix, here)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {name: _sample(conv, name) for name, conv in here.items()}
            yield namespace + entry.name, kwargs


def _every_path() -> list[str]:
    paths = set()
    for name, kwargs in _named_urls(get_resolver().url_patterns):
        try:
            paths.add(reverse(name, kwargs=kwargs or None))
        except NoReverseMatch:  # regex patterns with constraints (admin); covered by others
            continue
    return sorted(paths)


def _missing_headers(response) -> list[str]:
    problems = []
    if "default-src 'self'" not in response.get("Content-Security-Policy", ""):
        problems.append("CSP")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("nosniff")
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_page_has_csp_and_refuses_framing(platform):
    """Every URL of the site, anonymous and as a platform administrator, whatever its status."""
    user = get_user_model().objects.create_superuser("trust_root", password="x-long-password-9")
    StaffProfile.objects.create(user=user, agency=platform["shifanxian"])
    anonymous = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(user)
    paths = _every_path()
    assert len(paths) > 20
    failures = []
    for path in paths:
        for label, client in (("anonymous", anonymous), ("staff", staff)):
            response = client.get(path)
            problems = _missing_headers(response)
            if problems:
                failures.append(f"{label} GET {path} -> {response.status_code}: {problems}")
    assert failures == []


@pytest.mark.django_db
def test_error_pages_static_files_and_refusals_have_the_headers_too(client, platform):
    responses = {
        "404": client.get("/no/such/page/"),
        "static": client.get("/static/gongkai/site.css"),
        "csrf 403": Client(enforce_csrf_checks=True).post(reverse("backoffice:login"), {}),
        "413": client.post(
            reverse("backoffice:login"),
            data=b"x",
            content_type="text/plain",
            CONTENT_LENGTH=str(30 * 2**20),
        ),
    }
    assert responses["404"].status_code == 404
    assert responses["static"].status_code == 200
    assert responses["csrf 403"].status_code == 403
    assert responses["413"].status_code == 413
    for label, response in responses.items():
        assert _missing_headers(response) == [], label


def test_an_oversized_request_is_refused_before_it_is_read(client, settings):
    settings.GONGKAI_MAX_REQUEST_MB = 1
    response = client.post(
        "/backoffice/login/",
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(2 * 2**20),
    )
    assert response.status_code == 413
    assert "上限为 1 MB" in response.content.decode()


@pytest.mark.django_db
def test_https_redirect_and_hsts_when_production_settings_are_on(settings, platform):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    plain = Client().get("/")
    assert plain.status_code == 301 and plain.url.startswith("https://")
    secure = Client().get("/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "debug": s.DEBUG,
    "session_secure": s.SESSION_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": s.CSRF_COOKIE_SECURE,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": s.SECURE_HSTS_SECONDS,
    "hsts_sub": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "proxy_header": s.SECURE_PROXY_SSL_HEADER,
    "xfo": s.X_FRAME_OPTIONS,
    "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF,
    "cache": s.CACHES["default"]["BACKEND"],
    "backends": s.AUTHENTICATION_BACKENDS,
    "max_request_mb": s.GONGKAI_MAX_REQUEST_MB,
    "upload_perms": s.FILE_UPLOAD_PERMISSIONS,
}))
"""


def test_production_mode_turns_every_https_setting_on(tmp_path):
    env = subprocess_env(tmp_path)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "GONGKAI_PRODUCTION": "1",
            "GONGKAI_SECRET_KEY": "k" * 20 + "-Zq8#vT1!pL0@wX7$mN4%bR2^cY6&" + "s" * 20,
            "GONGKAI_ALLOWED_HOSTS": "gongkai.example.gov.cn",
            "GONGKAI_DEBUG": "1",  # ignored in production
        }
    )
    result = subprocess.run(
        [PYTHON, "-c", PRINT_SETTINGS],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["ssl_redirect"] is True
    assert values["hsts"] >= 31536000 and values["hsts_sub"] is True
    assert values["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["xfo"] == "DENY" and values["nosniff"] is True
    # several gunicorn processes share the rate-limit counters
    assert values["cache"].endswith("FileBasedCache")
    assert values["backends"] == ["gongkai.core.security.backends.LockoutModelBackend"]
    assert values["max_request_mb"] == 25 and values["upload_perms"] == 0o640
