"""The transition table as data (no database)."""

from __future__ import annotations

import pytest

from gongkai.core.roles import PERMISSIONS
from gongkai.ledger.requests.outcomes import REPLY_SPECS, ReplyType, legal_basis, report_row
from gongkai.ledger.requests.transitions import (
    OPEN,
    TERMINAL,
    TRANSITIONS,
    Action,
    Status,
    TransitionError,
    allowed_actions,
    transition_for,
)
from gongkai.statutory.formats import LAYOUT_2019, LAYOUT_2021, RowKey


def test_every_permission_in_the_table_exists():
    for t in TRANSITIONS.values():
        assert t.permission in PERMISSIONS, t


def test_terminal_statuses_only_leave_by_reopening():
    for action, t in TRANSITIONS.items():
        if t.sources & TERMINAL:
            assert action is Action.REOPEN


def test_every_open_status_can_move_on():
    for status in OPEN:
        assert any(status in t.sources and t.targets for t in TRANSITIONS.values()), status


def test_wrong_status_is_refused_in_chinese():
    with pytest.raises(TransitionError, match="当前状态“已办结”下不能执行“告知补正”"):
        transition_for(Action.REQUEST_AMENDMENT, Status.CLOSED)


def test_allowed_actions_follow_roles():
    clerk = {"handle_application", "view_cases"}
    head = {"approve_extension", "sign_decision", "view_cases", "review_publication"}
    assert Action.SIGN_DECISION not in allowed_actions(Status.DECISION_REVIEW, clerk)
    assert Action.SIGN_DECISION in allowed_actions(Status.DECISION_REVIEW, head)
    assert Action.DRAFT_DECISION in allowed_actions(Status.IN_PROGRESS, clerk)


def test_every_outcome_row_has_a_reply_type():
    rows = {s.row for s in REPLY_SPECS.values()}
    assert rows == set(LAYOUT_2021.outcome_keys)


def test_partial_disclosure_is_o2_and_cites_the_grounds():
    assert REPLY_SPECS[ReplyType.PARTIAL].row is RowKey.O2
    assert legal_basis("partial", ["third_party"]).endswith("第三十七条、第十五条、第三十二条")


def test_2019_reports_fold_other_processing():
    assert report_row("lapsed_fee", 2020) is RowKey.O6
    assert report_row("lapsed_fee", 2021) is RowKey.O6_2
    assert RowKey.O6 in LAYOUT_2019.outcome_keys
