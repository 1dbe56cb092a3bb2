"""三审三校 and the confidentiality review: every step through its action object, with state and
audit events checked; the rules of who may approve what."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing import actions
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.models import Publication, ReviewStep
from gongkai.ledger.publishing.selectors import publication_list_public

pytestmark = pytest.mark.django_db

Status = Publication.Status


def _codes(publication):
    return list(
        AuditEvent.objects.filter(
            subject_type="publishing.publication", subject_id=str(publication.pk)
        )
        .order_by("occurred_at", "id")
        .values_list("action", flat=True)
    )


def test_a_draft_goes_through_three_reviews_and_the_confidentiality_review(make_draft, users):
    # given
    draft = make_draft()
    assert draft.status == Status.DRAFT and draft.version == 1
    assert not publication_list_public().filter(pk=draft.pk).exists()
    # when / then: each step moves the item on and is audited
    item = actions.SubmitAction(draft, actor=users["sfj_clerk"]).execute()
    assert item.status == Status.FIRST_REVIEW and item.review_round == 1
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    assert item.status == Status.SECOND_REVIEW
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    assert item.status == Status.FINAL_REVIEW
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    assert item.status == Status.CONFIDENTIALITY_REVIEW
    assert not publication_list_public().filter(pk=draft.pk).exists()
    item = actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert item.published_at is not None
    assert item.index_number.startswith("11410000MB00000036/")
    assert publication_list_public().filter(pk=draft.pk).exists()
    steps = list(
        item.review_steps.values_list("stage", "decision", "reviewer__username", "proofread")
    )
    assert steps == [
        ("first", "approved", "sfj_reviewer", True),
        ("second", "approved", "sfj_reviewer2", True),
        ("final", "approved", "sfj_head", True),
        ("confidentiality", "approved", "sfj_secrecy", False),
    ]
    assert _codes(item) == [
        "publication.created",
        "publication.submitted",
        "publication.first_review_approved",
        "publication.second_review_approved",
        "publication.final_review_approved",
        "publication.confidentiality_review_approved",
        "publication.published",
    ]
    published = AuditEvent.objects.get(action="publication.published", subject_id=str(item.pk))
    assert published.data["after"]["index_number"] == item.index_number
    assert published.actor.username == "sfj_secrecy"


def test_a_reviewer_cannot_approve_their_own_draft(make_draft, users):
    """A reviewer who also drafts (two roles) may not review what they wrote."""
    from django.contrib.auth.models import Group

    # given: the first reviewer also holds the clerk role and drafts an item
    reviewer = users["sfj_reviewer"]
    reviewer.groups.add(Group.objects.get(name="经办人"))
    draft = make_draft(actor="sfj_reviewer")
    item = actions.SubmitAction(draft, actor=reviewer).execute()
    # when / then
    with pytest.raises(ActionRefused, match="不能审核本人起草或修改的信息"):
        actions.FirstReviewAction(item, actor=reviewer, proofread=True).execute()
    item.refresh_from_db()
    assert item.status == Status.FIRST_REVIEW
    assert not item.review_steps.exists()
    # another reviewer can
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    assert item.status == Status.SECOND_REVIEW


def test_one_person_cannot_review_two_levels_of_the_same_round(make_draft, users):
    head = users["sfj_head"]  # holds review_publication and final_review_publication
    item = actions.SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    item = actions.FirstReviewAction(item, actor=head, proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    with pytest.raises(ActionRefused, match="同一人不能审核两个环节"):
        actions.FinalReviewAction(item, actor=head, proofread=True).execute()
    item.refresh_from_db()
    assert item.status == Status.FINAL_REVIEW


def test_approving_a_review_level_needs_its_proofreading(make_draft, users):
    item = actions.SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    with pytest.raises(ActionRefused, match="请确认已完成初审校对"):
        actions.FirstReviewAction(item, actor=users["sfj_reviewer"]).execute()


def test_returning_needs_a_comment_and_sends_the_item_back_to_draft(make_draft, users, publish):
    item = actions.SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    with pytest.raises(ActionRefused, match="修改意见"):
        actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], decision="return").execute()
    item = actions.SecondReviewAction(
        item, actor=users["sfj_reviewer2"], decision="return", comment="第二段文号有误"
    ).execute()
    assert item.status == Status.DRAFT
    step = item.review_steps.get(stage="second")
    assert step.decision == ReviewStep.Decision.RETURNED and step.comment == "第二段文号有误"
    event = AuditEvent.objects.get(action="publication.second_review_returned")
    assert event.data["after"]["comment"] == "第二段文号有误"
    # the next round starts again at the first review, with the same reviewers allowed
    item = publish(item)
    assert item.status == Status.PUBLISHED and item.review_round == 2


def test_steps_cannot_be_skipped(make_draft, users):
    draft = make_draft()
    with pytest.raises(ActionRefused, match="不在终审环节"):
        actions.FinalReviewAction(draft, actor=users["sfj_head"], proofread=True).execute()
    item = actions.SubmitAction(draft, actor=users["sfj_clerk"]).execute()
    with pytest.raises(ActionRefused, match="不在保密审查环节"):
        actions.ConfidentialityReviewAction(item, actor=users["sfj_secrecy"]).execute()
    with pytest.raises(ActionRefused):
        actions.WithdrawAction(item, actor=users["sfj_head"], reason="x").execute()


# Who may take each step (the demo roles); everyone else is refused.
STEP_ROLES = {
    "submit": {"sfj_clerk"},
    "first": {"sfj_reviewer", "sfj_reviewer2", "sfj_head"},
    "final": {"sfj_head"},
    "confidentiality": {"sfj_secrecy"},
}
STAFF = [
    "sfj_clerk",
    "sfj_reviewer",
    "sfj_reviewer2",
    "sfj_secrecy",
    "sfj_head",
    "sfj_admin",
    "zwgkb",
    "zrzyj_clerk",
    "zrzyj_head",
]


def _item_at(step, make_draft, users):
    draft = make_draft()
    if step == "submit":
        return draft, lambda actor: actions.SubmitAction(draft, actor=actor)
    item = actions.SubmitAction(draft, actor=users["sfj_clerk"]).execute()
    if step == "first":
        return item, lambda actor: actions.FirstReviewAction(item, actor=actor, proofread=True)
    item = actions.FirstReviewAction(item, actor=users["sfj_reviewer"], proofread=True).execute()
    item = actions.SecondReviewAction(item, actor=users["sfj_reviewer2"], proofread=True).execute()
    if step == "final":
        return item, lambda actor: actions.FinalReviewAction(item, actor=actor, proofread=True)
    item = actions.FinalReviewAction(item, actor=users["sfj_head"], proofread=True).execute()
    return item, lambda actor: actions.ConfidentialityReviewAction(item, actor=actor)


@pytest.mark.parametrize("step", list(STEP_ROLES))
def test_role_matrix_of_the_workflow(step, make_draft, users):
    item, action_for = _item_at(step, make_draft, users)
    allowed = {name for name in STAFF if action_for(users[name]).is_available()}
    assert allowed == STEP_ROLES[step]


def test_staff_of_another_agency_are_refused(make_draft, users):
    item = actions.SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    with pytest.raises(ActionRefused, match="权限"):
        actions.FirstReviewAction(item, actor=users["zrzyj_head"], proofread=True).check()


def test_a_stale_approval_is_refused(make_draft, users):
    item = actions.SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    stale_version = item.version - 1
    with pytest.raises(StaleVersion, match="已被他人修改"):
        actions.FirstReviewAction(
            item, actor=users["sfj_reviewer"], proofread=True, expected_version=stale_version
        ).execute()


def test_blocking_dictionary_terms_stop_submission(make_draft, users):
    draft = make_draft(body="<p>依据《中华人名共和国政府信息公开条列》办理。</p>")
    with pytest.raises(ActionRefused, match="中华人名共和国") as refused:
        actions.SubmitAction(draft, actor=users["sfj_clerk"]).execute()
    assert "中华人民共和国" in str(refused.value)  # the suggestion
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_future_publishing_time_schedules_the_item(make_draft, publish):
    from gongkai.core import clock

    when = clock.now() + dt.timedelta(days=2)
    item = publish(make_draft(scheduled_at=when))
    assert item.status == Status.SCHEDULED
    assert item.index_number == "" and item.published_at is None
    assert not publication_list_public().filter(pk=item.pk).exists()
    assert "publication.scheduled" in _codes(item)


def test_the_scheduled_action_publishes_when_due_only(make_draft, publish):
    from gongkai.core import clock

    when = clock.now() + dt.timedelta(hours=1)
    item = publish(make_draft(scheduled_at=when))
    with pytest.raises(ActionRefused, match="尚未到定时发布时间"):
        actions.PublishScheduledAction(item, actor=None).execute()
    item = actions.PublishScheduledAction(
        item, actor=None, now=when + dt.timedelta(minutes=1)
    ).execute()
    assert item.status == Status.PUBLISHED
    event = AuditEvent.objects.get(
        action="publication.published_scheduled", subject_id=str(item.pk)
    )
    assert event.actor is None and event.actor_label == "系统"


def test_withdrawal_needs_a_reason_and_takes_the_item_off_the_portal(make_draft, publish, users):
    item = publish(make_draft())
    with pytest.raises(ActionRefused, match="撤回原因"):
        actions.WithdrawAction(item, actor=users["sfj_head"]).execute()
    with pytest.raises(ActionRefused, match="权限"):
        actions.WithdrawAction(item, actor=users["sfj_clerk"], reason="有误").execute()
    item = actions.WithdrawAction(
        item, actor=users["sfj_head"], reason="附件有误，更正后重发"
    ).execute()
    assert item.status == Status.WITHDRAWN
    assert item.withdrawal_reason == "附件有误，更正后重发"
    assert not publication_list_public().filter(pk=item.pk).exists()
    assert item.index_number  # the number stays taken
    event = AuditEvent.objects.get(action="publication.withdrawn")
    assert event.data["after"]["reason"] == "附件有误，更正后重发"
