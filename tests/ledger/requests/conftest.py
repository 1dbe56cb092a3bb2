from __future__ import annotations

import pytest


@pytest.fixture
def frozen(settings):
    """Move the platform's clock (gongkai.core.clock) to a fixed day; returns a setter."""

    def _set(day: str) -> None:
        settings.GONGKAI_FROZEN_TODAY = day

    _set("2026-03-02")
    return _set


@pytest.fixture
def sfj(platform):
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    return platform["shifanxian-sfj"]
