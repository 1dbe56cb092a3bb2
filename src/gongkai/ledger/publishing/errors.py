"""Exceptions of the publishing services and actions (messages in Chinese, shown to staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ActionRefused(PermissionDenied):
    """An action's ``check()`` failed: wrong role, wrong state, own draft, blocking findings…"""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StaleVersion(Exception):
    """Someone changed the record since the form was loaded (optimistic locking)."""

    def __init__(self, *, expected: int, current: int) -> None:
        self.expected = expected
        self.current = current
        self.message = (
            f"该信息已被他人修改（您编辑的是第 {expected} 版，当前为第 {current} 版），"
            "本次操作未保存。请刷新页面，核对最新内容后重新操作。"
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
