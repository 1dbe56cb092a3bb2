"""Shared fixtures. Database fixtures build the demo platform through the same code as `gongkai demo`."""

from __future__ import annotations

import os

import pytest

# Live-server browser tests drive the synchronous ORM from Playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def platform(db):
    """The demo platform: agencies by slug, with a staff account per role."""
    from gongkai.core.demo import load_platform

    return load_platform()


@pytest.fixture
def login(client):
    """Log the test client in as a demo user by username."""
    from django.contrib.auth import get_user_model

    def _login(username: str):
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        return user

    return _login


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Demo accounts are created in many tests: a fast hasher keeps the suite quick."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
