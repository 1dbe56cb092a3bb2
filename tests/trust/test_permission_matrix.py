"""The permission matrix (``gongkai.core.permission_matrix``) against the running site.

Every URL pattern under ``backoffice:`` and ``api:`` must have a rule, and every rule a URL.
Then, on the demo platform, each URL is requested by an anonymous visitor and by a demo account
of every role (and of other agencies), with real demo objects in the URL, and the answer must
be the one the matrix gives: the login page / 401, 403 without the permission, 404 for another
agency's object (like a missing one), else the rule's ``ok`` status.
"""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.core import clock
from gongkai.core.permission_matrix import (
    API_ACTIONS,
    MATRIX,
    Kind,
    Rule,
    allowed,
    role_allows,
    role_table,
)
from gongkai.core.roles import Role

NAMESPACES = ("backoffice", "api")
SUBJECTS = (
    "platform_admin",  # superuser, no agency
    "zwgkb",  # 政务公开办 at the county government
    "xian_admin",  # administrator at the county government
    "sfj_clerk",
    "sfj_reviewer",
    "sfj_secrecy",
    "sfj_head",
    "sfj_admin",  # administrator at a department
    "zrzyj_clerk",  # a clerk of another bureau
    "cgz_head",  # the head of a township
)


def url_names() -> dict[str, list[str]]:
    """Every named URL under the checked namespaces → its keyword arguments."""
    found: dict[str, list[str]] = {}

    def walk(patterns, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
                walk(p.url_patterns, ns or namespace)
            elif (
                isinstance(p, URLPattern)
                and p.name
                and namespace
                and namespace.split(":")[0] in NAMESPACES
            ):
                found[f"{namespace}:{p.name}"] = list(p.pattern.converters)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_url_has_a_rule_and_every_rule_a_url():
    urls = set(url_names())
    ruled = {rule.name for rule in MATRIX}
    assert sorted(urls - ruled) == [], "URLs the permission matrix does not list"
    assert sorted(ruled - urls) == [], "rules for URLs that no longer exist"
    keys = [rule.key for rule in MATRIX]
    assert len(keys) == len(set(keys))


def test_the_api_action_rules_follow_the_transition_table():
    from gongkai.ledger.requests.transitions import TRANSITIONS, Action

    by_suffix = {suffix: permission for suffix, permission, _ in API_ACTIONS}
    expected = {
        a.value.replace("_", "-"): t.permission for a, t in TRANSITIONS.items() if a != Action.EDIT
    }
    assert by_suffix == expected


def test_the_role_table_reads_as_the_roles_say():
    rule = next(r for r in MATRIX if r.name == "backoffice:requests:detail")
    assert role_allows(rule, Role.CLERK) is True
    assert role_allows(rule, Role.SUPERVISOR) is True
    assert role_allows(rule, Role.CONFIDENTIALITY_REVIEWER) is False
    oversee = next(r for r in MATRIX if r.name == "backoffice:oversight:list")
    assert role_allows(oversee, Role.ADMINISTRATOR) is None  # only at a government
    assert len(role_table()) == len(MATRIX)


# -- the walk -------------------------------------------------------------------------------------


def _objects(platform) -> dict[str, object]:
    """Demo objects of the justice bureau (and the county's review batch) to put in the URLs."""
    from gongkai.ledger.annual.models import AnnualReportRecord
    from gongkai.ledger.annual.services import annual_report_assemble
    from gongkai.ledger.appeals.models import Reconsideration
    from gongkai.ledger.messages.models import PublicMessage
    from gongkai.ledger.publishing.models import (
        Publication,
        PublicationAttachment,
        RegisterEntry,
        TermRule,
        Topic,
    )
    from gongkai.ledger.requests.models import Application, Attachment
    from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody

    sfj = platform["shifanxian-sfj"]
    users = {u.username: u for u in get_user_model().objects.all()}
    app = (
        Application.objects.filter(agency=sfj, status="decision_review").first()
        or Application.objects.filter(agency=sfj, status="in_progress").first()
    )
    attachment = Attachment.objects.create(
        application=app,
        kind="applicant",
        file=ContentFile(b"%PDF-1.4 test", name="walk.pdf"),
        name="walk.pdf",
        size=13,
        uploaded_at=clock.now(),
    )
    draft = Publication.objects.filter(agency=sfj, status="draft").first()
    publication_attachment = PublicationAttachment.objects.create(
        publication=draft,
        file=ContentFile(b"%PDF-1.4 test", name="walk.pdf"),
        original_name="walk.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=users["sfj_clerk"],
        uploaded_at=clock.now(),
    )
    batch = AuditBatch.objects.filter(region=platform["shifanxian"]).first()
    # the demo's own report of the bureau if it has one (any status), else last year's draft
    annual_report = AnnualReportRecord.objects.filter(agency=sfj).order_by("-year").first()
    if annual_report is None:
        annual_report = annual_report_assemble(
            actor=users["sfj_clerk"], agency=sfj, year=clock.today().year - 1
        )
    from gongkai.api.models import ApiToken
    from gongkai.api.tokens import api_token_create

    # a colleague's token for the administrators' token pages
    api_token, _ = api_token_create(
        user=users["sfj_clerk"], name="走查（管理）", origin=ApiToken.Origin.COMMAND
    )
    return {
        "api_token": api_token,
        "token_user": users["sfj_clerk"],
        "agency": sfj,
        "application": app,
        "letter": app.letters.first(),
        "attachment": attachment,
        "appeal": Reconsideration.objects.filter(agency=sfj).first(),
        "publication": draft,
        "publication_attachment": publication_attachment,
        "published": Publication.objects.filter(agency=sfj, status="published").first(),
        "register_entry": RegisterEntry.objects.filter(agency=sfj).first(),
        "message": PublicMessage.objects.filter(agency=sfj).first(),
        "annual_report": annual_report,
        "batch": batch,
        "audit_item": AuditItem.objects.filter(batch=batch).first(),
        "reporting_body": ReportingBody.objects.filter(region=platform["shifanxian"]).first(),
        "term_rule": TermRule.objects.create(agency=sfj, kind="error", pattern="走查用词"),
        "topic": Topic.objects.filter(parent__isnull=False).first()
        or Topic.objects.create(name="走查分类", code="walk"),
    }


def _owner_agency(owner: str, obj) -> object | None:
    if owner in ("batch",):
        return obj.region
    if owner == "audit_item":
        return obj.batch.region
    if owner == "reporting_body":
        return obj.region
    if owner in ("api_token", "token_user"):
        from gongkai.core.scoping import staff_agency

        return staff_agency(obj.user if owner == "api_token" else obj)
    if owner in ("published", "own_token", "topic"):
        return None  # not scoped: the public selector, the subject's own token, platform data
    return obj if owner == "agency" else obj.agency


def _kwargs(name: str, objects: dict[str, object], token_id: int) -> dict[str, object]:
    o = objects
    app, letter = o["application"], o["letter"]
    by_name: dict[str, dict[str, object]] = {
        "backoffice:agency_detail": {"agency_id": o["agency"].pk},
        "backoffice:requests:letter_template": {"kind": "receipt"},
        "backoffice:requests:action": {"pk": app.pk, "action": "request_amendment"},
        "backoffice:requests:letter": {"pk": app.pk, "letter_id": letter.pk, "fmt": "docx"},
        "backoffice:requests:draft_letter": {"pk": app.pk, "fmt": "docx"},
        "backoffice:requests:attachment": {"pk": app.pk, "attachment_id": o["attachment"].pk},
        "backoffice:appeals:create": {"kind": "reconsideration"},
        "backoffice:appeals:detail": {"kind": "reconsideration", "pk": o["appeal"].pk},
        "backoffice:publishing:attachment": {
            "pk": o["publication"].pk,
            "attachment_id": o["publication_attachment"].pk,
        },
        "backoffice:publishing:attachment_delete": {
            "pk": o["publication"].pk,
            "attachment_id": o["publication_attachment"].pk,
        },
        "backoffice:publishing:register_edit": {"pk": o["register_entry"].pk},
        "backoffice:publishing:figures_year": {"year": clock.today().year - 1},
        "backoffice:publishing:table2_year": {"year": clock.today().year - 1},
        "backoffice:publishing:figures_import": {"year": clock.today().year - 1},
        "backoffice:annual:section": {"record_id": o["annual_report"].pk, "number": 1},
        "backoffice:annual:transition": {"record_id": o["annual_report"].pk, "action": "review"},
        "backoffice:annual:export": {"record_id": o["annual_report"].pk, "fmt": "json"},
        "backoffice:oversight:body_active": {"body_id": o["reporting_body"].pk},
        "api:token-revoke": {"token_id": token_id},
        "api:tokens-admin-revoke": {"token_id": o["api_token"].pk},
        "api:tokens-admin-revoke-user": {"user_id": o["token_user"].pk},
        "api:publication-detail": {"pk": o["published"].pk},
    }
    if name in by_name:
        return by_name[name]
    params = url_names()[name]
    owner = next(r.owner for r in MATRIX if r.name == name)
    defaults = {
        "pk": {
            "application": app,
            "publication": o["publication"],
            "message": o["message"],
            "annual_report": o["annual_report"],
            "term_rule": o["term_rule"],
            "topic": o["topic"],
        }.get(owner),
        "record_id": o["annual_report"],
        "batch_id": o["batch"],
        "item_id": o["audit_item"],
    }
    return {p: defaults[p].pk for p in params}  # type: ignore[union-attr]


def _request(client: Client, rule: Rule, url: str, token: str | None, method: str | None = None):
    method = method or rule.method
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    # Each request in a savepoint that is rolled back: one subject's POST never changes what
    # the next subject finds. Marked like the test case's own atomic block, inside which
    # services may open their durable ones (Django's TestCase does the same).
    savepoint = transaction.atomic()
    savepoint._from_testcase = True  # type: ignore[attr-defined]
    with savepoint:
        if rule.kind is Kind.API and method != "GET":
            response = client.generic(
                method, url, json.dumps({}), content_type="application/json", **extra
            )
        elif method == "POST":
            response = client.post(url, {}, **extra)
        else:
            response = client.generic(method, url, **extra)
        transaction.set_rollback(True)
    return response


def _expected(rule: Rule, user, objects, visible_ids) -> int:
    from gongkai.core.scoping import staff_agency

    if rule.kind is Kind.PUBLIC:
        return rule.anonymous  # type: ignore[return-value]
    if user is None:
        return 401 if rule.kind is Kind.API else 302
    codenames = {p.split(".", 1)[1] for p in user.get_all_permissions() if p.startswith("core.")}
    agency = staff_agency(user)
    government = agency is not None and agency.kind == "government"
    superuser = user.is_superuser
    if not allowed(rule, codenames, government=government, superuser=superuser, before_lookup=True):
        return 403
    if rule.agency_only and agency is None:
        return 403
    if rule.owner:
        owner = _owner_agency(rule.owner, objects.get(rule.owner))
        if owner is not None and owner.pk not in visible_ids:
            return 404
    if not allowed(rule, codenames, government=government, superuser=superuser):
        return 403
    return rule.ok


@pytest.mark.django_db
def test_every_url_answers_each_role_as_the_matrix_says(platform, settings, tmp_path):
    # given: the whole demo, and a token for every demo account
    from gongkai.api.models import ApiToken
    from gongkai.api.tokens import api_token_create
    from gongkai.core.demo import load_demo
    from gongkai.core.scoping import agencies_for_user

    settings.MEDIA_ROOT = tmp_path
    settings.RATELIMIT_ENABLE = False
    load_demo(io.StringIO())
    objects = _objects(platform)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=SUBJECTS)}
    tokens: dict[str, tuple[str, int]] = {}
    for username, user in users.items():
        row, raw = api_token_create(user=user, name="walk", origin=ApiToken.Origin.COMMAND)
        tokens[username] = (raw, row.pk)
    urls = url_names()
    login_url = reverse("backoffice:login")
    mismatches: list[str] = []

    # when: every rule, for an anonymous visitor and every subject
    for subject in (None, *SUBJECTS):
        user = users.get(subject) if subject else None
        client = Client()
        if user is not None:
            client.force_login(user)
        raw, token_id = tokens[subject] if subject else (None, 0)
        visible = set(agencies_for_user(user).values_list("pk", flat=True)) if user else set()
        for rule in MATRIX:
            if rule.kind is Kind.PUBLIC and user is not None:
                continue  # public: the same for everybody (and logging out would end the walk)
            url = reverse(rule.name, kwargs=_kwargs(rule.name, objects, token_id) or None)
            assert rule.name in urls
            token = raw if rule.kind is Kind.API else None
            response = _request(client, rule, url, token)
            want = _expected(rule, user, objects, visible)
            got = response.status_code
            if got != want:
                mismatches.append(f"{rule.name} {rule.method} {subject or '匿名'}: {want} ≠ {got}")
            elif (
                user is None
                and want == 302
                and rule.kind is not Kind.PUBLIC
                and not response.url.startswith(login_url)
            ):
                mismatches.append(f"{rule.name} 匿名: redirected to {response.url}")
            if subject == "platform_admin" and rule.kind is Kind.ACTION:
                # a POST-only action answers GET with 405
                got = _request(client, rule, url, None, method="GET").status_code
                if got != 405:
                    mismatches.append(f"{rule.name} GET platform_admin: 405 ≠ {got}")

    # then
    assert mismatches == [], "\n".join(mismatches)
