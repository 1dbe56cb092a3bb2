"""The life of an application (依申请公开) as data: statuses, actions, and the ONE transition table.

Every status change goes through ``application_transition`` in ``services/base.py``, which reads
this table; views only ask ``allowed_actions`` which buttons to show. Pure Python (no Django), so
the table can be tested and documented on its own (docs/requests.md prints it).

条例第四十五条: 登记 → 审核 → 办理 → 答复 → 归档.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ACTION_ORDER",
    "AWAITING_APPLICANT",
    "CLOCK_PAUSED",
    "DECISION_PENDING",
    "OPEN",
    "TERMINAL",
    "TRANSITIONS",
    "Action",
    "Status",
    "Transition",
    "TransitionError",
    "allowed_actions",
    "transition_for",
]


class Status(StrEnum):
    SUBMITTED = "submitted"  # received by post/online/fax/e-mail, receipt date not confirmed yet
    IN_PROGRESS = "in_progress"
    AWAITING_AMENDMENT = "awaiting_amendment"
    CONSULTING = "consulting"
    AWAITING_FEE = "awaiting_fee"
    DECISION_REVIEW = "decision_review"  # the clerk's draft reply waits for the reviewer
    DECISION_SIGNING = "decision_signing"  # reviewed, waits for the head's signature
    DECIDED = "decided"  # signed, not yet served
    CLOSED = "closed"  # reply served (办结)
    LAPSED = "lapsed"  # 视为放弃申请 (逾期不补正 / 逾期未缴费)
    TRANSFERRED = "transferred"  # sent to the competent agency on the platform

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def public_label(self) -> str:
        """What the applicant sees on the portal (no internal workflow detail)."""
        return PUBLIC_STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.SUBMITTED: "待确认收到",
    Status.IN_PROGRESS: "办理中",
    Status.AWAITING_AMENDMENT: "待申请人补正",
    Status.CONSULTING: "征求意见中",
    Status.AWAITING_FEE: "待缴纳信息处理费",
    Status.DECISION_REVIEW: "答复待审核",
    Status.DECISION_SIGNING: "答复待签发",
    Status.DECIDED: "已签发待送达",
    Status.CLOSED: "已办结",
    Status.LAPSED: "视为放弃申请",
    Status.TRANSFERRED: "已转送其他机关",
}

PUBLIC_STATUS_LABELS: dict[Status, str] = {
    Status.SUBMITTED: "已提交，待工作机构确认收到",
    Status.IN_PROGRESS: "办理中",
    Status.AWAITING_AMENDMENT: "需要您补正申请",
    Status.CONSULTING: "办理中（征求意见，期间不计入答复期限）",
    Status.AWAITING_FEE: "待缴纳信息处理费",
    Status.DECISION_REVIEW: "办理中",
    Status.DECISION_SIGNING: "办理中",
    Status.DECIDED: "已作出答复，待送达",
    Status.CLOSED: "已答复",
    Status.LAPSED: "视为放弃申请，不再处理",
    Status.TRANSFERRED: "已转送负责公开的机关",
}

TERMINAL: frozenset[Status] = frozenset({Status.CLOSED, Status.LAPSED, Status.TRANSFERRED})
OPEN: frozenset[Status] = frozenset(Status) - TERMINAL
CLOCK_PAUSED: frozenset[Status] = frozenset({Status.CONSULTING, Status.AWAITING_FEE})
AWAITING_APPLICANT: frozenset[Status] = frozenset({Status.AWAITING_AMENDMENT, Status.AWAITING_FEE})
DECISION_PENDING: frozenset[Status] = frozenset(
    {Status.DECISION_REVIEW, Status.DECISION_SIGNING, Status.DECIDED}
)
# While the reply period runs (extension and 第三十五条 may be decided then).
_RUNNING: frozenset[Status] = frozenset(
    {Status.IN_PROGRESS, Status.CONSULTING, Status.DECISION_REVIEW, Status.DECISION_SIGNING}
)


class Action(StrEnum):
    CONFIRM_RECEIPT = "confirm_receipt"
    EDIT = "edit"
    REQUEST_AMENDMENT = "request_amendment"
    RECEIVE_AMENDMENT = "receive_amendment"
    CONSULT = "consult"
    RECORD_CONSULTATION_REPLY = "record_consultation_reply"
    PROPOSE_EXTENSION = "propose_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    NOTIFY_EXTENSION = "notify_extension"
    SET_DELAYED_REPLY = "set_delayed_reply"
    ISSUE_FEE_NOTICE = "issue_fee_notice"
    RECORD_PAYMENT = "record_payment"
    DRAFT_DECISION = "draft_decision"
    REVIEW_DECISION = "review_decision"
    RETURN_DECISION = "return_decision"
    SIGN_DECISION = "sign_decision"
    SERVE_REPLY = "serve_reply"
    CLOSE_LAPSED = "close_lapsed"
    TRANSFER = "transfer"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return TRANSITIONS[self].label


@dataclass(frozen=True)
class Transition:
    """One allowed move: from any of ``sources`` to one of ``targets`` (empty = status unchanged).

    ``permission`` is a codename on ``core.Agency`` (see ``gongkai.core.roles``); ``guard`` names
    an extra condition on the application checked by ``services.base.guard_ok`` (e.g. an
    extension must be proposed before it can be approved).
    """

    action: Action
    sources: frozenset[Status]
    targets: tuple[Status, ...]
    permission: str
    label: str
    guard: str = ""
    audit_code: str = ""

    @property
    def default_target(self) -> Status | None:
        return self.targets[0] if self.targets else None


def _t(
    action: Action,
    sources: Iterable[Status],
    targets: tuple[Status, ...],
    permission: str,
    label: str,
    guard: str = "",
) -> Transition:
    return Transition(
        action,
        frozenset(sources),
        targets,
        permission,
        label,
        guard,
        f"application.{action.value}",
    )


S = Status
A = Action
HANDLE = "handle_application"

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        _t(A.CONFIRM_RECEIPT, {S.SUBMITTED}, (S.IN_PROGRESS,), HANDLE, "确认收到申请"),
        _t(A.EDIT, OPEN, (), HANDLE, "修改申请信息"),
        _t(A.REQUEST_AMENDMENT, {S.IN_PROGRESS}, (S.AWAITING_AMENDMENT,), HANDLE, "告知补正"),
        _t(A.RECEIVE_AMENDMENT, {S.AWAITING_AMENDMENT}, (S.IN_PROGRESS,), HANDLE, "收到补正"),
        _t(A.CONSULT, {S.IN_PROGRESS, S.CONSULTING}, (S.CONSULTING,), HANDLE, "书面征求意见"),
        _t(
            A.RECORD_CONSULTATION_REPLY,
            {S.CONSULTING},
            (S.IN_PROGRESS, S.CONSULTING),
            HANDLE,
            "登记反馈意见",
        ),
        _t(A.PROPOSE_EXTENSION, _RUNNING, (), HANDLE, "提请延期答复", "no_extension"),
        _t(
            A.APPROVE_EXTENSION,
            _RUNNING,
            (),
            "approve_extension",
            "批准延期答复",
            "extension_proposed",
        ),
        _t(
            A.REJECT_EXTENSION,
            _RUNNING,
            (),
            "approve_extension",
            "不同意延期",
            "extension_proposed",
        ),
        _t(
            A.NOTIFY_EXTENSION,
            _RUNNING,
            (),
            HANDLE,
            "登记延期告知送达",
            "extension_unnotified",
        ),
        _t(
            A.SET_DELAYED_REPLY, _RUNNING, (), "approve_extension", "确定延迟答复期限（第三十五条）"
        ),
        _t(A.ISSUE_FEE_NOTICE, {S.IN_PROGRESS}, (S.AWAITING_FEE,), HANDLE, "发出收费通知"),
        _t(A.RECORD_PAYMENT, {S.AWAITING_FEE}, (S.IN_PROGRESS,), HANDLE, "登记已缴费"),
        _t(A.DRAFT_DECISION, {S.IN_PROGRESS}, (S.DECISION_REVIEW,), HANDLE, "拟写答复"),
        _t(
            A.REVIEW_DECISION,
            {S.DECISION_REVIEW},
            (S.DECISION_SIGNING,),
            "review_publication",
            "审核通过",
        ),
        _t(
            A.RETURN_DECISION,
            {S.DECISION_REVIEW, S.DECISION_SIGNING},
            (S.IN_PROGRESS,),
            "view_cases",
            "退回修改",
            "may_return",
        ),
        _t(
            A.SIGN_DECISION,
            {S.DECISION_REVIEW, S.DECISION_SIGNING},
            (S.DECIDED,),
            "sign_decision",
            "签发答复",
        ),
        _t(A.SERVE_REPLY, {S.DECIDED}, (S.CLOSED,), HANDLE, "登记送达"),
        _t(
            A.CLOSE_LAPSED,
            {S.AWAITING_AMENDMENT, S.AWAITING_FEE},
            (S.LAPSED,),
            HANDLE,
            "视为放弃申请，终止处理",
            "clock_lapsed",
        ),
        _t(A.TRANSFER, {S.SUBMITTED, S.IN_PROGRESS}, (S.TRANSFERRED,), HANDLE, "转送其他机关"),
        _t(
            A.REOPEN,
            {S.CLOSED, S.LAPSED},
            (S.IN_PROGRESS,),
            HANDLE,
            "重新办理（复议/诉讼纠正）",
            "corrected_appeal",
        ),
    )
}

ACTION_ORDER: tuple[Action, ...] = tuple(TRANSITIONS)


class TransitionError(Exception):
    """A move the table does not allow (message in Chinese)."""


def transition_for(action: Action | str, status: Status | str) -> Transition:
    """The transition of ``action`` from ``status``; ``TransitionError`` if not allowed."""
    t = TRANSITIONS[Action(action)]
    st = Status(status)
    if st not in t.sources:
        raise TransitionError(f"当前状态“{st.label}”下不能执行“{t.label}”。")
    return t


def allowed_actions(status: Status | str, permissions: Iterable[str]) -> list[Action]:
    """Actions whose source includes ``status`` and whose permission is in ``permissions``
    (guards are checked by the Django side, which sees the application)."""
    st = Status(status)
    perms = set(permissions)
    return [a for a, t in TRANSITIONS.items() if st in t.sources and t.permission in perms]
