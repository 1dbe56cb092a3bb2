"""The OpenAPI document, and a schemathesis run over every operation: no input gives a 5xx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode

from tests.ledger.requests.factories import decide_and_serve, register, user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 12  # per operation and mode: about 30 operations × 2 modes, well under a minute


def test_the_schema_is_served_and_the_committed_copy_is_current(client, platform):
    """docs/openapi.yaml is the document /api/schema/ serves (regenerate it with
    ``gongkai manage spectacular --validate --file docs/openapi.yaml``)."""
    response = client.get("/api/schema/")
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    committed = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text(encoding="utf-8"))
    assert served == committed
    assert served["openapi"].startswith("3.")
    assert served["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert {"/api/applications/", "/api/annual-reports/", "/api/publications/"} <= set(
        served["paths"]
    )


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, without the per-request connection housekeeping that would
    close the test's transaction (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def ledger(sfj, settings):
    """Cases in several states, and a year's report, for the fuzzer to hit."""
    from gongkai.ledger.annual.services import annual_report_assemble

    settings.GONGKAI_FROZEN_TODAY = "2026-03-02"
    opened = register(sfj, submitted_on=dt.date(2026, 2, 2))
    served = decide_and_serve(
        register(sfj, submitted_on=dt.date(2026, 2, 3)), served_on=dt.date(2026, 3, 2)
    )
    annual_report_assemble(actor=user("sfj_clerk"), agency=sfj, year=2026)
    return [opened, served]


# Actions the clerk may not take: fuzzed with the head's token (who may).
HEAD_ACTIONS = (
    "approve-extension",
    "reject-extension",
    "set-delayed-reply",
    "review-decision",
    "return-decision",
    "sign-decision",
)


def test_no_request_makes_the_api_fail(wsgi_app, settings, token_for, ledger):
    """Positive and negative examples for every operation, with a valid token. Positive
    examples of a case's endpoints address the ledger's real cases with their current
    ``version``, so that the services themselves are reached, not only the validation."""
    from gongkai.ledger.requests.models import Application

    # given
    settings.RATELIMIT_ENABLE = False
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    tokens = {name: token_for(name) for name in ("sfj_clerk", "sfj_head")}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    calls = 0

    def fuzz(operation, mode, token):
        strategy = operation.as_strategy(
            generation_mode=mode, headers={"Authorization": f"Bearer {token}"}
        )
        real_case = mode.is_positive and "/applications/{id}" in operation.path

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal calls
            calls += 1
            if real_case:
                app = ledger[calls % len(ledger)]
                case.path_parameters["id"] = app.pk
                if isinstance(case.body, dict) and "version" in case.body:
                    case.body["version"] = Application.objects.get(pk=app.pk).version
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r} "
                    f"→ {response.status_code}"
                )

        run()

    for operation in operations:
        username = "sfj_head" if operation.path.rstrip("/").endswith(HEAD_ACTIONS) else "sfj_clerk"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, tokens[username])

    # then
    assert failures == []
