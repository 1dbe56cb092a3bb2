"""Annual reports and publications through the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.statutory.report import AnnualReport

pytestmark = pytest.mark.django_db

ASSEMBLE = "/api/annual-reports/assemble/"


def test_assembling_gives_the_report_as_annual_report_json(api, case, sfj):
    # when
    response = api("sfj_clerk").post(ASSEMBLE, {"agency": sfj.pk, "year": 2026}, format="json")
    # then
    assert response.status_code == 200, response.json()
    body = response.json()
    report = AnnualReport.from_dict(body["report"])
    assert report.year == 2026
    assert report.cell("NEW", "NP") == 1
    record = AnnualReportRecord.objects.get(pk=body["id"])
    assert record.status == "draft"
    detail = api("sfj_head").get(reverse("api:annual-report-detail", args=[record.pk])).json()
    assert detail["report"] == body["report"]
    listed = api("sfj_clerk").get("/api/annual-reports/", {"year": 2026}).json()
    assert [r["id"] for r in listed["results"]] == [record.pk]


def test_annual_reports_are_scoped_and_need_the_permission(api, sfj, platform):
    record = api("sfj_clerk").post(ASSEMBLE, {"agency": sfj.pk, "year": 2025}, format="json").json()
    url = reverse("api:annual-report-detail", args=[record["id"]])
    assert api("zrzyj_clerk").get(url).status_code == 404
    assert api("zwgkb").get(url).status_code == 200  # the region's supervising office
    assert api("sfj_secrecy").get(url).status_code == 403
    foreign = api("zrzyj_clerk").post(ASSEMBLE, {"agency": sfj.pk, "year": 2025}, format="json")
    missing = api("zrzyj_clerk").post(ASSEMBLE, {"agency": 99999, "year": 2025}, format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json()
    assert foreign.json()["errors"]["agency"] == ["未找到该机关"]


def test_a_service_refusal_is_a_400_in_chinese(api, sfj, platform):
    response = api("sfj_clerk").post(
        ASSEMBLE, {"agency": sfj.pk, "year": 2025, "scope": "region"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "只有人民政府可以编制汇总本区域的年度报告。"}


@pytest.fixture
def publications(sfj):
    """One published item and one draft of the justice bureau."""
    from django.contrib.auth import get_user_model

    from gongkai.ledger.publishing import actions
    from gongkai.ledger.publishing.demo import _ensure_columns
    from gongkai.ledger.publishing.services import publication_create
    from tests.ledger.publishing.conftest import ensure_reference_data

    ensure_reference_data()
    users = {u.username: u for u in get_user_model().objects.all()}
    columns = _ensure_columns(sfj)

    def draft(title):
        return publication_create(
            actor=users["sfj_clerk"],
            column=columns["通知公告"],
            title=title,
            body="<p>各司法所：现将有关工作安排通知如下。</p>",
        )

    published = draft("关于开展人民调解工作的通知")
    published = actions.SubmitAction(published, actor=users["sfj_clerk"]).execute()
    published = actions.FirstReviewAction(
        published, actor=users["sfj_reviewer"], proofread=True
    ).execute()
    published = actions.SecondReviewAction(
        published, actor=users["sfj_reviewer2"], proofread=True
    ).execute()
    published = actions.FinalReviewAction(
        published, actor=users["sfj_head"], proofread=True
    ).execute()
    published = actions.ConfidentialityReviewAction(published, actor=users["sfj_secrecy"]).execute()
    return published, draft("尚未发布的草稿")


def test_only_published_items_are_listed(api, publications):
    published, unpublished = publications
    assert published.status == "published"
    client = api("sfj_secrecy")
    listed = client.get("/api/publications/").json()
    assert [p["id"] for p in listed["results"]] == [published.pk]
    detail = client.get(reverse("api:publication-detail", args=[published.pk]))
    assert detail.status_code == 200
    assert detail.json()["title"] == "关于开展人民调解工作的通知"
    hidden = client.get(reverse("api:publication-detail", args=[unpublished.pk]))
    assert hidden.status_code == 404
    assert client.get("/api/publications/", {"q": "草稿"}).json()["count"] == 0
    assert client.get("/api/publications/", {"agency": "shifanxian-sfj"}).json()["count"] == 1
