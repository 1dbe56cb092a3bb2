"""Reference rows that data migrations create; a transactional test elsewhere in the suite may
have flushed them, so tests that need them put them back (idempotent)."""

from __future__ import annotations

import importlib

from django.apps import apps


def ensure_reference_data() -> None:
    module = importlib.import_module("gongkai.ledger.requests.migrations.0002_organisation_types")
    module.seed(apps, None)
