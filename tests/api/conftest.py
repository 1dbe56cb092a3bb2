"""Fixtures of the API tests: the demo platform, tokens per demo account, an API client."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test starts with empty throttle counters (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _working_day(settings):
    """A Monday: receipt and service on the same day are both working days."""
    settings.GONGKAI_FROZEN_TODAY = "2026-03-02"


@pytest.fixture
def sfj(platform):
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]


@pytest.fixture
def token_for(platform):
    """``token_for("sfj_clerk")`` → a fresh token of that demo account (issued by command)."""
    from django.contrib.auth import get_user_model

    from gongkai.api.models import ApiToken
    from gongkai.api.tokens import api_token_create

    def _token(username: str, **kwargs) -> str:
        user = get_user_model().objects.get(username=username)
        _, raw = api_token_create(user=user, name="测试", origin=ApiToken.Origin.COMMAND, **kwargs)
        return raw

    return _token


@pytest.fixture
def api(token_for):
    """``api("sfj_clerk")`` → a DRF test client sending that account's token (``api(None)``: none)."""
    from rest_framework.test import APIClient

    def _client(username: str | None) -> APIClient:
        client = APIClient()
        if username:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(username)}")
        return client

    return _client


@pytest.fixture
def case(sfj):
    """A case registered at the justice bureau, in progress."""
    from tests.ledger.requests.factories import register

    return register(sfj)
