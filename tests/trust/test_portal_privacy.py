"""The portal never shows what is not published, nor one applicant's case to another.

* Publications in every state other than "published" (draft, in review, scheduled, withdrawn)
  appear on no portal page — catalogue, search, agency pages, feeds, sitemaps — and their pages
  and attachments answer 404; unpublished messages and annual reports likewise.
* The tracking lookup answers a missing code and a wrong password with the same page, and is
  rate-limited per code and per address; a tracked case shows nothing of any other case.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse

from gongkai.core import clock
from tests.ledger.requests.factories import person_data

pytestmark = pytest.mark.django_db

HIDDEN = "未发布标记"
SHOWN = "已发布标记"


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sfj(platform):
    from tests.ledger.publishing.conftest import ensure_reference_data as publishing_reference
    from tests.ledger.requests.seed import ensure_reference_data

    ensure_reference_data()
    publishing_reference()
    return platform["shifanxian-sfj"]


@pytest.fixture
def publications(sfj, settings, tmp_path):
    """One published item, and one in each other state, each unpublished one with an attachment."""
    from gongkai.ledger.publishing import actions
    from gongkai.ledger.publishing.demo import _ensure_columns
    from gongkai.ledger.publishing.models import PublicationAttachment
    from gongkai.ledger.publishing.services import publication_create

    settings.MEDIA_ROOT = tmp_path
    users = {u.username: u for u in get_user_model().objects.all()}
    column = _ensure_columns(sfj)["通知公告"]

    def draft(title, **fields):
        return publication_create(
            actor=users["sfj_clerk"],
            column=column,
            title=title,
            body=f"<p>{title}正文</p>",
            **fields,
        )

    def through_review(publication):
        publication = actions.SubmitAction(publication, actor=users["sfj_clerk"]).execute()
        for action, who in (
            (actions.FirstReviewAction, "sfj_reviewer"),
            (actions.SecondReviewAction, "sfj_reviewer2"),
            (actions.FinalReviewAction, "sfj_head"),
        ):
            publication = action(publication, actor=users[who], proofread=True).execute()
        return actions.ConfidentialityReviewAction(
            publication, actor=users["sfj_secrecy"]
        ).execute()

    shown = through_review(draft(f"{SHOWN}关于人民调解的通知"))
    hidden = {
        "draft": draft(f"{HIDDEN}草稿"),
        "in_review": actions.SubmitAction(
            draft(f"{HIDDEN}待审核"), actor=users["sfj_clerk"]
        ).execute(),
        "scheduled": through_review(
            draft(f"{HIDDEN}定时发布", scheduled_at=clock.now() + dt.timedelta(days=30))
        ),
        "withdrawn": actions.WithdrawAction(
            through_review(draft(f"{HIDDEN}已撤回")), actor=users["sfj_head"], reason="内容有误"
        ).execute(),
    }
    assert shown.status == "published"
    assert {k: p.status for k, p in hidden.items()} == {
        "draft": "draft",
        "in_review": "first_review",
        "scheduled": "scheduled",
        "withdrawn": "withdrawn",
    }
    attachments = {
        key: PublicationAttachment.objects.create(
            publication=p,
            file=ContentFile(b"%PDF-1.4 hidden", name="hidden.pdf"),
            original_name="hidden.pdf",
            content_type="application/pdf",
            size=15,
            uploaded_by=users["sfj_clerk"],
            uploaded_at=clock.now(),
        )
        for key, p in hidden.items()
    }
    return shown, hidden, attachments


def _portal_pages(sfj) -> list[str]:
    year = clock.today().year
    return [
        reverse("portal:home"),
        reverse("portal:agency", args=[sfj.slug]),
        reverse("portal:publishing:catalogue"),
        reverse("portal:publishing:search") + "?q=" + HIDDEN,
        reverse("portal:publishing:search") + "?q=标记",
        reverse("portal:publishing:agency_catalogue", args=[sfj.slug]),
        reverse("portal:publishing:feed"),
        reverse("portal:publishing:agency_feed", args=[sfj.slug]),
        reverse("portal:publishing:sitemap"),
        reverse("portal:publishing:sitemap_pages"),
        reverse("portal:publishing:sitemap_part", args=[year, 1]),
    ]


def test_unpublished_publications_appear_on_no_portal_page(client, sfj, publications):
    # given
    shown, hidden, attachments = publications
    # when
    pages = {url: client.get(url) for url in _portal_pages(sfj)}
    # then
    titles = [p.title for p in hidden.values()]
    leaks = [
        (url, title) for url, r in pages.items() for title in titles if title in r.content.decode()
    ]
    assert leaks == []
    assert SHOWN in pages[reverse("portal:publishing:catalogue")].content.decode()
    assert SHOWN in pages[reverse("portal:publishing:search") + "?q=标记"].content.decode()
    for key, publication in hidden.items():
        assert (
            client.get(reverse("portal:publishing:detail", args=[publication.pk])).status_code
            == 404
        ), key
        attachment = reverse(
            "portal:publishing:attachment", args=[publication.pk, attachments[key].pk]
        )
        assert client.get(attachment).status_code == 404, key
    assert client.get(reverse("portal:publishing:detail", args=[shown.pk])).status_code == 200


def test_unpublished_messages_and_reports_never_appear(client, sfj):
    # given: the demo's messages (some published, some not) and an unpublished annual report
    from gongkai.ledger.annual.services import annual_report_assemble
    from gongkai.ledger.messages import demo
    from gongkai.ledger.messages.models import PublicMessage
    from gongkai.ledger.messages.selectors import message_list_public

    demo.load(io.StringIO())
    public = set(message_list_public().values_list("pk", flat=True))
    private = PublicMessage.objects.exclude(pk__in=public)
    assert public and private.exists()
    record = annual_report_assemble(
        actor=get_user_model().objects.get(username="sfj_clerk"), agency=sfj, year=2025
    )
    # when
    listing = client.get(reverse("portal:messages:list")).content.decode()
    # then
    for message in private:
        assert client.get(reverse("portal:messages:detail", args=[message.pk])).status_code == 404
        assert reverse("portal:messages:detail", args=[message.pk]) not in listing
        if message.contact:
            assert message.contact not in listing
    assert client.get(reverse("portal:annual:detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("portal:annual:download", args=[record.pk, "pdf"])).status_code == 404
    assert (
        reverse("portal:annual:detail", args=[record.pk])
        not in client.get(reverse("portal:annual:list")).content.decode()
    )


@pytest.fixture
def tracked(sfj):
    """Two portal applications: (application, password) each."""
    from gongkai.ledger.requests.services import application_submit_online

    first = application_submit_online(agency=sfj, data=person_data(), submission_token="a")
    second = application_submit_online(
        agency=sfj, data=person_data(applicant_name="李四"), submission_token="b"
    )
    return first, second


def _without(body: str, *values: str) -> str:
    for value in values:
        body = body.replace(value, "•")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_a_missing_code_and_a_wrong_password_get_the_same_answer(client, tracked):
    (app, password), _ = tracked
    url = reverse("portal:requests:track")
    missing = client.post(url, {"code": "ZZZZ-ZZZZ-ZZZZ", "password": password})
    cache.clear()
    wrong = client.post(url, {"code": app.tracking_code, "password": "wrong-password"})
    assert missing.status_code == wrong.status_code == 404
    assert _without(missing.content.decode(), "ZZZZ-ZZZZ-ZZZZ") == _without(
        wrong.content.decode(), app.tracking_code
    )
    assert "查询码或查询密码不正确" in missing.content.decode()


def test_lookups_are_rate_limited_per_code_and_per_address(client, tracked):
    (app, password), _ = tracked
    url = reverse("portal:requests:track")
    # per code: 5 a minute, then even the right password is refused
    codes = [
        client.post(url, {"code": app.tracking_code, "password": "x"}).status_code for _ in range(5)
    ]
    right = client.post(url, {"code": app.tracking_code, "password": password})
    assert codes == [404] * 5 and right.status_code == 429
    assert "查询过于频繁" in right.content.decode()
    # per address: 10 a minute over any codes
    cache.clear()
    spread = [
        client.post(url, {"code": f"ABCD-EFGH-JK{i:02d}", "password": "x"}).status_code
        for i in range(11)
    ]
    assert spread[:10] == [404] * 10 and spread[10] == 429


def test_a_tracked_case_shows_nothing_of_another_case(client, tracked):
    (first, password), (second, _) = tracked
    response = client.post(
        reverse("portal:requests:track"), {"code": first.tracking_code, "password": password}
    )
    assert response.status_code == 302
    status = client.get(reverse("portal:requests:status")).content.decode()
    assert first.registration_no in status and second.registration_no not in status
    other_letter = second.letters.first()
    assert client.get(reverse("portal:requests:letter", args=[other_letter.pk])).status_code == 404
    # and without a lookup, nothing at all
    client.post(reverse("portal:requests:forget"))
    own_letter = first.letters.first()
    assert client.get(reverse("portal:requests:letter", args=[own_letter.pk])).status_code == 404
    assert client.get(reverse("portal:requests:status")).status_code == 302
