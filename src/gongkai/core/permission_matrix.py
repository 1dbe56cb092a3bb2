"""The permission matrix as data: who may use each back-office page, action and export, and each
API endpoint.

One ``Rule`` per URL name (and HTTP method, where one URL does two things). A rule names the
permission codenames it needs (on ``core.Agency``, see ``core.roles``): all of ``all_of`` and at
least one of ``any_of``. ``"manage_agency@government"`` in ``any_of`` means "``manage_agency``
held by staff of a people's government" (the region's administrators). Every staff rule also
needs ``view_backoffice`` and an agency; platform superusers pass every permission check
(``agency_only`` rules still refuse a superuser without an agency). ``platform_only`` rules are
for platform administrators (superusers) alone: every other account gets 403 (platform-wide
reference data such as the 主题分类 classes).

What a request gets, for the object the URL names (``owner``: the kind of object; it belongs to
an agency, or to a region for the supervising office's review batches):

* no session / no token: the login page (302), or 401 on the API;
* signed in without the permissions: 403;
* allowed, but the object belongs to an agency the user does not see: 404 — the same answer as
  for a missing object;
* otherwise: ``ok`` (200 for a page, usually 302 or 400 for an empty POST, 405 for GET on a
  POST-only action).

``tests/trust/test_permission_matrix.py`` walks every URL pattern of ``backoffice:`` and
``api:`` for an anonymous visitor and a demo account of each role, and fails on any URL the
matrix does not list (and on any rule whose URL is gone). ``role_table()`` gives the role ×
URL view used in the docs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.roles import ROLES, Role

__all__ = [
    "CASES",
    "REFERENCE_READERS",
    "MATRIX",
    "OVERSIGHT",
    "Kind",
    "Rule",
    "allowed",
    "role_allows",
    "role_table",
    "rule_for",
]


class Kind(StrEnum):
    PAGE = "page"  # 页面
    ACTION = "action"  # 操作（POST）
    EXPORT = "export"  # 导出、下载
    API = "api"  # 数据接口
    PUBLIC = "public"  # 无需登录（登录页、样式表、接口文档）


KIND_LABELS = {
    Kind.PAGE: "页面",
    Kind.ACTION: "操作",
    Kind.EXPORT: "导出",
    Kind.API: "接口",
    Kind.PUBLIC: "公开",
}

CASES = ("view_cases", "view_region")  # the back office's ``cases_required``
OVERSIGHT = ("audit_region", "manage_agency@government")  # ``oversight.selectors.can_oversee``
# publishing staff and administrators: who may look at the 错敏词库 and 主题分类 pages
# (``web.backoffice.publishing.reference_views.READERS``)
REFERENCE_READERS = (
    "draft_publication",
    "review_publication",
    "final_review_publication",
    "confidentiality_review",
    "manage_agency",
)


@dataclass(frozen=True)
class Rule:
    name: str  # URL name, e.g. "backoffice:requests:detail"
    kind: Kind
    label: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    method: str = "GET"
    ok: int = 200
    owner: str = ""  # kind of object named in the URL: application, agency, publication …
    agency_only: bool = False  # refused to a superuser without an agency (acts for an agency)
    after: tuple[str, ...] = ()  # codenames the view checks only once it has found the object
    anonymous: int | None = None  # PUBLIC rules: what an anonymous visitor gets
    platform_only: bool = False  # platform administrators (superusers) only

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.method)


def _r(name: str, kind: Kind, label: str, *all_of: str, **kwargs: object) -> Rule:
    return Rule(name, kind, label, tuple(all_of), **kwargs)  # type: ignore[arg-type]


P, A, E, X = Kind.PAGE, Kind.ACTION, Kind.EXPORT, Kind.API
B = "backoffice:"
RQ = "backoffice:requests:"
PB = "backoffice:publishing:"
AN = "backoffice:annual:"
OV = "backoffice:oversight:"
HANDLE = "handle_application"

BACKOFFICE: tuple[Rule, ...] = (
    # -- sign-in and the platform ---------------------------------------------------------------
    _r(B + "login", Kind.PUBLIC, "工作人员登录", anonymous=200),
    _r(B + "logout", Kind.PUBLIC, "退出", method="POST", anonymous=302),
    _r(B + "security:login_verify", Kind.PUBLIC, "两步验证（登录）", anonymous=302),
    _r(AN + "css", Kind.PUBLIC, "年度报告样式表", anonymous=200),
    _r(B + "dashboard", P, "工作台"),
    _r(B + "agency_list", P, "机关列表"),
    _r(B + "agency_detail", P, "机关详情", owner="agency"),
    _r(B + "audit_log", P, "操作记录", "view_audit_log"),
    _r(B + "security:totp", P, "安全设置（两步验证）"),
    _r(B + "security:totp_start", A, "开始设置两步验证", method="POST", ok=302),
    _r(B + "security:totp_confirm", A, "启用两步验证", method="POST", ok=302),
    _r(B + "security:totp_cancel", A, "放弃设置两步验证", method="POST", ok=302),
    _r(B + "security:totp_disable", A, "关闭两步验证", method="POST", ok=302),
    # -- 依申请公开 ----------------------------------------------------------------------------
    _r(RQ + "list", P, "申请列表", any_of=CASES),
    _r(RQ + "dashboard", P, "申请统计图", any_of=CASES),
    _r(RQ + "tables", P, "表三、表四（由台账生成）", any_of=CASES),
    _r(RQ + "export", E, "导出台账（XLSX）", any_of=CASES),
    _r(RQ + "register", P, "登记申请", "register_application", agency_only=True),
    _r(RQ + "import", P, "导入台账", "register_application", agency_only=True),
    _r(RQ + "letter_templates", P, "文书模板与设置", "manage_agency", agency_only=True),
    _r(RQ + "letter_template", P, "编辑文书模板", "manage_agency", agency_only=True),
    _r(RQ + "detail", P, "案件页", any_of=CASES, owner="application"),
    _r(RQ + "edit", P, "修改申请信息", any_of=CASES, owner="application", after=(HANDLE,)),
    _r(RQ + "action", A, "办理操作", any_of=CASES, owner="application", method="POST", ok=400),
    _r(RQ + "letter", E, "下载文书", any_of=CASES, owner="application"),
    _r(RQ + "draft_letter", E, "答复书送审稿", any_of=CASES, owner="application"),
    _r(
        RQ + "attachment_upload",
        A,
        "上传案件附件",
        any_of=CASES,
        owner="application",
        after=(HANDLE,),
        method="POST",
        ok=302,
    ),
    _r(RQ + "attachment", E, "下载案件附件", any_of=CASES, owner="application"),
    # -- 复议诉讼 ------------------------------------------------------------------------------
    _r(B + "appeals:list", P, "复议诉讼列表", any_of=CASES),
    _r(B + "appeals:create", P, "登记复议诉讼", HANDLE, agency_only=True),
    _r(B + "appeals:detail", P, "复议诉讼案件", any_of=CASES, owner="appeal"),
    # -- 主动公开 ------------------------------------------------------------------------------
    _r(PB + "list", P, "主动公开信息列表"),
    _r(PB + "new", P, "起草主动公开信息", "draft_publication"),
    _r(PB + "detail", P, "主动公开信息详情", owner="publication"),
    _r(PB + "edit", P, "修改草稿", "draft_publication", owner="publication"),
    _r(PB + "submit", A, "送审", "draft_publication", owner="publication", method="POST", ok=302),
    _r(PB + "review", A, "审核", owner="publication", method="POST", ok=302),
    _r(
        PB + "publish_now",
        A,
        "立即发布",
        "final_review_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(
        PB + "withdraw",
        A,
        "撤回",
        "final_review_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(
        PB + "validity",
        A,
        "标注有效性",
        "draft_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(
        PB + "channels",
        A,
        "公开渠道",
        "draft_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(
        PB + "links", A, "检查链接", "draft_publication", owner="publication", method="POST", ok=302
    ),
    _r(
        PB + "attachment_upload",
        A,
        "上传附件",
        "draft_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(PB + "attachment", E, "下载附件", owner="publication"),
    _r(
        PB + "attachment_delete",
        A,
        "删除附件",
        "draft_publication",
        owner="publication",
        method="POST",
        ok=302,
    ),
    _r(PB + "checks", P, "发布前检查与提醒"),
    _r(PB + "settings", P, "栏目与索引号设置", "manage_agency"),
    _r(PB + "registers", P, "规章和规范性文件登记"),
    _r(PB + "register_edit", P, "修改文件登记", "edit_annual_report", owner="register_entry"),
    _r(PB + "figures", P, "行政许可、处罚等月度数据"),
    _r(PB + "figures_year", P, "月度数据（某年）"),
    _r(
        PB + "figures_import",
        A,
        "导入月度数据",
        "edit_annual_report",
        method="POST",
        ok=302,
    ),
    _r(PB + "table2", P, "表二（主动公开情况）"),
    _r(PB + "table2_year", P, "表二（某年）"),
    # 错敏词库: agency administrators edit their agencies' terms; the platform-wide terms are
    # edited by platform administrators only (checked once the term is found: 403)
    _r(PB + "terms", P, "错敏词库", any_of=REFERENCE_READERS),
    _r(PB + "terms_try", A, "错敏词试一试", any_of=REFERENCE_READERS, method="POST", ok=200),
    _r(PB + "terms_export", E, "导出错敏词库（XLSX）", any_of=REFERENCE_READERS),
    _r(PB + "terms_import", A, "导入错敏词（XLSX）", "manage_agency", method="POST", ok=302),
    _r(PB + "term_new", P, "新增错敏词", "manage_agency"),
    _r(PB + "term_edit", P, "修改错敏词", "manage_agency", owner="term_rule"),
    _r(
        PB + "term_active",
        A,
        "停用、启用错敏词",
        "manage_agency",
        owner="term_rule",
        method="POST",
        ok=302,
    ),
    # 主题分类: platform-wide reference data
    _r(PB + "topics", P, "主题分类", any_of=REFERENCE_READERS),
    _r(PB + "topic_new", P, "新增主题分类", platform_only=True),
    _r(PB + "topic_edit", P, "修改主题分类", owner="topic", platform_only=True),
    _r(
        PB + "topic_active",
        A,
        "停用、启用主题分类",
        owner="topic",
        method="POST",
        ok=302,
        platform_only=True,
    ),
    _r(
        PB + "topic_move",
        A,
        "调整主题分类顺序",
        owner="topic",
        method="POST",
        ok=302,
        platform_only=True,
    ),
    _r(
        PB + "topic_delete",
        A,
        "删除未使用的主题分类",
        owner="topic",
        method="POST",
        ok=302,
        platform_only=True,
    ),
    # -- 网民留言 ------------------------------------------------------------------------------
    _r(B + "messages:list", P, "留言列表", "view_cases"),
    _r(B + "messages:detail", P, "留言详情", "view_cases", owner="message"),
    _r(
        B + "messages:reply",
        A,
        "答复留言",
        "view_cases",
        HANDLE,
        owner="message",
        method="POST",
        ok=302,
    ),
    _r(
        B + "messages:close",
        A,
        "办结留言",
        "view_cases",
        HANDLE,
        owner="message",
        method="POST",
        ok=302,
    ),
    _r(
        B + "messages:publish",
        A,
        "公开留言",
        "view_cases",
        "review_publication",
        owner="message",
        method="POST",
        ok=302,
    ),
    # -- 年度报告 ------------------------------------------------------------------------------
    _r(AN + "list", P, "年度报告列表", "edit_annual_report"),
    _r(AN + "assemble", A, "生成年度报告", "edit_annual_report", method="POST", ok=302),
    _r(AN + "import", A, "导入已发布报告", "edit_annual_report", method="POST", ok=302),
    _r(AN + "trends", P, "历年趋势", "edit_annual_report"),
    _r(AN + "detail", P, "年度报告工作页", "edit_annual_report", owner="annual_report"),
    _r(
        AN + "reassemble",
        A,
        "重新生成",
        "edit_annual_report",
        owner="annual_report",
        method="POST",
        ok=302,
    ),
    _r(
        AN + "section",
        A,
        "修改正文",
        "edit_annual_report",
        owner="annual_report",
        method="POST",
        ok=302,
    ),
    _r(
        AN + "acknowledge",
        A,
        "确认提示",
        "edit_annual_report",
        owner="annual_report",
        method="POST",
        ok=302,
    ),
    _r(
        AN + "transition",
        A,
        "审核、签发、发布、退回",
        "edit_annual_report",
        owner="annual_report",
        method="POST",
        ok=302,
    ),
    _r(AN + "export", E, "导出年度报告", "edit_annual_report", owner="annual_report"),
    # -- 报告审查（政务公开办） ------------------------------------------------------------------
    _r(OV + "list", P, "审查批次列表", any_of=OVERSIGHT),
    _r(OV + "batch_create", A, "新建审查批次", any_of=OVERSIGHT, method="POST", ok=302),
    _r(OV + "batch", P, "审查批次", any_of=OVERSIGHT, owner="batch"),
    _r(
        OV + "batch_upload",
        A,
        "上传报告",
        any_of=OVERSIGHT,
        owner="batch",
        method="POST",
        ok=302,
    ),
    _r(OV + "batch_start", A, "开始审查", any_of=OVERSIGHT, owner="batch", method="POST", ok=302),
    _r(
        OV + "batch_recheck",
        A,
        "重新检查",
        any_of=OVERSIGHT,
        owner="batch",
        method="POST",
        ok=302,
    ),
    _r(
        OV + "batch_reread",
        A,
        "重新读取",
        any_of=OVERSIGHT,
        owner="batch",
        method="POST",
        ok=302,
    ),
    _r(OV + "batch_progress", P, "审查进度", any_of=OVERSIGHT, owner="batch"),
    _r(OV + "batch_export", E, "导出问题清单", any_of=OVERSIGHT, owner="batch"),
    _r(OV + "item", P, "一份报告的审查结果", any_of=OVERSIGHT, owner="audit_item"),
    _r(  # an empty form names no reporting body: 404 (the body lookup), nothing changes
        OV + "item_confirm",
        A,
        "确认报告主体",
        any_of=OVERSIGHT,
        owner="audit_item",
        method="POST",
        ok=404,
    ),
    _r(
        OV + "item_register",
        A,
        "登记报告主体",
        any_of=OVERSIGHT,
        owner="audit_item",
        method="POST",
        ok=302,
    ),
    _r(
        OV + "item_published_on",
        A,
        "登记发布日期",
        any_of=OVERSIGHT,
        owner="audit_item",
        method="POST",
        ok=302,
    ),
    _r(
        OV + "item_requeue",
        A,
        "重新排队",
        any_of=OVERSIGHT,
        owner="audit_item",
        method="POST",
        ok=302,
    ),
    _r(
        OV + "item_remove",
        A,
        "移出批次",
        any_of=OVERSIGHT,
        owner="audit_item",
        method="POST",
        ok=302,
    ),
    _r(OV + "bodies", P, "报告主体名录", any_of=OVERSIGHT),
    _r(OV + "body_sync", A, "同步报告主体", any_of=OVERSIGHT, method="POST", ok=302),
    _r(
        OV + "body_active",
        A,
        "启用、停用报告主体",
        any_of=OVERSIGHT,
        owner="reporting_body",
        method="POST",
        ok=302,
    ),
    _r(OV + "aggregate", P, "本区域汇总", any_of=OVERSIGHT),
    _r(OV + "aggregate_export", E, "导出本区域汇总", any_of=OVERSIGHT),
    # -- 工作日历 ------------------------------------------------------------------------------
    _r(B + "calendar:year", P, "工作日历", "manage_calendar"),
    _r(B + "calendar:day_set", A, "调整某日", "manage_calendar", method="POST", ok=302),
    _r(B + "calendar:day_delete", A, "删除调整", "manage_calendar", method="POST", ok=302),
    _r(B + "calendar:confirm", A, "确认年度放假安排", "manage_calendar", method="POST", ok=302),
)

# -- the REST API (docs/api.md) ----------------------------------------------------------------

# (URL name suffix, transition permission, label) of every case action; the API also needs the
# case list's permission, and returning a draft needs a reviewer's or the head's codename.
API_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("confirm-receipt", HANDLE, "确认收到申请"),
    ("request-amendment", HANDLE, "告知补正"),
    ("receive-amendment", HANDLE, "收到补正"),
    ("consult", HANDLE, "书面征求意见"),
    ("record-consultation-reply", HANDLE, "登记反馈意见"),
    ("propose-extension", HANDLE, "提请延期答复"),
    ("approve-extension", "approve_extension", "批准延期答复"),
    ("reject-extension", "approve_extension", "不同意延期"),
    ("notify-extension", HANDLE, "登记延期告知送达"),
    ("set-delayed-reply", "approve_extension", "确定延迟答复期限"),
    ("issue-fee-notice", HANDLE, "发出收费通知"),
    ("record-payment", HANDLE, "登记已缴费"),
    ("draft-decision", HANDLE, "拟写答复"),
    ("review-decision", "review_publication", "审核通过"),
    ("return-decision", "view_cases", "退回修改"),
    ("sign-decision", "sign_decision", "签发答复"),
    ("serve-reply", HANDLE, "登记送达"),
    ("close-lapsed", HANDLE, "视为放弃申请"),
    ("transfer", HANDLE, "转送其他机关"),
    ("reopen", HANDLE, "重新办理"),
)


def _api_action(suffix: str, permission: str, label: str) -> Rule:
    any_of = ("review_publication", "sign_decision") if suffix == "return-decision" else CASES
    return Rule(
        f"api:application-{suffix}",
        X,
        f"接口：{label}",
        (permission,),
        any_of,
        method="POST",
        ok=400,
        owner="application",
    )


API: tuple[Rule, ...] = (
    _r("api:schema", Kind.PUBLIC, "接口文档（OpenAPI）", anonymous=200),
    _r("api:tokens", P, "接口令牌（本人）"),
    _r("api:token-revoke", A, "吊销本人的令牌", method="POST", ok=302, owner="own_token"),
    # administrators: the tokens of the staff of the agencies they manage (superusers: all);
    # an empty POST names no reason: nothing is revoked, back to the list (302)
    _r("api:tokens-admin", P, "接口令牌管理", "manage_agency"),
    _r(
        "api:tokens-admin-revoke",
        A,
        "吊销他人的令牌",
        "manage_agency",
        method="POST",
        ok=302,
        owner="api_token",
    ),
    _r(
        "api:tokens-admin-revoke-user",
        A,
        "吊销某人的全部令牌",
        "manage_agency",
        method="POST",
        ok=302,
        owner="token_user",
    ),
    _r("api:application-list", X, "接口：申请列表", any_of=CASES),
    _r(
        "api:application-list",
        X,
        "接口：登记申请",
        "register_application",
        any_of=CASES,
        method="POST",
        ok=400,
        agency_only=True,
    ),
    _r("api:application-detail", X, "接口：一件申请", any_of=CASES, owner="application"),
    _r(
        "api:application-detail",
        X,
        "接口：修改申请信息",
        HANDLE,
        any_of=CASES,
        method="PATCH",
        ok=400,
        owner="application",
    ),
    *(_api_action(*row) for row in API_ACTIONS),
    _r("api:annual-report-list", X, "接口：年度报告列表", "edit_annual_report"),
    _r(
        "api:annual-report-detail",
        X,
        "接口：一份年度报告",
        "edit_annual_report",
        owner="annual_report",
    ),
    _r(
        "api:annual-report-assemble",
        X,
        "接口：生成年度报告",
        "edit_annual_report",
        method="POST",
        ok=400,
    ),
    _r("api:publication-list", X, "接口：已发布的主动公开信息"),
    _r("api:publication-detail", X, "接口：一条主动公开信息", owner="published"),
)

MATRIX: tuple[Rule, ...] = BACKOFFICE + API


def rule_for(name: str, method: str = "GET") -> Rule:
    for rule in MATRIX:
        if rule.key == (name, method):
            return rule
    raise KeyError((name, method))


def allowed(
    rule: Rule,
    permissions: Iterable[str],
    *,
    government: bool = False,
    superuser: bool = False,
    before_lookup: bool = False,
) -> bool:
    """Whether an account holding ``permissions`` (codenames) at an agency that is (or not) a
    people's government passes ``rule``'s permission check (``before_lookup``: only the part
    checked before the object is looked up, i.e. without ``after``)."""
    if rule.kind is Kind.PUBLIC or superuser:
        return True
    if rule.platform_only:
        return False
    held = set(permissions)
    if "view_backoffice" not in held or not set(rule.all_of) <= held:
        return False
    if not before_lookup and not set(rule.after) <= held:
        return False
    if not rule.any_of:
        return True
    for need in rule.any_of:
        codename, _, where = need.partition("@")
        if codename in held and (not where or (where == "government" and government)):
            return True
    return False


def role_allows(rule: Rule, role: Role) -> bool | None:
    """``True``/``False`` for a role; ``None`` when it depends on the agency (a government's
    administrators review the region's reports, a department's do not)."""
    spec = next(s for s in ROLES if s.role == role)
    at_government = allowed(rule, spec.permissions, government=True)
    elsewhere = allowed(rule, spec.permissions, government=False)
    return at_government if at_government == elsewhere else None


def role_table() -> list[tuple[Rule, dict[Role, bool | None]]]:
    """The matrix as role × rule, for documentation."""
    return [(rule, {spec.role: role_allows(rule, spec.role) for spec in ROLES}) for rule in MATRIX]
