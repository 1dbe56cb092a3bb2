"""The publishing workflow (三审三校 + 保密审查) as action objects, one per step.

Every entry point — back-office views, the ``publish_scheduled`` command, the demo — uses the
same classes::

    action = FirstReviewAction(publication, actor=user, decision="approve", proofread=True)
    action.check()      # raises ActionRefused (a PermissionDenied) or StaleVersion
    action.execute()    # locks the row, checks again, changes it, writes the audit event

The allowed moves are data (``TRANSITIONS``); ``execute`` is atomic and writes exactly one
audit event for its step (plus ``publication.published`` when the step publishes).

Rules enforced in ``check``:
* the actor holds the step's permission and the item's agency is within their scope;
* the item is in the step's state, and unchanged since the actor loaded it (``version``);
* nobody reviews an item they drafted or last edited, and nobody reviews two levels of the
  same round — three reviews are three people;
* approving a review level confirms its proofreading (三校); returning needs a comment;
* blocking dictionary findings stop submission and publication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, clock
from gongkai.ledger.publishing.access import can_act_for
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.models import Publication, ReviewStep
from gongkai.ledger.publishing.services.checks import blocking_findings, describe_findings
from gongkai.ledger.publishing.services.publications import apply_publish
from gongkai.ledger.publishing.services.search import search_index_remove
from gongkai.ledger.publishing.text import plain_text

Status = Publication.Status
Stage = ReviewStep.Stage
APPROVE = "approve"
RETURN = "return"

# (from status, step) -> to status. A confidentiality approval goes to PUBLISHED, or to
# SCHEDULED when a future publishing time is set.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Status.DRAFT, "submit"): (Status.FIRST_REVIEW,),
    (Status.FIRST_REVIEW, APPROVE): (Status.SECOND_REVIEW,),
    (Status.SECOND_REVIEW, APPROVE): (Status.FINAL_REVIEW,),
    (Status.FINAL_REVIEW, APPROVE): (Status.CONFIDENTIALITY_REVIEW,),
    (Status.CONFIDENTIALITY_REVIEW, APPROVE): (Status.PUBLISHED, Status.SCHEDULED),
    (Status.FIRST_REVIEW, RETURN): (Status.DRAFT,),
    (Status.SECOND_REVIEW, RETURN): (Status.DRAFT,),
    (Status.FINAL_REVIEW, RETURN): (Status.DRAFT,),
    (Status.CONFIDENTIALITY_REVIEW, RETURN): (Status.DRAFT,),
    (Status.SCHEDULED, "publish"): (Status.PUBLISHED,),
    (Status.SCHEDULED, "withdraw"): (Status.WITHDRAWN,),
    (Status.PUBLISHED, "withdraw"): (Status.WITHDRAWN,),
}


class PublicationAction:
    """Base class: permission + state in ``check()``, the change in ``execute()``."""

    step: ClassVar[str]
    label: ClassVar[str]
    permission: ClassVar[str]
    audit_code: ClassVar[str]
    do_not_call_in_templates: ClassVar[bool] = True  # templates read .label of the class

    def __init__(
        self,
        publication: Publication,
        *,
        actor: Any,
        expected_version: int | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        self.publication = publication
        self.actor = actor
        self.expected_version = expected_version
        self.now = now

    # -- checks ------------------------------------------------------------------------------

    def check(self) -> None:
        """Raise ``ActionRefused`` (or ``StaleVersion``) unless the step may run now."""
        publication = self.publication
        self.check_permission()
        if self.expected_version is not None and publication.version != self.expected_version:
            raise StaleVersion(expected=self.expected_version, current=publication.version)
        if (publication.status, self.step) not in TRANSITIONS:
            raise ActionRefused(
                f"该信息当前状态为“{publication.get_status_display()}”，不能{self.label}"
            )
        self.check_step()

    def check_permission(self) -> None:
        if not can_act_for(self.actor, self.publication.agency, self.permission):
            raise ActionRefused(f"您没有{self.label}的权限")

    def check_step(self) -> None:
        """Step-specific rules (override)."""

    def is_available(self) -> bool:
        """Whether the step could run for this actor now (for showing buttons)."""
        try:
            self.check()
        except (ActionRefused, StaleVersion):
            return False
        return True

    # -- execution ---------------------------------------------------------------------------

    def execute(self) -> Publication:
        """Run the step in one transaction on the locked row; returns the updated row."""
        with transaction.atomic(durable=True):
            locked = (
                Publication.objects.select_for_update()
                .select_related("agency", "column")
                .get(pk=self.publication.pk)
            )
            self.publication = locked
            self.check()
            now = self.now or clock.now()
            before = {"status": locked.status, "version": locked.version}
            after = self.apply(locked, now)
            audit.record(
                actor=self.actor,
                action=self.audit_code,
                subject=locked,
                before=before,
                after={"status": locked.status, "version": locked.version, **after},
            )
            self.after_audit(locked, now)
        return locked

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        raise NotImplementedError

    def after_audit(self, publication: Publication, now: dt.datetime) -> None:
        """Follow-up inside the same transaction (e.g. the publish event)."""

    def _move(self, publication: Publication, to: str, now: dt.datetime, *extra: str) -> None:
        allowed = TRANSITIONS[(publication.status, self.step)]
        if to not in allowed:  # pragma: no cover - guarded by the transition table
            raise ActionRefused("不允许的状态变更")
        publication.status = to
        publication.version += 1
        publication.updated_at = now
        publication.save(update_fields=["status", "version", "updated_at", *extra])

    def _check_no_blocking_findings(self, what: str) -> None:
        findings = blocking_findings(self.publication)
        if findings:
            raise ActionRefused(
                f"正文含有须修改的错误用语或敏感内容，不能{what}：{describe_findings(findings)}"
            )


class SubmitAction(PublicationAction):
    """The drafter sends a draft (new or returned) to the first review."""

    step = "submit"
    label = "送审"
    permission = "draft_publication"
    audit_code = "publication.submitted"

    def check_step(self) -> None:
        publication = self.publication
        if not plain_text(publication.body) and not publication.attachments.exists():
            raise ActionRefused("正文和附件不能都为空")
        self._check_no_blocking_findings("送审")

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        publication.review_round += 1
        self._move(publication, Status.FIRST_REVIEW, now, "review_round")
        return {"round": publication.review_round}


class ReviewAction(PublicationAction):
    """One review level: approve (confirming the level's proofreading) or return with
    comments. Subclasses fix the level."""

    stage: ClassVar[str]
    status: ClassVar[str]
    next_status: ClassVar[str]
    needs_proofreading: ClassVar[bool] = True

    def __init__(
        self,
        publication: Publication,
        *,
        actor: Any,
        decision: str = APPROVE,
        comment: str = "",
        proofread: bool = False,
        expected_version: int | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(publication, actor=actor, expected_version=expected_version, now=now)
        if decision not in (APPROVE, RETURN):
            raise ValueError(decision)
        self.decision = decision
        self.comment = (comment or "").strip()
        self.proofread = proofread

    @property
    def step(self) -> str:  # type: ignore[override]
        return self.decision

    @property
    def audit_code(self) -> str:  # type: ignore[override]
        verb = "approved" if self.decision == APPROVE else "returned"
        return f"publication.{self.stage}_review_{verb}"

    def check(self) -> None:
        if self.publication.status != self.status:
            self.check_permission()
            raise ActionRefused(
                f"该信息当前状态为“{self.publication.get_status_display()}”，不在{self.label}环节"
            )
        super().check()

    def check_step(self) -> None:
        publication = self.publication
        actor_id = self.actor.pk
        if actor_id in (publication.created_by_id, publication.last_edited_by_id):
            raise ActionRefused("不能审核本人起草或修改的信息")
        earlier = ReviewStep.objects.filter(
            publication=publication, round=publication.review_round, reviewer_id=actor_id
        ).exclude(stage=self.stage)
        if earlier.exists():
            done = "、".join(sorted({s.get_stage_display() for s in earlier}))
            raise ActionRefused(f"您已在本轮{done}中审核过该信息，同一人不能审核两个环节")
        if self.decision == RETURN:
            if not self.comment:
                raise ActionRefused("退回修改时请填写修改意见")
            return
        if self.needs_proofreading and not self.proofread:
            raise ActionRefused(f"请确认已完成{self.label}校对")
        self.check_approval()

    def check_approval(self) -> None:
        """Extra rules for approving at this level (override)."""

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        ReviewStep.objects.create(
            publication=publication,
            round=publication.review_round,
            stage=self.stage,
            decision=(
                ReviewStep.Decision.APPROVED
                if self.decision == APPROVE
                else ReviewStep.Decision.RETURNED
            ),
            reviewer=self.actor,
            comment=self.comment,
            proofread=self.proofread,
            version=publication.version,
            decided_at=now,
        )
        to = self.next_status if self.decision == APPROVE else Status.DRAFT
        self._move(publication, self.target(publication, to, now), now)
        return {
            "stage": self.stage,
            "decision": self.decision,
            "comment": self.comment,
            "proofread": self.proofread,
            "round": publication.review_round,
        }

    def target(self, publication: Publication, to: str, now: dt.datetime) -> str:
        return to


class FirstReviewAction(ReviewAction):
    stage = Stage.FIRST
    status = Status.FIRST_REVIEW
    next_status = Status.SECOND_REVIEW
    label = "初审"
    permission = "review_publication"


class SecondReviewAction(ReviewAction):
    stage = Stage.SECOND
    status = Status.SECOND_REVIEW
    next_status = Status.FINAL_REVIEW
    label = "复审"
    permission = "review_publication"


class FinalReviewAction(ReviewAction):
    stage = Stage.FINAL
    status = Status.FINAL_REVIEW
    next_status = Status.CONFIDENTIALITY_REVIEW
    label = "终审"
    permission = "final_review_publication"

    def check_approval(self) -> None:
        self._check_no_blocking_findings("终审通过")


class ConfidentialityReviewAction(ReviewAction):
    """保密审查: the last gate. Approval publishes at once, or schedules the item when a
    future publishing time was set."""

    stage = Stage.CONFIDENTIALITY
    status = Status.CONFIDENTIALITY_REVIEW
    next_status = Status.PUBLISHED
    label = "保密审查"
    permission = "confidentiality_review"
    needs_proofreading = False
    _publish_now = False

    def check_approval(self) -> None:
        self._check_no_blocking_findings("发布")

    def target(self, publication: Publication, to: str, now: dt.datetime) -> str:
        if to == Status.PUBLISHED and publication.scheduled_at and publication.scheduled_at > now:
            return Status.SCHEDULED
        return to

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        result = super().apply(publication, now)
        if self._publish_now:
            apply_publish(publication, now=now)
        return result

    def _move(self, publication: Publication, to: str, now: dt.datetime, *extra: str) -> None:
        # Publishing (索引号, date, search index, status) is apply_publish's job.
        self._publish_now = to == Status.PUBLISHED
        if not self._publish_now:
            super()._move(publication, to, now, *extra)

    def after_audit(self, publication: Publication, now: dt.datetime) -> None:
        if publication.status == Status.PUBLISHED:
            _record_published(self.actor, publication, "publication.published")
        elif publication.status == Status.SCHEDULED:
            audit.record(
                actor=self.actor,
                action="publication.scheduled",
                subject=publication,
                after={"scheduled_at": timezone.localtime(publication.scheduled_at)},
            )


def _record_published(actor: Any, publication: Publication, code: str) -> None:
    audit.record(
        actor=actor,
        action=code,
        subject=publication,
        after={
            "index_number": publication.index_number,
            "published_at": timezone.localtime(publication.published_at),
        },
    )


class PublishScheduledAction(PublicationAction):
    """Publish a scheduled item whose time has come. Run by ``publish_scheduled`` (no user:
    the clearance was given at the confidentiality review); audited as
    ``publication.published_scheduled``. A head may also publish a scheduled item early."""

    step = "publish"
    label = "定时发布"
    permission = "final_review_publication"
    audit_code = "publication.published_scheduled"

    def check_permission(self) -> None:
        if self.actor is None:
            return  # the scheduler
        super().check_permission()

    def check_step(self) -> None:
        now = self.now or clock.now()
        publication = self.publication
        if self.actor is None and publication.scheduled_at and publication.scheduled_at > now:
            raise ActionRefused("尚未到定时发布时间")
        self._check_no_blocking_findings("发布")

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        apply_publish(publication, now=now)
        return {
            "index_number": publication.index_number,
            "scheduled_at": timezone.localtime(publication.scheduled_at)
            if publication.scheduled_at
            else None,
            "early": self.actor is not None,
        }


class WithdrawAction(PublicationAction):
    """Take a published (or scheduled) item down, with the reason. The item leaves the portal
    and the search index; its 索引号 stays taken."""

    step = "withdraw"
    label = "撤回"
    permission = "final_review_publication"
    audit_code = "publication.withdrawn"

    def __init__(
        self,
        publication: Publication,
        *,
        actor: Any,
        reason: str = "",
        expected_version: int | None = None,
        now: dt.datetime | None = None,
    ) -> None:
        super().__init__(publication, actor=actor, expected_version=expected_version, now=now)
        self.reason = (reason or "").strip()

    def check_step(self) -> None:
        if not self.reason:
            raise ActionRefused("请填写撤回原因")

    def apply(self, publication: Publication, now: dt.datetime) -> dict[str, Any]:
        was_published = publication.status == Status.PUBLISHED
        publication.withdrawn_at = now
        publication.withdrawn_by = self.actor
        publication.withdrawal_reason = self.reason
        self._move(
            publication, Status.WITHDRAWN, now, "withdrawn_at", "withdrawn_by", "withdrawal_reason"
        )
        if was_published:
            search_index_remove(publication)
        return {"reason": self.reason}


REVIEW_ACTIONS: dict[str, type[ReviewAction]] = {
    Status.FIRST_REVIEW: FirstReviewAction,
    Status.SECOND_REVIEW: SecondReviewAction,
    Status.FINAL_REVIEW: FinalReviewAction,
    Status.CONFIDENTIALITY_REVIEW: ConfidentialityReviewAction,
}


def review_action_for(publication: Publication) -> type[ReviewAction] | None:
    """The review level the item is waiting for, if any."""
    return REVIEW_ACTIONS.get(publication.status)
