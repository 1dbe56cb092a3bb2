"""Reference data edited in the back office: the 错敏词库 (validation, scope rules, audit,
the "试一试" check, XLSX export and all-or-nothing import) and the 主题分类 classes."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.errors import ActionRefused
from gongkai.ledger.publishing.models import TermRule, Topic
from gongkai.ledger.publishing.services import (
    publication_create,
    publication_findings,
    term_findings,
    term_rule_create,
    term_rule_set_active,
    term_rule_update,
    term_rules_export_xlsx,
    term_rules_import_xlsx,
    topic_create,
    topic_delete,
    topic_move,
    topic_set_active,
    topic_update,
)
from gongkai.ledger.publishing.services.reference import (
    term_rules_for_user,
    term_scopes_for_user,
    validate_term_pattern,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def zrzyj(platform):
    return platform["shifanxian-zrzyj"]


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# -- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("[abc", "第1个字符处：方括号“[”没有对应的“]”"),
        ("文号(2024", "第3个字符处：圆括号“(”没有对应的“)”"),
        ("*政府", "重复符号（* + ? 或 {m,n}）前面没有可重复的内容"),
        ("政府)", "多了一个右圆括号“)”"),
        ("(?<=a+)b", "后顾断言 (?<=…) 或 (?<!…) 须为固定长度"),
        ("[z-a]", "字符范围无效"),
        ("\\", "末尾的反斜杠"),
    ],
)
def test_a_bad_regular_expression_is_refused_with_a_message_naming_the_problem(pattern, message):
    with pytest.raises(ValidationError) as caught:
        validate_term_pattern(pattern, is_regex=True)
    text = caught.value.messages[0]
    assert text.startswith("正则表达式有误")
    assert message in text
    # the same text is fine as a literal term
    assert validate_term_pattern(pattern, is_regex=False) == pattern


@pytest.mark.parametrize(
    ("pattern", "is_regex", "message"),
    [
        ("   ", False, "词语或正则表达式不能为空"),
        ("字" * 201, False, "不能超过200个字符"),
        ("a*", True, "能匹配空文本"),
        ("(政府)?", True, "能匹配空文本"),
        ("(a+)+$", True, "嵌套重复"),
    ],
)
def test_empty_long_and_empty_matching_patterns_are_refused(pattern, is_regex, message):
    with pytest.raises(ValidationError, match=message):
        validate_term_pattern(pattern, is_regex=is_regex)


def test_patterns_are_stripped_and_a_good_regex_is_kept():
    assert validate_term_pattern("  行政复义 ", is_regex=False) == "行政复义"
    assert validate_term_pattern(r"1[3-9]\d{9}", is_regex=True) == r"1[3-9]\d{9}"


def test_a_bad_regex_is_never_stored(sfj, users):
    with pytest.raises(ValidationError, match="正则表达式有误"):
        term_rule_create(
            actor=users["sfj_admin"], agency=sfj, kind="error", pattern="(未闭合", is_regex=True
        )
    assert not TermRule.objects.filter(pattern="(未闭合").exists()
    assert not _events("term_rule.created")


# -- scope rules ---------------------------------------------------------------------------------


def test_only_platform_administrators_add_platform_wide_terms(sfj, users):
    for username in ("sfj_admin", "xian_admin", "sfj_clerk"):
        with pytest.raises(ActionRefused, match="全平台词条只能由平台管理员添加"):
            term_rule_create(actor=users[username], agency=None, kind="error", pattern="错别字甲")
    rule = term_rule_create(
        actor=users["platform_admin"],
        agency=None,
        kind="error",
        pattern="错别字甲",
        suggestion="正确写法",
    )
    assert rule.agency is None and rule.is_active and rule.blocking


def test_agency_administrators_edit_the_terms_of_the_agencies_they_see(sfj, zrzyj, users):
    own = term_rule_create(actor=users["sfj_admin"], agency=sfj, kind="error", pattern="本局用语")
    with pytest.raises(ActionRefused, match="示范县自然资源局"):
        term_rule_create(actor=users["sfj_admin"], agency=zrzyj, kind="error", pattern="他局用语")
    with pytest.raises(ActionRefused):
        term_rule_create(actor=users["sfj_clerk"], agency=sfj, kind="error", pattern="经办用语")
    # the county's administrator sees the whole county: both bureaus
    other = term_rule_create(
        actor=users["xian_admin"], agency=zrzyj, kind="sensitive", pattern="他局用语"
    )
    assert {own.agency_id, other.agency_id} == {sfj.pk, zrzyj.pk}
    with pytest.raises(ActionRefused):
        term_rule_update(actor=users["sfj_admin"], rule=other, suggestion="改")
    with pytest.raises(ActionRefused):
        term_rule_set_active(actor=users["sfj_admin"], rule=other, active=False)
    platform_rule = TermRule.objects.filter(agency__isnull=True).first()
    with pytest.raises(ActionRefused, match="全平台词条只能由平台管理员修改"):
        term_rule_update(actor=users["xian_admin"], rule=platform_rule, suggestion="改")


def test_who_sees_which_terms(sfj, zrzyj, users):
    mine = TermRule.objects.create(agency=sfj, kind="error", pattern="本局词")
    theirs = TermRule.objects.create(agency=zrzyj, kind="error", pattern="他局词")
    seen = set(term_rules_for_user(users["sfj_clerk"]).values_list("pk", flat=True))
    assert mine.pk in seen and theirs.pk not in seen
    assert TermRule.objects.filter(agency__isnull=True).exclude(pk__in=seen).count() == 0
    assert None not in term_scopes_for_user(users["sfj_admin"])
    assert sfj in term_scopes_for_user(users["sfj_admin"])
    assert zrzyj not in term_scopes_for_user(users["sfj_admin"])
    assert term_scopes_for_user(users["sfj_clerk"]) == []
    assert term_scopes_for_user(users["platform_admin"])[0] is None


# -- duplicates, changes, audit ------------------------------------------------------------------


def test_a_duplicate_pattern_in_the_same_scope_and_kind_is_refused(sfj, zrzyj, users):
    admin = users["xian_admin"]
    term_rule_create(actor=admin, agency=sfj, kind="error", pattern="重复词")
    with pytest.raises(ValidationError, match="示范县司法局已有错误用语“重复词”，不能重复添加"):
        term_rule_create(actor=admin, agency=sfj, kind="error", pattern=" 重复词 ")
    # another kind, or another scope: a different entry
    term_rule_create(actor=admin, agency=sfj, kind="sensitive", pattern="重复词")
    term_rule_create(actor=admin, agency=zrzyj, kind="error", pattern="重复词")
    assert TermRule.objects.filter(pattern="重复词").count() == 3


def test_a_duplicate_of_a_deactivated_term_says_it_can_be_reactivated(sfj, users):
    admin = users["sfj_admin"]
    rule = term_rule_create(actor=admin, agency=sfj, kind="error", pattern="旧词")
    term_rule_set_active(actor=admin, rule=rule, active=False)
    with pytest.raises(ValidationError, match="已停用，可重新启用"):
        term_rule_create(actor=admin, agency=sfj, kind="error", pattern="旧词")


def test_changing_a_term_into_a_duplicate_is_refused(sfj, users):
    admin = users["sfj_admin"]
    term_rule_create(actor=admin, agency=sfj, kind="error", pattern="甲词")
    other = term_rule_create(actor=admin, agency=sfj, kind="error", pattern="乙词")
    with pytest.raises(ValidationError, match="不能重复添加"):
        term_rule_update(actor=admin, rule=other, pattern="甲词")
    other.refresh_from_db()
    assert other.pattern == "乙词"


def test_every_change_is_audited_with_who_and_before_after(sfj, users):
    admin = users["sfj_admin"]
    rule = term_rule_create(
        actor=admin, agency=sfj, kind="error", pattern="行政复义书", suggestion="行政复议书"
    )
    created = _events("term_rule.created")[-1]
    assert created.actor == admin and created.agency == sfj
    assert created.subject_id == str(rule.pk)
    assert created.data["after"]["pattern"] == "行政复义书"
    assert created.data["after"]["scope"] == "示范县司法局"

    term_rule_update(actor=admin, rule=rule, suggestion="改为“行政复议书”", blocking=False)
    updated = _events("term_rule.updated")[-1]
    assert updated.actor == admin
    assert updated.data["before"] == {"suggestion": "行政复议书", "blocking": True}
    assert updated.data["after"] == {"suggestion": "改为“行政复议书”", "blocking": False}

    # saving without a change writes nothing
    term_rule_update(actor=admin, rule=rule, suggestion="改为“行政复议书”")
    assert len(_events("term_rule.updated")) == 1

    term_rule_set_active(actor=admin, rule=rule, active=False)
    off = _events("term_rule.deactivated")[-1]
    assert off.data == {"before": {"is_active": True}, "after": {"is_active": False}}
    term_rule_set_active(actor=admin, rule=rule, active=True)
    assert _events("term_rule.activated")[-1].actor == admin
    assert TermRule.objects.filter(pk=rule.pk).exists()  # never deleted


# -- the check (试一试) is the publishing workflow's --------------------------------------------


def test_try_it_finds_what_the_publishing_check_finds(sfj, zrzyj, users, columns):
    admin = users["sfj_admin"]
    term_rule_create(actor=admin, agency=sfj, kind="sensitive", pattern="本局内部代号")
    title = "关于行政复义和本局内部代号的通知"
    draft = publication_create(
        actor=users["sfj_clerk"], column=columns["通知公告"], title=title, body=""
    )
    in_title = [f.found for f in publication_findings(draft) if f.field == "标题"]
    tried = term_findings(title, agency=sfj)
    assert [f.found for f in tried] == in_title == ["行政复义", "本局内部代号"]
    assert [(f.start, f.end) for f in tried] == [(2, 6), (7, 13)]
    # another agency's dictionary does not have the bureau's own term
    assert [f.found for f in term_findings(title, agency=zrzyj)] == ["行政复义"]
    assert [f.found for f in term_findings(title, agency=None)] == ["行政复义"]


def test_a_deactivated_term_is_no_longer_checked(sfj, users):
    rule = term_rule_create(actor=users["sfj_admin"], agency=sfj, kind="error", pattern="停用词")
    assert term_findings("含停用词", agency=sfj)
    term_rule_set_active(actor=users["sfj_admin"], rule=rule, active=False)
    assert term_findings("含停用词", agency=sfj) == []


def test_a_regex_term_is_checked_as_a_regex(sfj, users):
    term_rule_create(
        actor=users["sfj_admin"],
        agency=sfj,
        kind="sensitive",
        pattern=r"司法〔\d{4}〕\d+号",
        is_regex=True,
    )
    found = [f.found for f in term_findings("见司法〔2024〕12号文", agency=sfj)]
    assert "司法〔2024〕12号" in found


# -- XLSX ----------------------------------------------------------------------------------------

HEADER = ["类型", "词语或正则表达式", "正则表达式", "建议", "阻止发布", "启用", "适用范围"]


def _xlsx(rows, header=HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_export_writes_every_term_in_the_import_layout(sfj, users):
    term_rule_create(
        actor=users["sfj_admin"],
        agency=sfj,
        kind="sensitive",
        pattern=r"\d{6}号",
        is_regex=True,
        blocking=False,
    )
    rules = term_rules_for_user(users["sfj_admin"]).order_by("pk")
    book = load_workbook(io.BytesIO(term_rules_export_xlsx(rules)))
    rows = list(book["错敏词库"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == rules.count() + 1
    assert ("敏感内容", r"\d{6}号", "是", None, "否", "是", "示范县司法局") in rows
    assert ("错误用语", "行政复义", "否", "行政复议", "是", "是", "全平台") in rows
    assert "填写说明" in book.sheetnames


def test_import_creates_and_updates_and_audits_with_the_file(sfj, users):
    admin = users["sfj_admin"]
    existing = term_rule_create(actor=admin, agency=sfj, kind="error", pattern="旧写法")
    stream = _xlsx(
        [
            ["错误用语", "旧写法", "否", "新写法", "否", "是", ""],
            ["敏感内容", r"内部\d+号", "是", "", "", "", "示范县司法局"],
            ["错误", "第三条", None, "", None, None, None],
        ]
    )
    result = term_rules_import_xlsx(
        actor=admin, stream=stream, filename="本局词库.xlsx", default_agency=sfj
    )
    assert [r.pattern for r in result.created] == [r"内部\d+号", "第三条"]
    assert [r.pk for r in result.updated] == [existing.pk]
    existing.refresh_from_db()
    assert existing.suggestion == "新写法" and existing.blocking is False
    regex = TermRule.objects.get(pattern=r"内部\d+号")
    assert regex.is_regex and regex.blocking and regex.is_active and regex.agency == sfj
    events = _events("term_rule.created")[1:] + _events("term_rule.updated")
    assert len(events) == 3
    assert all(e.data["note"].startswith("XLSX导入：本局词库.xlsx（SHA-256 ") for e in events)
    assert all(e.actor == admin for e in events)


def test_reimporting_an_export_changes_nothing(sfj, users):
    admin = users["sfj_admin"]
    term_rule_create(actor=admin, agency=sfj, kind="error", pattern="本局词")
    before = AuditEvent.objects.count()
    data = term_rules_export_xlsx(term_rules_for_user(admin))
    result = term_rules_import_xlsx(
        actor=admin, stream=io.BytesIO(data), filename="export.xlsx", default_agency=sfj
    )
    # the platform-wide rows are listed in the export: left alone, not refused
    assert result.created == [] and result.updated == []
    assert result.unchanged == term_rules_for_user(admin).count()
    assert AuditEvent.objects.count() == before


GOOD = ["错误用语", "先导入的好词", "", "", "", "", ""]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            ["错误用语", "(坏", "是", "", "", "", ""],
            "第3行“词语或正则表达式”：正则表达式有误，第1个字符处：圆括号“(”没有对应的“)”",
        ),
        (GOOD, "第3行：与第2行重复"),
        (["错误用语", "好词", "", "", "也许", "", ""], "第3行“阻止发布”：须填“是”或“否”"),
        (["错别", "好词", "", "", "", "", ""], "第3行“类型”：须为“错误用语”或“敏感内容”"),
        (["错误用语", "", "", "", "", "", ""], "第3行“词语或正则表达式”：词语或正则表达式不能为空"),
        (["错误用语", "好词", "", "x" * 201, "", "", ""], "第3行“建议”：不能超过200个字符"),
        (["错误用语", "好词", "", "", "", "", "无此机关"], "第3行“适用范围”：找不到机关“无此机关”"),
        (
            ["错误用语", "好词", "", "", "", "", "全平台"],
            "第3行“适用范围”：全平台词条只能由平台管理员添加或修改",
        ),
        (
            ["错误用语", "好词", "", "", "", "", "示范县自然资源局"],
            "第3行“适用范围”：您没有维护“示范县自然资源局”词条的权限",
        ),
    ],
)
def test_a_bad_row_imports_nothing_and_the_message_names_the_row(sfj, users, bad, message):
    admin = users["sfj_admin"]
    count, events = TermRule.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        term_rules_import_xlsx(
            actor=admin, stream=_xlsx([GOOD, bad]), filename="x.xlsx", default_agency=sfj
        )
    text = caught.value.messages[0]
    assert text.startswith(message)
    assert text.endswith("未导入任何词条。")
    assert TermRule.objects.count() == count  # not even the good row before it
    assert AuditEvent.objects.count() == events


def test_every_bad_row_is_listed(sfj, users):
    rows = [GOOD, ["错误用语", "[", "是", "", "", "", ""], ["坏类型", "词", "", "", "", "", ""]]
    with pytest.raises(ValidationError) as caught:
        term_rules_import_xlsx(
            actor=users["sfj_admin"], stream=_xlsx(rows), filename="x.xlsx", default_agency=sfj
        )
    assert "第3行“词语或正则表达式”" in caught.value.messages[0]
    assert "；第4行“类型”" in caught.value.messages[0]


def test_an_unreadable_file_or_a_sheet_without_the_header_imports_nothing(sfj, users):
    admin = users["sfj_admin"]
    with pytest.raises(ValidationError, match="无法读取文件"):
        term_rules_import_xlsx(
            actor=admin, stream=io.BytesIO(b"not a workbook"), filename="a.xlsx", default_agency=sfj
        )
    with pytest.raises(ValidationError, match="缺少必需的列：类型"):
        term_rules_import_xlsx(
            actor=admin,
            stream=_xlsx([["好词"]], header=["词语或正则表达式"]),
            filename="a.xlsx",
            default_agency=sfj,
        )
    with pytest.raises(ValidationError, match="表格中没有词条"):
        term_rules_import_xlsx(actor=admin, stream=_xlsx([]), filename="a.xlsx", default_agency=sfj)


def test_import_into_a_scope_the_actor_may_not_edit_is_refused(sfj, users):
    with pytest.raises(ActionRefused):
        term_rules_import_xlsx(
            actor=users["sfj_clerk"],
            stream=_xlsx([["错误用语", "好词", "", "", "", "", ""]]),
            filename="a.xlsx",
            default_agency=sfj,
        )
    with pytest.raises(ActionRefused, match="全平台词条只能由平台管理员导入"):
        term_rules_import_xlsx(
            actor=users["xian_admin"],
            stream=_xlsx([["错误用语", "好词", "", "", "", "", ""]]),
            filename="a.xlsx",
            default_agency=None,
        )


def test_a_platform_administrator_imports_platform_wide_terms(sfj, users):
    result = term_rules_import_xlsx(
        actor=users["platform_admin"],
        stream=_xlsx(
            [
                ["错误用语", "平台新词", "", "", "", "", ""],
                ["错误用语", "本局新词", "", "", "", "", "县司法局"],
            ]
        ),
        filename="a.xlsx",
        default_agency=None,
    )
    assert [(r.pattern, r.agency) for r in result.created] == [
        ("平台新词", None),
        ("本局新词", sfj),
    ]


# -- 主题分类 ------------------------------------------------------------------------------------


@pytest.fixture
def first_level(sfj):
    return Topic.objects.get(code="01")


def test_only_platform_administrators_change_topics(first_level, users):
    for username in ("xian_admin", "sfj_admin", "sfj_clerk"):
        with pytest.raises(ActionRefused, match="只能由平台管理员"):
            topic_create(actor=users[username], name="新分类")
        with pytest.raises(ActionRefused):
            topic_set_active(actor=users[username], topic=first_level, active=False)
        with pytest.raises(ActionRefused):
            topic_move(actor=users[username], topic=first_level, direction="down")
    assert not AuditEvent.objects.filter(action__startswith="topic.").exists()


def test_a_new_class_gets_the_next_code_and_goes_last(first_level, users):
    admin = users["platform_admin"]
    child = topic_create(actor=admin, name="数字经济", parent=first_level)
    last = first_level.children.exclude(pk=child.pk).order_by("-position").first()
    assert child.code == f"01.{first_level.children.count():02d}"
    assert child.position == last.position + 1
    top = topic_create(actor=admin, name="新一级分类")
    assert top.parent is None and top.code == f"{Topic.objects.filter(parent=None).count():02d}"
    event = _events("topic.created")[0]
    assert event.actor == admin and event.agency is None
    assert event.data["after"]["parent"] == "01" and event.data["after"]["name"] == "数字经济"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "重复代码", "code": "01"}, "代码“01”已被分类“国民经济管理、国有资产监管”使用"),
        ({"name": "  "}, "分类名称不能为空"),
        ({"name": "一\\二"}, "不能含有反斜杠"),
        ({"name": "坏代码", "code": "01 02"}, "代码只能由数字、字母"),
        ({"name": "国民经济管理、国有资产监管"}, "一级分类中已有名为"),
    ],
)
def test_topic_validation(first_level, users, fields, message):
    with pytest.raises(ValidationError, match=message):
        topic_create(actor=users["platform_admin"], **fields)


def test_topics_have_two_levels_only(first_level, users):
    admin = users["platform_admin"]
    child = first_level.children.first()
    with pytest.raises(ValidationError, match="只有两级"):
        topic_create(actor=admin, name="第三级", parent=child)
    with pytest.raises(ValidationError, match="有二级分类，不能改为二级分类"):
        topic_update(
            actor=admin,
            topic=first_level,
            name=first_level.name,
            code=first_level.code,
            parent=Topic.objects.get(code="02"),
            position=first_level.position,
            is_active=True,
        )


def test_renaming_and_recoding_is_audited(first_level, users):
    admin = users["platform_admin"]
    child = first_level.children.get(code="01.01")
    topic_update(
        actor=admin,
        topic=child,
        name="宏观经济管理",
        code="01.01",
        parent=first_level,
        position=child.position,
        is_active=True,
    )
    child.refresh_from_db()
    assert child.label == "国民经济管理、国有资产监管\\宏观经济管理"
    event = _events("topic.updated")[0]
    assert event.data == {"before": {"name": "宏观经济"}, "after": {"name": "宏观经济管理"}}
    with pytest.raises(ValidationError, match="代码“02”已被分类"):
        topic_update(
            actor=admin,
            topic=child,
            name="宏观经济管理",
            code="02",
            parent=first_level,
            position=1,
            is_active=True,
        )


def test_moving_a_class_swaps_it_with_its_neighbour(first_level, users):
    admin = users["platform_admin"]

    def order():
        return list(
            first_level.children.order_by("position", "code").values_list("code", flat=True)
        )

    assert order()[:3] == ["01.01", "01.02", "01.03"]
    topic_move(actor=admin, topic=Topic.objects.get(code="01.02"), direction="up")
    assert order()[:3] == ["01.02", "01.01", "01.03"]
    topic_move(actor=admin, topic=Topic.objects.get(code="01.02"), direction="down")
    assert order()[:3] == ["01.01", "01.02", "01.03"]
    with pytest.raises(ValidationError, match="已经是第一个"):
        topic_move(actor=admin, topic=Topic.objects.get(code="01.01"), direction="up")
    assert len(_events("topic.moved")) == 2


def test_deactivating_a_first_level_class_deactivates_its_children(first_level, users):
    admin = users["platform_admin"]
    topic_set_active(actor=admin, topic=first_level, active=False)
    assert not first_level.children.filter(is_active=True).exists()
    event = _events("topic.deactivated")[0]
    assert event.data["note"].startswith("同时停用二级分类：01.01 宏观经济")
    with pytest.raises(ValidationError, match="上级分类“国民经济管理、国有资产监管”已停用"):
        topic_set_active(actor=admin, topic=first_level.children.first(), active=True)
    topic_set_active(actor=admin, topic=first_level, active=True)
    topic_set_active(actor=admin, topic=first_level.children.first(), active=True)


def test_a_deactivated_class_is_not_offered_to_new_items(first_level, users, columns):
    child = first_level.children.first()
    topic_set_active(actor=users["platform_admin"], topic=child, active=False)
    with pytest.raises(ValidationError, match="主题分类不存在或已停用"):
        publication_create(
            actor=users["sfj_clerk"], column=columns["通知公告"], title="标题", topic=child
        )


def test_a_class_used_by_publications_cannot_be_deleted(first_level, users, columns):
    admin = users["platform_admin"]
    child = first_level.children.first()
    publication_create(
        actor=users["sfj_clerk"], column=columns["通知公告"], title="标题", topic=child
    )
    with pytest.raises(ValidationError, match="已被 1 条主动公开信息使用，不能删除，只能停用"):
        topic_delete(actor=admin, topic=child)
    with pytest.raises(ValidationError, match="下还有二级分类，不能删除"):
        topic_delete(actor=admin, topic=first_level)
    assert Topic.objects.filter(pk=child.pk).exists()
    assert not _events("topic.deleted")

    unused = topic_create(actor=admin, name="临时分类", parent=first_level)
    topic_delete(actor=admin, topic=unused)
    assert not Topic.objects.filter(pk=unused.pk).exists()
    deleted = _events("topic.deleted")[0]
    assert deleted.subject_id == str(unused.pk) and deleted.data["before"]["name"] == "临时分类"


def test_reloading_the_data_files_keeps_back_office_changes_unless_told_to_overwrite(sfj):
    import json

    from django.core.management import call_command

    from gongkai.ledger.publishing.reference import TERMS_FILE

    seed = json.loads(TERMS_FILE.read_text(encoding="utf-8"))["terms"][0]
    topic = Topic.objects.filter(parent__isnull=True).order_by("position").first()
    file_name = topic.name
    Topic.objects.filter(pk=topic.pk).update(name="改过的名称")
    TermRule.objects.filter(agency=None, pattern=seed["pattern"]).update(blocking=False)
    children = Topic.objects.filter(parent=topic).count()
    assert children
    Topic.objects.filter(parent=topic).order_by("position").last().delete()  # removed by mistake

    out = io.StringIO()
    call_command("load_publishing_reference", stdout=out)
    assert "已核对" in out.getvalue()
    topic.refresh_from_db()
    assert topic.name == "改过的名称"  # the administrator's change stays
    assert not TermRule.objects.get(agency=None, pattern=seed["pattern"]).blocking
    assert Topic.objects.filter(parent=topic).count() == children  # the missing class is back

    call_command("load_publishing_reference", "--overwrite", stdout=io.StringIO())
    topic.refresh_from_db()
    assert topic.name == file_name
    assert TermRule.objects.get(agency=None, pattern=seed["pattern"]).blocking is bool(
        seed.get("blocking", True)
    )
