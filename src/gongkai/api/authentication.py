"""DRF authentication by API token: ``Authorization: Bearer gk_…``. No session authentication
(so no cookie, and no CSRF surface, on the API)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from gongkai.api.throttling import FailedTokenThrottle
from gongkai.api.tokens import user_for_token

KEYWORD = "Bearer"
INVALID = "接口令牌无效、已过期或已吊销。"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Authorization 请求头格式应为：Bearer 令牌。")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        found = user_for_token(raw)
        if found is None:
            limiter = FailedTokenThrottle()
            if not limiter.allow_request(request, None):
                raise exceptions.Throttled(wait=limiter.wait())
            raise exceptions.AuthenticationFailed(INVALID)
        return found

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request without valid credentials.
        return f'{KEYWORD} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "gongkai.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "接口令牌（gk_ 开头），由工作人员在工作后台“接口令牌”页面生成，"
            "或由运维人员运行 gongkai manage create_api_token 生成。",
        }
