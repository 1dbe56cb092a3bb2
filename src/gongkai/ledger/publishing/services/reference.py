"""Reference data edited in the back office: the error / sensitive-term dictionary (错敏词库)
and the 主题分类 classes. Every change is validated here and audited.

Who may change what:

* a platform-wide term (``agency`` empty) and every topic class: platform administrators only
  (superusers, as in ``core.scoping``);
* an agency's own terms: whoever may act for that agency with ``manage_agency`` (its
  administrators, and a region's administrators for the agencies below them);
* terms are never deleted here (deactivate instead); a topic class may be deleted only while no
  publication and no second-level class uses it.

The "试一试" check (``term_findings``) runs the very code the publishing workflow runs before
submitting and publishing: ``checks.active_terms`` and ``text.find_terms``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, ProtectedError, Q, QuerySet
from django.http import Http404

from gongkai.core import audit
from gongkai.core.models import Agency
from gongkai.core.scoping import agencies_for_user
from gongkai.ledger.publishing.access import can_act_for
from gongkai.ledger.publishing.errors import ActionRefused
from gongkai.ledger.publishing.models import TermRule, Topic
from gongkai.ledger.publishing.services.checks import active_terms
from gongkai.ledger.publishing.text import TermFinding, find_terms, pattern_is_slow

__all__ = [
    "PLATFORM_LABEL",
    "TERM_AGENCY_PERMISSION",
    "TERM_COLUMNS",
    "TRY_FIELD",
    "TermImportResult",
    "can_edit_term_scope",
    "can_edit_topics",
    "is_platform_admin",
    "term_findings",
    "term_rule_create",
    "term_rule_get_for_user",
    "term_rule_set_active",
    "term_rule_update",
    "term_rules_export_xlsx",
    "term_rules_for_user",
    "term_rules_import_xlsx",
    "term_scopes_for_user",
    "topic_create",
    "topic_delete",
    "topic_move",
    "topic_set_active",
    "topic_tree",
    "topic_update",
    "validate_term_pattern",
]

TERM_AGENCY_PERMISSION = "manage_agency"
PLATFORM_LABEL = "全平台"
TRY_FIELD = "文本"
PATTERN_MAX = TermRule._meta.get_field("pattern").max_length or 200
SUGGESTION_MAX = TermRule._meta.get_field("suggestion").max_length or 200
TOPIC_NAME_MAX = Topic._meta.get_field("name").max_length or 60
TOPIC_CODE_MAX = Topic._meta.get_field("code").max_length or 20
IMPORT_MAX_ROWS = 5000


# ---------------------------------------------------------------------------------------------
# Who may do what
# ---------------------------------------------------------------------------------------------


def is_platform_admin(user: Any) -> bool:
    """Platform administrators are the superusers (they see every agency, ``core.scoping``)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_superuser
    )


def can_edit_term_scope(user: Any, agency: Agency | None) -> bool:
    """Whether ``user`` may add or change terms of ``agency`` (``None``: platform-wide terms)."""
    if agency is None:
        return is_platform_admin(user)
    return can_act_for(user, agency, TERM_AGENCY_PERMISSION)


def can_edit_topics(user: Any) -> bool:
    return is_platform_admin(user)


def _scope_label(agency: Agency | None) -> str:
    return PLATFORM_LABEL if agency is None else agency.name


def _require_term_scope(user: Any, agency: Agency | None, what: str) -> None:
    if can_edit_term_scope(user, agency):
        return
    if agency is None:
        raise ActionRefused(f"全平台词条只能由平台管理员{what}")
    raise ActionRefused(f"您没有{what}“{agency.name}”词条的权限")


def _require_topics(user: Any, what: str) -> None:
    if not can_edit_topics(user):
        raise ActionRefused(f"主题分类是全平台共用的数据，只能由平台管理员{what}")


def term_scopes_for_user(user: Any) -> list[Agency | None]:
    """The scopes whose terms ``user`` may edit: ``None`` (platform-wide) first, if allowed."""
    scopes: list[Agency | None] = [None] if is_platform_admin(user) else []
    if is_platform_admin(user) or user.has_perm(f"core.{TERM_AGENCY_PERMISSION}"):
        scopes.extend(agencies_for_user(user))
    return scopes


def term_rules_for_user(user: Any) -> QuerySet[TermRule]:
    """The terms ``user`` may see: platform-wide ones and those of the agencies they see."""
    return TermRule.objects.filter(
        Q(agency__isnull=True) | Q(agency__in=agencies_for_user(user))
    ).select_related("agency")


def term_rule_get_for_user(*, user: Any, rule_id: int) -> TermRule:
    """One term ``user`` may see; the same 404 for "does not exist" and "not yours"."""
    try:
        return term_rules_for_user(user).get(pk=rule_id)
    except TermRule.DoesNotExist:
        raise Http404("未找到该词条") from None


# ---------------------------------------------------------------------------------------------
# Terms: validation
# ---------------------------------------------------------------------------------------------

# Python's messages for a bad regular expression → what to tell staff.
_REGEX_MESSAGES: tuple[tuple[str, str], ...] = (
    ("unterminated character set", "方括号“[”没有对应的“]”"),
    ("missing ), unterminated subpattern", "圆括号“(”没有对应的“)”"),
    ("unbalanced parenthesis", "多了一个右圆括号“)”"),
    ("nothing to repeat", "重复符号（* + ? 或 {m,n}）前面没有可重复的内容"),
    ("multiple repeat", "重复符号连用（如“**”“+*”）"),
    ("bad escape (end of pattern)", "末尾的反斜杠“\\”后缺少字符"),
    ("bad escape", "无法识别的转义写法（反斜杠后跟的字符不对）"),
    ("bad character range", "字符范围无效（如 [z-a] 起点大于终点）"),
    ("look-behind requires fixed-width pattern", "后顾断言 (?<=…) 或 (?<!…) 须为固定长度"),
    ("unknown extension", "无法识别的“(?…)”写法"),
    ("missing group name", "分组名称缺失"),
    ("unknown group name", "引用了不存在的分组名称"),
    ("bad character in group name", "分组名称含有无效字符"),
    ("redefinition of group name", "分组名称重复"),
    ("invalid group reference", "引用了不存在的分组"),
    ("min repeat greater than max repeat", "重复次数的下限大于上限"),
    ("the repetition number is too large", "重复次数过大"),
    ("missing ", "缺少必要的符号"),
    ("unterminated", "有未闭合的结构"),
)


def _regex_problem(exc: re.error) -> str:
    reason = next(
        (text for prefix, text in _REGEX_MESSAGES if str(exc.msg).startswith(prefix)),
        f"写法有误（{exc.msg}）",
    )
    where = f"第{exc.pos + 1}个字符处：" if exc.pos is not None else ""
    return f"正则表达式有误，{where}{reason}"


def validate_term_pattern(pattern: str, *, is_regex: bool) -> str:
    """The pattern, stripped, or ``ValidationError`` with a message staff can act on."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValidationError("词语或正则表达式不能为空")
    if len(pattern) > PATTERN_MAX:
        raise ValidationError(f"词语或正则表达式不能超过{PATTERN_MAX}个字符")
    if is_regex:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValidationError(_regex_problem(exc)) from None
        except (OverflowError, RecursionError, ValueError):
            raise ValidationError("正则表达式过于复杂，无法使用") from None
        if compiled.fullmatch("") is not None:
            raise ValidationError(
                "正则表达式能匹配空文本（如“a*”“x?”），检查时会漏检或误报，请修改"
            )
        try:
            slow = pattern_is_slow(pattern)
        except ValueError:
            raise ValidationError("正则表达式写法本系统不支持，请简化") from None
        if slow:
            raise ValidationError(
                "正则表达式含有嵌套重复（如“(a+)+”），检查长文本时可能长时间无响应，请简化"
            )
    return pattern


def _clean_term_fields(fields: dict[str, Any]) -> dict[str, Any]:
    kind = fields["kind"]
    if kind not in TermRule.Kind.values:
        raise ValidationError("请选择类型（错误用语或敏感内容）")
    cleaned = dict(fields)
    cleaned["is_regex"] = bool(fields["is_regex"])
    cleaned["pattern"] = validate_term_pattern(fields["pattern"], is_regex=cleaned["is_regex"])
    suggestion = (fields.get("suggestion") or "").strip()
    if len(suggestion) > SUGGESTION_MAX:
        raise ValidationError(f"建议不能超过{SUGGESTION_MAX}个字符")
    cleaned["suggestion"] = suggestion
    cleaned["blocking"] = bool(fields["blocking"])
    cleaned["is_active"] = bool(fields["is_active"])
    return cleaned


def _refuse_duplicate(
    agency: Agency | None, kind: str, pattern: str, exclude: int | None = None
) -> None:
    clash = TermRule.objects.filter(agency=agency, kind=kind, pattern=pattern)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    other = clash.first()
    if other is not None:
        state = "" if other.is_active else "（该词条已停用，可重新启用）"
        raise ValidationError(
            f"{_scope_label(agency)}已有{other.get_kind_display()}“{pattern}”，不能重复添加{state}"
        )


def _term_data(rule: TermRule) -> dict[str, Any]:
    return {
        "scope": _scope_label(rule.agency),
        "kind": rule.kind,
        "pattern": rule.pattern,
        "is_regex": rule.is_regex,
        "suggestion": rule.suggestion,
        "blocking": rule.blocking,
        "is_active": rule.is_active,
    }


# ---------------------------------------------------------------------------------------------
# Terms: changes
# ---------------------------------------------------------------------------------------------


def term_rule_create(
    *,
    actor: Any,
    agency: Agency | None,
    kind: str,
    pattern: str,
    is_regex: bool = False,
    suggestion: str = "",
    blocking: bool = True,
    is_active: bool = True,
) -> TermRule:
    """Add a term to the platform-wide dictionary (``agency=None``) or to an agency's."""
    _require_term_scope(actor, agency, "添加")
    fields = _clean_term_fields(
        {
            "kind": kind,
            "pattern": pattern,
            "is_regex": is_regex,
            "suggestion": suggestion,
            "blocking": blocking,
            "is_active": is_active,
        }
    )
    with transaction.atomic():
        _refuse_duplicate(agency, fields["kind"], fields["pattern"])
        rule = TermRule.objects.create(agency=agency, **fields)
        audit.record(actor=actor, action="term_rule.created", subject=rule, after=_term_data(rule))
    return rule


TERM_FIELDS = ("kind", "pattern", "is_regex", "suggestion", "blocking", "is_active")


def term_rule_update(*, actor: Any, rule: TermRule, **fields: Any) -> TermRule:
    """Change a term (its scope stays: add a term to the other scope instead)."""
    unknown = set(fields) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_term_scope(actor, rule.agency, "修改")
    with transaction.atomic():
        rule = (
            TermRule.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=rule.pk)
        )
        # fields not given keep their stored value (not the caller's possibly stale copy)
        cleaned = _clean_term_fields(
            {name: fields.get(name, getattr(rule, name)) for name in TERM_FIELDS}
        )
        before = _term_data(rule)
        changed = [k for k in TERM_FIELDS if getattr(rule, k) != cleaned[k]]
        if not changed:
            return rule
        _refuse_duplicate(rule.agency, cleaned["kind"], cleaned["pattern"], exclude=rule.pk)
        for key in changed:
            setattr(rule, key, cleaned[key])
        rule.save(update_fields=changed)
        audit.record(
            actor=actor,
            action="term_rule.updated",
            subject=rule,
            before={k: before[k] for k in changed},
            after={k: cleaned[k] for k in changed},
        )
    return rule


def term_rule_set_active(*, actor: Any, rule: TermRule, active: bool) -> TermRule:
    """Deactivate a term (it is no longer checked; it stays in the dictionary) or reactivate it."""
    _require_term_scope(actor, rule.agency, "停用或启用")
    with transaction.atomic():
        rule = TermRule.objects.select_for_update().get(pk=rule.pk)
        if rule.is_active == active:
            return rule
        rule.is_active = active
        rule.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="term_rule.activated" if active else "term_rule.deactivated",
            subject=rule,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return rule


def term_findings(text: str, *, agency: Agency | None) -> list[TermFinding]:
    """What the pre-publishing check finds in ``text`` for ``agency`` (``None``: platform-wide
    terms only) — the same active terms and matcher as ``checks.publication_findings``."""
    return find_terms({TRY_FIELD: text or ""}, active_terms(agency.pk if agency else None))


# ---------------------------------------------------------------------------------------------
# Terms: XLSX export and import
# ---------------------------------------------------------------------------------------------

SHEET = "错敏词库"


@dataclass(frozen=True)
class TermColumn:
    header: str
    key: str
    width: int
    note: str
    required: bool = False


TERM_COLUMNS: tuple[TermColumn, ...] = (
    TermColumn("类型", "kind", 12, "错误用语 或 敏感内容", required=True),
    TermColumn(
        "词语或正则表达式",
        "pattern",
        40,
        f"必填，不超过{PATTERN_MAX}个字符；同一适用范围、同一类型内不能重复",
        required=True,
    ),
    TermColumn("正则表达式", "is_regex", 12, "是 或 否（默认否：按字面查找）"),
    TermColumn("建议", "suggestion", 36, "发现时给出的修改建议，可留空"),
    TermColumn("阻止发布", "blocking", 10, "是 或 否（默认是：命中时不能送审和发布）"),
    TermColumn("启用", "is_active", 8, "是 或 否（默认是）"),
    TermColumn(
        "适用范围",
        "scope",
        24,
        f"“{PLATFORM_LABEL}”或机关全称；留空则为导入时选择的适用范围",
    ),
)
_COLUMN_BY_HEADER = {c.header: c for c in TERM_COLUMNS}
_YES = {"是", "y", "yes", "true", "1", "√", "✓", "启用"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "停用"}
_PLATFORM_WORDS = {PLATFORM_LABEL, "平台", "全平台通用", "通用"}


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def term_rules_export_xlsx(rules: Iterable[TermRule]) -> bytes:
    """The terms as an XLSX sheet in the layout ``term_rules_import_xlsx`` reads back."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.header for c in TERM_COLUMNS])
    fill = PatternFill("solid", fgColor="DDE7F0")
    for i, column in enumerate(TERM_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    count = 0
    for rule in rules:
        sheet.append(
            [
                rule.get_kind_display(),
                rule.pattern,
                _yes_no(rule.is_regex),
                rule.suggestion,
                _yes_no(rule.blocking),
                _yes_no(rule.is_active),
                _scope_label(rule.agency),
            ]
        )
        count += 1
    sheet.freeze_panes = "A2"
    last = max(count + 1, 500)
    kinds = ",".join(TermRule.Kind.labels)
    for key, options in (
        ("kind", kinds),
        ("is_regex", "是,否"),
        ("blocking", "是,否"),
        ("is_active", "是,否"),
    ):
        index = next(i for i, c in enumerate(TERM_COLUMNS, start=1) if c.key == key)
        letter = get_column_letter(index)
        check = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        check.error = "请从下拉列表中选择"
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for column in TERM_COLUMNS:
        notes.append([column.header, "是" if column.required else "", column.note])
    notes.append([])
    notes.append(
        [
            "导入规则",
            "",
            "逐行校验；任何一行有错误则全部不导入，并指出出错的行。"
            "适用范围、类型和词语都相同的词条视为同一词条：已有的按表格更新，没有的新增。"
            "导入不会删除词条，不再使用的词条请将“启用”填“否”。",
        ]
    )
    for letter, width in zip("ABC", (18, 6, 90), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class TermImportResult:
    created: list[TermRule] = field(default_factory=list)
    updated: list[TermRule] = field(default_factory=list)
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"新增 {len(self.created)} 条，更新 {len(self.updated)} 条，"
            f"{self.unchanged} 条与现有词条相同"
        )


@dataclass(frozen=True)
class _ImportRow:
    row: int
    agency: Agency | None
    fields: dict[str, Any]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _flag(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if not text:
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(f"须填“是”或“否”，不能是“{_text(value)}”")


def _kind_of(value: Any) -> str:
    text = _text(value)
    for kind, label in TermRule.Kind.choices:
        if text in (kind, label, label[:2]):
            return kind
    if not text:
        raise ValidationError("不能为空（错误用语或敏感内容）")
    raise ValidationError(f"须为“错误用语”或“敏感内容”，不能是“{text}”")


def _read_term_sheet(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a bad file
        raise ValidationError(
            "无法读取文件，请上传 XLSX 格式的错敏词表（可先导出一份作为模板）"
        ) from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ValidationError("文件为空")
        keys = [
            (_COLUMN_BY_HEADER[str(h).strip()].key if str(h).strip() in _COLUMN_BY_HEADER else None)
            if h is not None
            else None
            for h in header
        ]
        missing = [c.header for c in TERM_COLUMNS if c.required and c.key not in keys]
        if missing:
            raise ValidationError(
                "第1行（表头）缺少必需的列：" + "、".join(missing) + "（可先导出一份作为模板）"
            )
        found: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or _text(v) == "" for v in values):
                continue
            if len(found) >= IMPORT_MAX_ROWS:
                raise ValidationError(f"一次最多导入{IMPORT_MAX_ROWS}行")
            found.append(
                (number, {k: v for k, v in zip(keys, values, strict=False) if k is not None})
            )
    finally:
        book.close()
    if not found:
        raise ValidationError("表格中没有词条（第2行起每行一个词条）")
    return found


def _scope_of(
    value: Any, default: Agency | None, agencies: dict[str, list[Agency]]
) -> Agency | None:
    text = _text(value)
    if not text:
        return default
    if text in _PLATFORM_WORDS:
        return None
    matches = agencies.get(text, [])
    if not matches:
        raise ValidationError(f"找不到机关“{text}”（请填机关全称或“{PLATFORM_LABEL}”）")
    if len(matches) > 1:
        raise ValidationError(f"有多个机关名为“{text}”，请改用机关全称")
    return matches[0]


def _agency_names() -> dict[str, list[Agency]]:
    names: dict[str, list[Agency]] = {}
    for agency in Agency.objects.all():
        for name in {agency.name, agency.short_name, agency.slug} - {""}:
            names.setdefault(name, []).append(agency)
    return names


def _parse_row(
    raw: dict[str, Any], default: Agency | None, agencies: dict[str, list[Agency]]
) -> tuple[Agency | None, dict[str, Any]]:
    """One row's scope and fields, or ``ValidationError("“列名”：problem")``."""

    def column(key: str, parse: Any) -> Any:
        header = next(c.header for c in TERM_COLUMNS if c.key == key)
        try:
            return parse(raw.get(key))
        except ValidationError as exc:
            raise ValidationError(f"“{header}”：{exc.messages[0]}") from None

    def suggestion(value: Any) -> str:
        text = _text(value)
        if len(text) > SUGGESTION_MAX:
            raise ValidationError(f"不能超过{SUGGESTION_MAX}个字符")
        return text

    agency = column("scope", lambda v: _scope_of(v, default, agencies))
    kind = column("kind", _kind_of)
    is_regex = column("is_regex", lambda v: _flag(v, False))
    fields = {
        "kind": kind,
        "pattern": column("pattern", lambda v: validate_term_pattern(_text(v), is_regex=is_regex)),
        "is_regex": is_regex,
        "suggestion": column("suggestion", suggestion),
        "blocking": column("blocking", lambda v: _flag(v, True)),
        "is_active": column("is_active", lambda v: _flag(v, True)),
    }
    return agency, fields


def _parse_rows(
    rows: list[tuple[int, dict[str, Any]]], *, actor: Any, default_agency: Agency | None
) -> tuple[list[_ImportRow], list[str], int]:
    """The rows to write, the errors (each naming its row), and how many rows are left alone
    because they repeat, unchanged, a term of a scope the actor may not edit (an agency
    administrator re-importing an export that lists the platform-wide terms too)."""
    errors: list[str] = []
    parsed: list[_ImportRow] = []
    untouchable = 0
    seen: dict[tuple[int | None, str, str], int] = {}
    agencies = _agency_names()
    for number, raw in rows:
        where = f"第{number}行"
        try:
            agency, fields = _parse_row(raw, default_agency, agencies)
        except ValidationError as exc:
            errors.append(f"{where}{exc.messages[0]}")
            continue
        key = (agency.pk if agency else None, fields["kind"], fields["pattern"])
        if key in seen:
            errors.append(f"{where}：与第{seen[key]}行重复（适用范围、类型和词语都相同）")
            continue
        seen[key] = number
        if not can_edit_term_scope(actor, agency):
            same = TermRule.objects.filter(
                agency=agency, kind=fields["kind"], pattern=fields["pattern"]
            ).first()
            if same is not None and all(getattr(same, k) == fields[k] for k in TERM_FIELDS):
                untouchable += 1
                continue
            errors.append(
                f"{where}“适用范围”：全平台词条只能由平台管理员添加或修改"
                if agency is None
                else f"{where}“适用范围”：您没有维护“{agency.name}”词条的权限"
            )
            continue
        parsed.append(_ImportRow(number, agency, fields))
    return parsed, errors, untouchable


def term_rules_import_xlsx(
    *, actor: Any, stream: IO[bytes], filename: str, default_agency: Agency | None
) -> TermImportResult:
    """Import terms from an XLSX sheet (the export's layout): every row or none.

    A row whose scope, type and pattern match an existing term updates that term; other rows
    add terms. Rows without a scope go to ``default_agency`` (``None``: platform-wide). Any bad
    row — or a row for a scope the actor may not edit — imports nothing; the error names the
    row. Each created or changed term is audited with the file's name and digest.
    """
    _require_term_scope(actor, default_agency, "导入")
    content = stream.read()
    digest = hashlib.sha256(content).hexdigest()[:12]
    rows = _read_term_sheet(content)
    parsed, errors, untouchable = _parse_rows(rows, actor=actor, default_agency=default_agency)
    if errors:
        shown = "；".join(errors[:10])
        more = f"；等共 {len(errors)} 处错误" if len(errors) > 10 else ""
        raise ValidationError(f"{shown}{more}。未导入任何词条。")
    note = f"XLSX导入：{filename[:120]}（SHA-256 {digest}）"
    result = TermImportResult(unchanged=untouchable)
    with transaction.atomic():
        for item in parsed:
            existing = (
                TermRule.objects.select_for_update()
                .filter(
                    agency=item.agency, kind=item.fields["kind"], pattern=item.fields["pattern"]
                )
                .first()
            )
            if existing is None:
                rule = TermRule.objects.create(agency=item.agency, **item.fields)
                audit.record(
                    actor=actor,
                    action="term_rule.created",
                    subject=rule,
                    after=_term_data(rule),
                    note=note,
                )
                result.created.append(rule)
                continue
            changed = [k for k in TERM_FIELDS if getattr(existing, k) != item.fields[k]]
            if not changed:
                result.unchanged += 1
                continue
            before = {k: getattr(existing, k) for k in changed}
            for key in changed:
                setattr(existing, key, item.fields[key])
            existing.save(update_fields=changed)
            audit.record(
                actor=actor,
                action="term_rule.updated",
                subject=existing,
                before=before,
                after={k: item.fields[k] for k in changed},
                note=note,
            )
            result.updated.append(existing)
    return result


# ---------------------------------------------------------------------------------------------
# 主题分类
# ---------------------------------------------------------------------------------------------


def topic_tree() -> list[tuple[Topic, list[Topic]]]:
    """First-level classes with their second-level ones, in display order, each annotated
    with ``publication_count``."""
    topics = list(
        Topic.objects.annotate(publication_count=Count("publications")).order_by("position", "code")
    )
    children: dict[int, list[Topic]] = {}
    for topic in topics:
        if topic.parent_id is not None:
            children.setdefault(topic.parent_id, []).append(topic)
    return [(t, children.get(t.pk, [])) for t in topics if t.parent_id is None]


def _topic_data(topic: Topic) -> dict[str, Any]:
    return {
        "code": topic.code,
        "name": topic.name,
        "parent": topic.parent.code if topic.parent_id and topic.parent else None,
        "position": topic.position,
        "is_active": topic.is_active,
    }


def _siblings(parent: Topic | None) -> QuerySet[Topic]:
    return Topic.objects.filter(parent=parent)


def _next_code(parent: Topic | None) -> str:
    """The next free code: ``NN`` for a first-level class, ``<parent>.NN`` below one."""
    prefix = f"{parent.code}." if parent is not None else ""
    taken = set(Topic.objects.values_list("code", flat=True))
    number = _siblings(parent).count() + 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def _clean_topic(
    *, topic: Topic | None, name: str, code: str, parent: Topic | None, is_active: bool
) -> tuple[str, str]:
    name = (name or "").strip()
    code = (code or "").strip()
    if not name:
        raise ValidationError("分类名称不能为空")
    if len(name) > TOPIC_NAME_MAX:
        raise ValidationError(f"分类名称不能超过{TOPIC_NAME_MAX}个字符")
    if "\\" in name:
        raise ValidationError("分类名称不能含有反斜杠“\\”（它用于分隔一级和二级分类）")
    if parent is not None:
        if topic is not None and parent.pk == topic.pk:
            raise ValidationError("上级分类不能是它自己")
        if parent.parent_id is not None:
            raise ValidationError("主题分类只有两级：上级分类须为一级分类")
        if topic is not None and topic.children.exists():
            raise ValidationError("该分类下有二级分类，不能改为二级分类")
        if is_active and not parent.is_active:
            raise ValidationError(f"上级分类“{parent.name}”已停用，请先启用上级分类")
    if not code:
        code = _next_code(parent)
    if len(code) > TOPIC_CODE_MAX:
        raise ValidationError(f"代码不能超过{TOPIC_CODE_MAX}个字符")
    if not re.fullmatch(r"[0-9A-Za-z._-]+", code):
        raise ValidationError("代码只能由数字、字母和“.”“-”“_”组成")
    clash = Topic.objects.filter(code=code)
    if topic is not None:
        clash = clash.exclude(pk=topic.pk)
    other = clash.select_related("parent").first()
    if other is not None:
        raise ValidationError(f"代码“{code}”已被分类“{other.label}”使用，请换一个代码")
    same_name = _siblings(parent).filter(name=name)
    if topic is not None:
        same_name = same_name.exclude(pk=topic.pk)
    if same_name.exists():
        where = f"“{parent.name}”下" if parent is not None else "一级分类中"
        raise ValidationError(f"{where}已有名为“{name}”的分类")
    return name, code


def topic_create(
    *,
    actor: Any,
    name: str,
    code: str = "",
    parent: Topic | None = None,
    position: int | None = None,
    is_active: bool = True,
) -> Topic:
    """Add a 主题分类 class (first level, or second level under ``parent``). An empty code is
    numbered after the siblings (``05``, ``05.03``); an empty position puts it last."""
    _require_topics(actor, "添加")
    with transaction.atomic():
        name, code = _clean_topic(
            topic=None, name=name, code=code, parent=parent, is_active=is_active
        )
        if position is None:
            last = _siblings(parent).aggregate(m=Max("position"))["m"]
            position = 0 if last is None else last + 1
        if position < 0:
            raise ValidationError("排序须为不小于0的整数")
        topic = Topic.objects.create(
            name=name, code=code, parent=parent, position=position, is_active=is_active
        )
        audit.record(actor=actor, action="topic.created", subject=topic, after=_topic_data(topic))
    return topic


def topic_update(
    *,
    actor: Any,
    topic: Topic,
    name: str,
    code: str,
    parent: Topic | None,
    position: int,
    is_active: bool,
) -> Topic:
    """Rename, recode, move or reorder a class, or (de)activate it (see ``topic_set_active``)."""
    _require_topics(actor, "修改")
    if not (code or "").strip():
        raise ValidationError("代码不能为空")
    if position is None or position < 0:
        raise ValidationError("排序须为不小于0的整数")
    with transaction.atomic():
        topic = (
            Topic.objects.select_for_update(of=("self",)).select_related("parent").get(pk=topic.pk)
        )
        name, code = _clean_topic(
            topic=topic, name=name, code=code, parent=parent, is_active=is_active
        )
        before = _topic_data(topic)
        topic.name, topic.code, topic.parent, topic.position = name, code, parent, position
        activation_changed = topic.is_active != is_active
        topic.save(update_fields=["name", "code", "parent", "position"])
        after = _topic_data(topic)
        changed = [k for k in after if k != "is_active" and after[k] != before[k]]
        if changed:
            audit.record(
                actor=actor,
                action="topic.updated",
                subject=topic,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
        if activation_changed:
            topic = _set_active(actor, topic, is_active)
    return topic


def _set_active(actor: Any, topic: Topic, active: bool) -> Topic:
    if active and topic.parent_id and topic.parent is not None and not topic.parent.is_active:
        raise ValidationError(f"上级分类“{topic.parent.name}”已停用，请先启用上级分类")
    topic.is_active = active
    topic.save(update_fields=["is_active"])
    note = ""
    if not active:
        children = list(topic.children.filter(is_active=True).order_by("code"))
        if children:
            Topic.objects.filter(pk__in=[c.pk for c in children]).update(is_active=False)
            note = "同时停用二级分类：" + "、".join(f"{c.code} {c.name}" for c in children)
    audit.record(
        actor=actor,
        action="topic.activated" if active else "topic.deactivated",
        subject=topic,
        before={"is_active": not active},
        after={"is_active": active},
        note=note,
    )
    return topic


def topic_set_active(*, actor: Any, topic: Topic, active: bool) -> Topic:
    """Deactivate a class (and its second-level classes): it is no longer offered for new
    items and no longer shown as a facet on the portal; items keep it. Or reactivate one."""
    _require_topics(actor, "停用或启用")
    with transaction.atomic():
        topic = (
            Topic.objects.select_for_update(of=("self",)).select_related("parent").get(pk=topic.pk)
        )
        if topic.is_active == active:
            return topic
        return _set_active(actor, topic, active)


def topic_move(*, actor: Any, topic: Topic, direction: str) -> Topic:
    """Move a class one place up or down among its siblings (positions are renumbered 1, 2, …
    in the current order, then the two neighbours swap)."""
    _require_topics(actor, "调整顺序")
    if direction not in ("up", "down"):
        raise ValidationError("请指定上移或下移")
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        siblings = list(_siblings(topic.parent).select_for_update().order_by("position", "code"))
        index = next(i for i, s in enumerate(siblings) if s.pk == topic.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            raise ValidationError(
                "已经是第一个，不能再上移" if direction == "up" else "已经是最后一个，不能再下移"
            )
        before = {s.code: s.position for s in siblings}
        siblings[index], siblings[other] = siblings[other], siblings[index]
        start = 0 if topic.parent_id is None else 1
        for position, sibling in enumerate(siblings, start=start):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
        after = {s.code: s.position for s in siblings}
        audit.record(
            actor=actor,
            action="topic.moved",
            subject=topic,
            before={"order": before},
            after={"order": after, "direction": direction},
        )
        return next(s for s in siblings if s.pk == topic.pk)


def topic_delete(*, actor: Any, topic: Topic) -> None:
    """Delete a class that nothing uses; a class used by items or with second-level classes
    can only be deactivated."""
    _require_topics(actor, "删除")
    with transaction.atomic():
        topic = (
            Topic.objects.select_for_update(of=("self",)).select_related("parent").get(pk=topic.pk)
        )
        used = topic.publications.count()
        if used:
            raise ValidationError(
                f"分类“{topic.label}”已被 {used} 条主动公开信息使用，不能删除，只能停用"
            )
        if topic.children.exists():
            raise ValidationError(
                f"分类“{topic.label}”下还有二级分类，不能删除；请先删除二级分类，或停用该分类"
            )
        audit.record(actor=actor, action="topic.deleted", subject=topic, before=_topic_data(topic))
        try:
            with transaction.atomic():
                topic.delete()
        except ProtectedError:
            raise ValidationError(f"分类“{topic.label}”正在被使用，不能删除，只能停用") from None
