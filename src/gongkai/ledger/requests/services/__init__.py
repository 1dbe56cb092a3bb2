"""Services of the 依申请公开 app: one function per use case, keyword-only, atomic, audited."""

from gongkai.ledger.requests.services.base import (
    ActionNotAllowed,
    ApplicationError,
    StaleApplication,
    application_transition,
    available_actions,
    correction_note,
    published_years_of,
)
from gongkai.ledger.requests.services.clock import (
    application_clock,
    application_recompute_clock,
)
from gongkai.ledger.requests.services.decisions import (
    application_close_lapsed,
    application_draft_decision,
    application_reopen,
    application_return_decision,
    application_review_decision,
    application_serve_reply,
    application_sign_decision,
    application_transfer,
)
from gongkai.ledger.requests.services.handling import (
    application_approve_extension,
    application_consult,
    application_issue_fee_notice,
    application_notify_extension,
    application_propose_extension,
    application_receive_amendment,
    application_record_consultation_reply,
    application_record_payment,
    application_reject_extension,
    application_request_amendment,
    application_set_delayed_reply,
    application_update,
)
from gongkai.ledger.requests.services.intake import (
    application_confirm_receipt,
    application_register,
    application_submit_online,
)

__all__ = [
    "correction_note",
    "published_years_of",
    "ActionNotAllowed",
    "ApplicationError",
    "StaleApplication",
    "application_approve_extension",
    "application_clock",
    "application_close_lapsed",
    "application_confirm_receipt",
    "application_consult",
    "application_draft_decision",
    "application_issue_fee_notice",
    "application_notify_extension",
    "application_propose_extension",
    "application_receive_amendment",
    "application_recompute_clock",
    "application_record_consultation_reply",
    "application_record_payment",
    "application_register",
    "application_reject_extension",
    "application_reopen",
    "application_request_amendment",
    "application_return_decision",
    "application_review_decision",
    "application_serve_reply",
    "application_set_delayed_reply",
    "application_sign_decision",
    "application_submit_online",
    "application_transfer",
    "application_transition",
    "application_update",
    "available_actions",
]
