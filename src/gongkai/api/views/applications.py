"""Applications (依申请公开): the work list, a case, registration, edits and the case actions.

Reads go through ``selectors.application_list_for_user`` / ``application_get_for_user`` (a
foreign case is a 404 like a missing one); writes through the services, which check status,
role, guard and ``version`` again inside their transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from gongkai.api import serializers as s
from gongkai.api.permissions import CASES
from gongkai.api.views.base import ERRORS, ApiView, paginate
from gongkai.core import clock
from gongkai.core.scoping import staff_agency
from gongkai.ledger.requests import services
from gongkai.ledger.requests.models import Application
from gongkai.ledger.requests.selectors import (
    application_filter,
    application_get_for_user,
    application_list_for_user,
)
from gongkai.ledger.requests.transitions import (
    TRANSITIONS,
    Action,
    TransitionError,
    transition_for,
)

TAG = ["依申请公开"]


def _detail(request: Request, app: Application) -> dict[str, Any]:
    context = {"request": request, "today": clock.today()}
    return s.ApplicationDetailSerializer(app, context=context).data


class ApplicationList(ApiView):
    required_any = {"GET": CASES, "POST": CASES}
    required = {"POST": ("register_application",)}

    @extend_schema(
        tags=TAG,
        summary="申请列表（工作台的筛选条件）",
        parameters=[s.ApplicationFilterSerializer],
        responses={200: s.ApplicationSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = s.ApplicationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        today = clock.today()
        qs = application_filter(
            application_list_for_user(request.user), filters.params(), today=today
        ).order_by("due_on", "-registration_year", "-registration_seq", "-pk")
        return paginate(
            self,
            request,
            qs,
            lambda page: (
                s.ApplicationSummarySerializer(
                    page, many=True, context={"request": request, "today": today}
                ).data
            ),
        )

    @extend_schema(
        tags=TAG,
        summary="登记申请（工作人员收到的申请）",
        request=s.ApplicationRegisterSerializer,
        responses={201: s.ApplicationDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        agency = staff_agency(request.user)
        if agency is None:
            raise PermissionDenied("平台管理员请以机关工作人员身份登记申请。")
        data = s.ApplicationRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        dates = {k: d.pop(k) for k in ("channel", "submitted_on", "signed_on", "confirmed_on")}
        app = services.application_register(agency=agency, actor=request.user, data=d, **dates)
        body = _detail(request, app)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


class ApplicationDetail(ApiView):
    required_any = {"GET": CASES, "PATCH": CASES}
    required = {"PATCH": ("handle_application",)}

    @extend_schema(
        tags=TAG,
        summary="一件申请",
        responses={200: s.ApplicationDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        app = application_get_for_user(user=request.user, application_id=pk)
        return Response(_detail(request, app))

    @extend_schema(
        tags=TAG,
        summary="修改申请信息（办理中的申请）",
        request=s.ApplicationUpdateSerializer,
        responses={200: s.ApplicationDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        app = application_get_for_user(user=request.user, application_id=pk)
        data = s.ApplicationUpdateSerializer(
            data=request.data, partial=True, context={"application": app}
        )
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        version = d.pop("version", None)
        if version is None:
            required = serializers.Field.default_error_messages["required"]
            raise serializers.ValidationError({"version": [required]})
        note = d.pop("correction_note", "")
        with services.correction_note(note):
            app = services.application_update(
                application=app, actor=request.user, data=d, expected_version=version
            )
        return Response(_detail(request, app))


# -- the case actions: one endpoint each ----------------------------------------------------


def _run(action: Action, app: Application, user: Any, d: dict[str, Any]) -> Application:
    """Call the action's service with the validated input (as the back office's ``_run``)."""
    common = {"application": app, "actor": user, "expected_version": d.pop("version")}
    d.pop("correction_note", None)
    calls: dict[Action, Callable[..., Application]] = {
        Action.CONFIRM_RECEIPT: services.application_confirm_receipt,
        Action.REQUEST_AMENDMENT: services.application_request_amendment,
        Action.RECEIVE_AMENDMENT: services.application_receive_amendment,
        Action.CONSULT: services.application_consult,
        Action.RECORD_CONSULTATION_REPLY: services.application_record_consultation_reply,
        Action.PROPOSE_EXTENSION: services.application_propose_extension,
        Action.APPROVE_EXTENSION: services.application_approve_extension,
        Action.REJECT_EXTENSION: services.application_reject_extension,
        Action.NOTIFY_EXTENSION: services.application_notify_extension,
        Action.SET_DELAYED_REPLY: services.application_set_delayed_reply,
        Action.ISSUE_FEE_NOTICE: services.application_issue_fee_notice,
        Action.RECORD_PAYMENT: services.application_record_payment,
        Action.DRAFT_DECISION: services.application_draft_decision,
        Action.REVIEW_DECISION: services.application_review_decision,
        Action.RETURN_DECISION: services.application_return_decision,
        Action.SIGN_DECISION: services.application_sign_decision,
        Action.SERVE_REPLY: services.application_serve_reply,
        Action.CLOSE_LAPSED: services.application_close_lapsed,
        Action.TRANSFER: services.application_transfer,
        Action.REOPEN: services.application_reopen,
    }
    renames = {
        Action.RECORD_CONSULTATION_REPLY: {"consultation": "consultation_id"},
        Action.DRAFT_DECISION: {"legal_basis": "legal_basis_text"},
        Action.ISSUE_FEE_NOTICE: {},
    }
    kwargs = {renames.get(action, {}).get(k, k): v for k, v in d.items()}
    for optional_today in ("notice_on", "decided_on", "letter_date"):
        if optional_today in kwargs and kwargs[optional_today] is None:
            del kwargs[optional_today]  # the service's default: today
    return calls[action](**common, **kwargs)


ACTION_SERIALIZERS: dict[Action, type[s.ActionSerializer]] = {
    Action.CONFIRM_RECEIPT: s.ConfirmReceiptSerializer,
    Action.REQUEST_AMENDMENT: s.RequestAmendmentSerializer,
    Action.RECEIVE_AMENDMENT: s.ReceiveAmendmentSerializer,
    Action.CONSULT: s.ConsultSerializer,
    Action.RECORD_CONSULTATION_REPLY: s.ConsultationReplySerializer,
    Action.PROPOSE_EXTENSION: s.ProposeExtensionSerializer,
    Action.APPROVE_EXTENSION: s.ApproveExtensionSerializer,
    Action.REJECT_EXTENSION: s.NoteSerializer,
    Action.NOTIFY_EXTENSION: s.NotifyExtensionSerializer,
    Action.SET_DELAYED_REPLY: s.DelayedReplySerializer,
    Action.ISSUE_FEE_NOTICE: s.FeeNoticeSerializer,
    Action.RECORD_PAYMENT: s.PaymentSerializer,
    Action.DRAFT_DECISION: s.DraftDecisionSerializer,
    Action.REVIEW_DECISION: s.NoteSerializer,
    Action.RETURN_DECISION: s.RequiredNoteSerializer,
    Action.SIGN_DECISION: s.SignSerializer,
    Action.SERVE_REPLY: s.ServeSerializer,
    Action.CLOSE_LAPSED: s.ActionSerializer,
    Action.TRANSFER: s.TransferSerializer,
    Action.REOPEN: s.ReopenSerializer,
}


def action_required(action: Action) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all of, any of) the codenames an action needs: the case list's, and the transition's
    own permission; returning a draft needs a reviewer's or the head's codename (its guard)."""
    t = TRANSITIONS[action]
    if t.guard == "may_return":
        return (t.permission,), ("review_publication", "sign_decision")
    return (t.permission,), CASES


class ApplicationActionView(ApiView):
    """Base of the generated per-action views (``action`` and ``input`` set by ``action_view``)."""

    action: Action = Action.CONFIRM_RECEIPT
    input: type[s.ActionSerializer] = s.ActionSerializer

    def post(self, request: Request, pk: int) -> Response:
        app = application_get_for_user(user=request.user, application_id=pk)
        data = self.input(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        # The service checks both again under the row lock; checked first here because some
        # services read decision fields before their transition check (serve_reply without a
        # reply type would fail with a ValueError instead of saying "not now").
        if d["version"] != app.version:
            raise services.StaleApplication()
        try:
            transition_for(self.action, app.status)
        except TransitionError as exc:
            raise services.ActionNotAllowed(str(exc)) from None
        with services.correction_note(d.get("correction_note", "")):
            updated = _run(self.action, app, request.user, d)
        return Response(_detail(request, updated))


def action_view(action: Action) -> type[ApplicationActionView]:
    required, any_of = action_required(action)
    t = TRANSITIONS[action]
    input_class = ACTION_SERIALIZERS[action]

    # A function of its own per action: the schema decorator annotates the function object.
    def post(self: ApplicationActionView, request: Request, pk: int) -> Response:
        return ApplicationActionView.post(self, request, pk)

    documented = extend_schema(
        tags=TAG,
        operation_id=f"application_{action.value}",
        summary=t.label,
        description=(
            f"权限：{t.permission}；允许的状态："
            + "、".join(sorted(st.label for st in t.sources))
            + "。状态不允许、条件不满足或数据有误时返回 400，version 过期时返回 409。"
        ),
        request=input_class,
        responses={
            200: s.ApplicationDetailSerializer,
            409: OpenApiResponse(s.ProblemSerializer, description="案件已被他人修改"),
            **ERRORS,
        },
    )(post)
    return type(
        f"Application{''.join(p.title() for p in action.value.split('_'))}",
        (ApplicationActionView,),
        {
            "action": action,
            "input": input_class,
            "required": {"POST": required},
            "required_any": {"POST": any_of},
            "post": documented,
            "__doc__": f"{t.label}（{action.value}）",
            "__module__": __name__,
        },
    )


ACTION_VIEWS: dict[Action, type[ApplicationActionView]] = {
    action: action_view(action) for action in ACTION_SERIALIZERS
}
