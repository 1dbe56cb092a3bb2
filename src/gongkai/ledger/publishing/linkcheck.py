"""The link check of everything published (``gongkai linkcheck`` / ``manage.py linkcheck``):
every body link and attachment of every published item, results stored, dead ones listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from django.db.models import Prefetch

from gongkai.ledger.publishing.models import Publication, PublicationAttachment
from gongkai.ledger.publishing.services.checks import (
    DEFAULT_TIMEOUT,
    LinkResult,
    check_publications,
    store_link_results,
)

BATCH = 200


@dataclass
class LinkcheckSummary:
    publications: int = 0
    links: int = 0
    dead: int = 0


def run_linkcheck(
    *,
    stdout: TextIO,
    agency_slug: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    workers: int = 8,
    store: bool = True,
) -> LinkcheckSummary:
    """Check all published items (of one agency with ``agency_slug``) and print the dead links
    as tab-separated lines: 索引号, 标题, 链接, 问题."""
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED).order_by("pk")
    if agency_slug:
        qs = qs.filter(agency__slug=agency_slug)
    qs = qs.only("pk", "title", "body", "index_number").prefetch_related(
        Prefetch("attachments", queryset=PublicationAttachment.objects.order_by("position"))
    )
    summary = LinkcheckSummary()
    last_pk = 0
    stdout.write("索引号\t标题\t链接\t问题\n")
    while True:
        batch = list(qs.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        results = check_publications(batch, base_url=base_url, timeout=timeout, workers=workers)
        if store:
            store_link_results([p.pk for p in batch], results)
        by_pk = {p.pk: p for p in batch}
        summary.publications += len(batch)
        summary.links += len(results)
        for result in results:
            if not result.status.ok:
                summary.dead += 1
                _print_dead(stdout, by_pk[result.publication_id], result)
    stdout.write(
        f"共检查 {summary.publications} 条信息、{summary.links} 个链接和附件，"
        f"失效 {summary.dead} 个。\n"
    )
    return summary


def _print_dead(stdout: TextIO, publication: Publication, result: LinkResult) -> None:
    problem = result.status.error or (
        f"HTTP {result.status.status_code}" if result.status.status_code else "无法访问"
    )
    title = publication.title.replace("\t", " ")
    stdout.write(f"{publication.index_number}\t{title}\t{result.url}\t{problem}\n")
