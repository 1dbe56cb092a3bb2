"""Channels per publication and the year's counts behind the annual report's narrative."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.models import Publication
from gongkai.ledger.publishing.selectors import channel_figures, publication_list_public
from gongkai.ledger.publishing.services import (
    ImportedPublication,
    publication_set_channels,
    publications_import,
)

pytestmark = pytest.mark.django_db


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_channel_counts_per_year_like_the_seed_report(sfj, columns, users):
    """The seed: 757 items, 257 on the cloud platform (2 policy, 224 statutory, 31 grassroots),
    the rest on WeChat and Weibo."""
    day = dt.date(2024, 6, 1)
    items = (
        [ImportedPublication(column=columns["政策文件"], title="政策", published_at=_at(day))] * 2
        + [ImportedPublication(column=columns["通知公告"], title="法定", published_at=_at(day))]
        * 224
        + [ImportedPublication(column=columns["基层政务公开"], title="基层", published_at=_at(day))]
        * 31
        + [
            ImportedPublication(
                column=columns["工作动态"],
                title="微信",
                published_at=_at(day),
                channels=("wechat",),
            )
        ]
        * 320
        + [
            ImportedPublication(
                column=columns["工作动态"],
                title="微博",
                published_at=_at(day),
                channels=("weibo",),
                other_channels=("“示范普法”抖音号",),
            )
        ]
        * 180
        + [
            ImportedPublication(
                column=columns["通知公告"], title="下一年", published_at=_at(dt.date(2025, 1, 1))
            )
        ]
    )
    publications_import(actor=users["sfj_clerk"], agency=sfj, items=items, origin="测试")
    figures = channel_figures(agency=sfj, year=2024)
    assert figures.total == 757
    assert figures.by_channel == {
        "政务公开云平台": 257,
        "政务微信公众号": 320,
        "政务微博": 180,
        "“示范普法”抖音号": 180,
    }
    assert figures.by_class["政务公开云平台"] == {
        "政策信息": 2,
        "法定主动公开信息": 224,
        "基层政务公开信息": 31,
    }
    assert figures.by_category["政务公开云平台"] == {"第二十条（十五）": 257}
    assert "公开各类政府信息757条" in figures.narrative()
    assert "其中，政策信息2条，法定主动公开信息224条，基层政务公开信息31条" in figures.narrative()
    # items only on WeChat or Weibo are counted but not listed on the portal
    assert publication_list_public().count() == 258
    assert AuditEvent.objects.get(action="publication.imported").data["after"]["count"] == 758


def test_withdrawn_items_still_count_for_the_year_they_were_published(
    make_draft, publish, users, sfj
):
    from gongkai.ledger.publishing.actions import WithdrawAction

    item = publish(make_draft())
    WithdrawAction(item, actor=users["sfj_head"], reason="过期").execute()
    assert channel_figures(agency=sfj, year=item.published_at.astimezone().year).total == 1


def test_channels_can_be_recorded_after_publishing(make_draft, publish, users):
    item = publish(make_draft())
    publication_set_channels(
        actor=users["sfj_clerk"],
        publication=item,
        channels=["platform", "wechat"],
        other_channels=["县融媒体中心"],
    )
    assert sorted(str(c) for c in item.channels.all()) == [
        "县融媒体中心",
        "政务公开云平台",
        "政务微信公众号",
    ]
    event = AuditEvent.objects.get(action="publication.channels_changed")
    assert event.data["before"]["channels"] == ["政务公开云平台"]
    # leaving the platform takes it off the portal
    publication_set_channels(actor=users["sfj_clerk"], publication=item, channels=["wechat"])
    assert not Publication.objects.get(pk=item.pk).on_platform
    assert not publication_list_public().filter(pk=item.pk).exists()


def test_the_annual_report_providers(sfj, columns, users, platform):
    """The figures ``ledger/annual`` collects: table 二 and the narrative figures, for an
    agency and summed over its region."""
    from gongkai.ledger.messages.annual import figures_for as message_figures
    from gongkai.ledger.publishing.annual import figures_for, table2_for
    from gongkai.ledger.publishing.services import register_entry_create
    from gongkai.statutory.formats import T2Key

    day = dt.date(2024, 6, 1)
    publications_import(
        actor=users["sfj_clerk"],
        agency=sfj,
        origin="t",
        items=[
            ImportedPublication(
                column=columns["政策文件"],
                title="甲",
                published_at=_at(day),
                channels=("platform", "wechat"),
            ),
            ImportedPublication(column=columns["通知公告"], title="乙", published_at=_at(day)),
            ImportedPublication(
                column=columns["工作动态"], title="丙", published_at=_at(day), channels=("weibo",)
            ),
        ],
    )
    register_entry_create(
        actor=users["sfj_clerk"], agency=sfj, kind="normative", title="办法", issued_on=day
    )
    figures = figures_for(agency=sfj, region=False, year=2024)
    assert figures == {
        "主动公开信息总数": 3,
        "平台发布信息数": 2,
        "政务新媒体发布数": 2,
        "各渠道发布情况": "政务公开云平台2条、政务微信公众号1条、政务微博1条",
        "各类别发布情况": "政策信息1条、法定主动公开信息1条、工作动态1条",
    }
    county = platform["shifanxian"]
    assert figures_for(agency=county, region=True, year=2024)["主动公开信息总数"] == 3
    assert figures_for(agency=county, region=False, year=2024)["主动公开信息总数"] == 0
    assert table2_for(agency=county, region=True, year=2024)["table2"][T2Key.NORMATIVE_ISSUED] == 1
    assert message_figures(agency=sfj, region=False, year=2024) == {
        "网民留言数": 0,
        "留言人数": 0,
        "留言答复率": 100,
    }
