"""Checks before (and after) publishing: the error / sensitive-term dictionary and links.

Link checks make HTTP requests, so they run outside any transaction and only store their
results. Relative links are resolved against ``base_url`` when one is given, otherwise against
this site's own URL configuration.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404, resolve

from gongkai.core import clock
from gongkai.ledger.publishing.models import LinkCheck, Publication, TermRule
from gongkai.ledger.publishing.text import Term, TermFinding, body_links, find_terms, plain_text

USER_AGENT = "gongkai-linkcheck/1.0 (government website link check)"
DEFAULT_TIMEOUT = 10.0


def active_terms(agency_id: int | None) -> list[Term]:
    """The dictionary entries that apply to an agency: platform-wide ones plus its own."""
    rules = TermRule.objects.filter(is_active=True).filter(
        Q(agency__isnull=True) | Q(agency_id=agency_id)
    )
    return [
        Term(r.kind, r.get_kind_display(), r.pattern, r.is_regex, r.suggestion, r.blocking)
        for r in rules
    ]


def publication_texts(publication: Publication) -> dict[str, str]:
    """The texts the dictionary is checked against, by field label."""
    return {
        "标题": publication.title,
        "内容概述": publication.summary,
        "文号": publication.document_number,
        "正文": plain_text(publication.body),
    }


def publication_findings(publication: Publication) -> list[TermFinding]:
    """Dictionary hits in a publication's title, summary, 文号 and body text."""
    return find_terms(publication_texts(publication), active_terms(publication.agency_id))


def blocking_findings(publication: Publication) -> list[TermFinding]:
    return [f for f in publication_findings(publication) if f.term.blocking]


def describe_findings(findings: Iterable[TermFinding]) -> str:
    return "；".join(
        f"{f.field}中的“{f.found}”（{f.term.kind_label}"
        + (f"，建议：{f.term.suggestion}" if f.term.suggestion else "")
        + "）"
        for f in findings
    )


@dataclass(frozen=True)
class UrlStatus:
    ok: bool
    status_code: int | None
    error: str


def check_url(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> UrlStatus:
    """HEAD the URL (GET when HEAD is refused); 2xx/3xx after redirects counts as working."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "mailto":
        return UrlStatus(True, None, "")
    if scheme not in ("http", "https"):
        return UrlStatus(False, None, "不支持的链接协议")
    last_error = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return UrlStatus(True, response.status, "")
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                last_error = f"HTTP {exc.code}"
                continue
            return UrlStatus(False, exc.code, f"HTTP {exc.code}")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return UrlStatus(False, None, f"无法访问：{reason}"[:300])
    return UrlStatus(False, None, last_error or "无法访问")


def _check_internal(path: str) -> UrlStatus:
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        return UrlStatus(False, 404, "本站不存在该页面")
    return UrlStatus(True, None, "")


def check_link(url: str, *, base_url: str | None, timeout: float) -> UrlStatus:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return check_url(url if parts.scheme else "http:" + url, timeout=timeout)
    if base_url:
        return check_url(urljoin(base_url, url), timeout=timeout)
    return _check_internal(url)


def check_attachment(attachment: Any) -> UrlStatus:
    name = attachment.file.name
    try:
        if not default_storage.exists(name):
            return UrlStatus(False, None, "附件文件不存在")
        if default_storage.size(name) != attachment.size:
            return UrlStatus(False, None, "附件文件大小与登记不符（可能已损坏）")
    except OSError as exc:
        return UrlStatus(False, None, f"无法读取附件：{exc}"[:300])
    return UrlStatus(True, None, "")


@dataclass(frozen=True)
class LinkResult:
    publication_id: int
    kind: str
    url: str
    status: UrlStatus


def check_publications(
    publications: Iterable[Publication],
    *,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 8,
) -> list[LinkResult]:
    """Check the body links and attachments of ``publications``; each distinct URL is requested
    once, up to ``workers`` at a time. No database writes (see ``store_link_results``)."""
    pending: list[tuple[int, str, str]] = []
    attachment_results: list[LinkResult] = []
    for publication in publications:
        for url in body_links(publication.body):
            pending.append((publication.pk, LinkCheck.Kind.LINK, url))
        for attachment in publication.attachments.all():
            attachment_results.append(
                LinkResult(
                    publication.pk,
                    LinkCheck.Kind.ATTACHMENT,
                    f"附件：{attachment.original_name}",
                    check_attachment(attachment),
                )
            )
    unique = list(dict.fromkeys(url for _, _, url in pending))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        statuses = dict(
            zip(
                unique,
                pool.map(lambda u: check_link(u, base_url=base_url, timeout=timeout), unique),
                strict=True,
            )
        )
    results = [LinkResult(pk, kind, url, statuses[url]) for pk, kind, url in pending]
    return results + attachment_results


def store_link_results(publication_ids: Iterable[int], results: Iterable[LinkResult]) -> int:
    """Replace the stored link checks of the given publications by ``results``."""
    ids = list(publication_ids)
    now = clock.now()
    rows = {}
    for r in results:
        rows[(r.publication_id, r.url[:1000])] = LinkCheck(
            publication_id=r.publication_id,
            kind=r.kind,
            url=r.url[:1000],
            ok=r.status.ok,
            status_code=r.status.status_code,
            error=r.status.error[:300],
            checked_at=now,
        )
    with transaction.atomic():
        LinkCheck.objects.filter(publication_id__in=ids).delete()
        LinkCheck.objects.bulk_create(rows.values())
    return len(rows)


def publication_check_links(
    *, publication: Publication, base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[LinkCheck]:
    """Check every body link and attachment of one publication and store the results."""
    results = check_publications([publication], base_url=base_url, timeout=timeout)
    store_link_results([publication.pk], results)
    return list(LinkCheck.objects.filter(publication=publication).order_by("kind", "url"))
