"""Fixtures of the publishing tests: the demo platform's justice bureau, its columns and staff,
and helpers that drive an item through the workflow with the real action objects."""

from __future__ import annotations

import pytest


def ensure_reference_data():
    """Topic classes and the term dictionary come from a data migration; a transactional test
    (browser tests) that ran earlier in the session flushed them, so load them again."""
    from django.apps import apps

    from gongkai.ledger.publishing.models import TermRule
    from gongkai.ledger.publishing.reference import sync_terms, sync_topics

    if not TermRule.objects.exists():
        sync_topics(apps)
        sync_terms(apps)


@pytest.fixture
def sfj(platform):
    ensure_reference_data()
    return platform["shifanxian-sfj"]


@pytest.fixture
def columns(sfj):
    from gongkai.ledger.publishing.demo import _ensure_columns

    return _ensure_columns(sfj)


@pytest.fixture
def users(platform):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def make_draft(columns, users):
    """A draft by sfj_clerk (keyword arguments go to ``publication_create``)."""
    from gongkai.ledger.publishing.services import publication_create

    def _make(
        title="关于开展人民调解工作的通知",
        body="<p>各司法所：现将人民调解工作安排通知如下。</p>",
        column="通知公告",
        actor="sfj_clerk",
        **fields,
    ):
        return publication_create(
            actor=users[actor], column=columns[column], title=title, body=body, **fields
        )

    return _make


@pytest.fixture
def publish(users):
    """Drive a draft through submit → 初审 → 复审 → 终审 → 保密审查 (published unless scheduled)."""
    from gongkai.ledger.publishing import actions

    def _publish(publication, *, drafter="sfj_clerk"):
        publication = actions.SubmitAction(publication, actor=users[drafter]).execute()
        publication = actions.FirstReviewAction(
            publication, actor=users["sfj_reviewer"], proofread=True
        ).execute()
        publication = actions.SecondReviewAction(
            publication, actor=users["sfj_reviewer2"], proofread=True
        ).execute()
        publication = actions.FinalReviewAction(
            publication, actor=users["sfj_head"], proofread=True
        ).execute()
        return actions.ConfidentialityReviewAction(
            publication, actor=users["sfj_secrecy"]
        ).execute()

    return _publish


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
