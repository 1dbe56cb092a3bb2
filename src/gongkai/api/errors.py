"""One error format for the whole API, messages in Chinese::

400 {"detail": "提交的数据有误，请按提示修改。", "errors": {"field": ["这个字段是必填项。"]}}
400 {"detail": "当前状态“已办结”下不能执行“告知补正”。"}      (a service refused)
401 {"detail": "身份认证信息未提供。"}                        (+ WWW-Authenticate: Bearer)
403 {"detail": "您没有执行此操作的权限。"}
404 {"detail": "未找到该申请"}                               (missing and foreign alike)
409 {"detail": "该案件已被其他人修改……"}                       (stale ``version``)
429 {"detail": "请求已被限流。 预计 60 秒后可用。"}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongkai.ledger.annual.services import StaleEdit
from gongkai.ledger.requests.services import ApplicationError, StaleApplication
from gongkai.statutory.deadlines import ClockError

INVALID_INPUT = "提交的数据有误，请按提示修改。"


def _detail(message: str, code: int) -> Response:
    return Response({"detail": message}, status=code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleApplication | StaleEdit):
        message = "；".join(exc.messages) if isinstance(exc, StaleEdit) else str(exc)
        return _detail(message, status.HTTP_409_CONFLICT)
    if isinstance(exc, ApplicationError | ClockError):
        return _detail(str(exc), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return _detail("；".join(exc.messages), status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        response.data = {"detail": INVALID_INPUT, "errors": errors}
    return response
