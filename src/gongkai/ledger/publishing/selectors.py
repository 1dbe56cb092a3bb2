"""Reads of proactive disclosure.

Staff reads go through ``scope_to_user``; the portal reads go through ONE selector,
``publication_list_public()`` — published, on this platform, of an active agency — which every
portal list, page, search, feed, sitemap and attachment download builds on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.core.permissions import has_perm
from gongkai.core.scoping import scope_to_user
from gongkai.ledger.publishing.models import (
    PUBLIC,
    Category,
    Column,
    MonthlyFigures,
    Publication,
    PublicationAttachment,
    PublicationChannel,
    PublishingSettings,
    RegisterEntry,
    Topic,
)
from gongkai.ledger.publishing.services.search import (
    CHARS_TABLE,
    FTS_TABLE,
    index_characters,
    selective_characters,
    uses_fts,
)
from gongkai.statutory.formats import LAYOUT_2021, FormatVersion, T2Key
from gongkai.statutory.report import AnnualReport, make_report

Status = Publication.Status
Channel = PublicationChannel.Channel

# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def publication_list_for_user(user: Any) -> QuerySet[Publication]:
    """Every publication of the agencies ``user`` may see (any status)."""
    return scope_to_user(
        Publication.objects.select_related("agency", "column", "created_by"), user
    ).order_by("-updated_at", "-pk")


def publication_get_for_user(*, user: Any, publication_id: int) -> Publication:
    """One publication, or 404 — the same for "does not exist" and "not yours"."""
    try:
        return (
            publication_list_for_user(user)
            .select_related("topic", "interprets")
            .get(pk=publication_id)
        )
    except Publication.DoesNotExist:
        raise Http404("未找到该信息") from None


def attachment_get_for_user(
    *, user: Any, publication_id: int, attachment_id: int
) -> PublicationAttachment:
    publication = publication_get_for_user(user=user, publication_id=publication_id)
    try:
        return publication.attachments.get(pk=attachment_id)
    except PublicationAttachment.DoesNotExist:
        raise Http404("未找到该附件") from None


# Review statuses and the permission each needs (the action classes enforce the rest).
_TASK_PERMISSIONS = {
    Status.FIRST_REVIEW: "review_publication",
    Status.SECOND_REVIEW: "review_publication",
    Status.FINAL_REVIEW: "final_review_publication",
    Status.CONFIDENTIALITY_REVIEW: "confidentiality_review",
    Status.SCHEDULED: "final_review_publication",
}


def publication_tasks_for_user(user: Any) -> QuerySet[Publication]:
    """Items waiting for something ``user`` can do: reviews of others' drafts, and the user's
    own drafts (new or returned)."""
    statuses = [
        s
        for s, perm in _TASK_PERMISSIONS.items()
        if s != Status.SCHEDULED and (user.is_superuser or has_perm(user, perm))
    ]
    condition = Q(status__in=statuses) & ~Q(created_by=user) & ~Q(last_edited_by=user)
    if user.is_superuser or has_perm(user, "draft_publication"):
        condition |= Q(status=Status.DRAFT, created_by=user)
    return publication_list_for_user(user).filter(condition)


def columns_for_user(user: Any) -> QuerySet[Column]:
    return scope_to_user(Column.objects.select_related("agency"), user).filter(is_active=True)


def register_entries_for_user(user: Any) -> QuerySet[RegisterEntry]:
    return scope_to_user(RegisterEntry.objects.select_related("agency", "publication"), user)


def register_entry_get_for_user(*, user: Any, entry_id: int) -> RegisterEntry:
    try:
        return register_entries_for_user(user).get(pk=entry_id)
    except RegisterEntry.DoesNotExist:
        raise Http404("未找到该文件") from None


def monthly_figures(*, agency: Agency, year: int) -> dict[int, MonthlyFigures]:
    return {
        row.month: row
        for row in MonthlyFigures.objects.filter(agency=agency, year=year).select_related(
            "updated_by"
        )
    }


def policy_documents_for(agency: Agency) -> QuerySet[Publication]:
    """Policy documents an interpretation can be linked to."""
    return Publication.objects.filter(agency=agency, doc_type=Publication.DocType.POLICY).exclude(
        status=Status.WITHDRAWN
    )


# ---------------------------------------------------------------------------------------------
# Portal: the one published selector and what builds on it
# ---------------------------------------------------------------------------------------------


def publication_list_public() -> QuerySet[Publication]:
    """THE portal selector: published, listed on this platform, of an active agency.

    Withdrawn, scheduled and in-review items never match; everything public starts here.
    """
    return Publication.objects.filter(
        PUBLIC, agency__in=Agency.objects.filter(is_active=True).values("pk")
    ).order_by("-published_at", "-pk")


def portal_generation() -> str:
    """Changes whenever anything the portal shows may have changed (every publish, withdrawal,
    edit or channel change touches ``updated_at``); keys the portal's page cache. One indexed
    MAX() query."""
    latest = Publication.objects.aggregate(latest=Max("updated_at"))["latest"]
    agencies = Agency.objects.filter(is_active=True).count()
    return f"{latest.timestamp() if latest else 0}:{agencies}"


def publication_get_public(publication_id: int) -> Publication:
    try:
        return (
            publication_list_public()
            .select_related("agency", "column", "topic__parent", "interprets")
            .get(pk=publication_id)
        )
    except Publication.DoesNotExist:
        raise Http404("未找到该信息，可能已撤回或尚未发布") from None


def attachment_get_public(*, publication_id: int, attachment_id: int) -> PublicationAttachment:
    publication = publication_get_public(publication_id)
    try:
        return publication.attachments.get(pk=attachment_id)
    except PublicationAttachment.DoesNotExist:
        raise Http404("未找到该附件") from None


def interpretations_public(publication: Publication) -> QuerySet[Publication]:
    return publication_list_public().filter(interprets=publication)


def latest_public(*, agency: Agency | None = None, limit: int = 10) -> list[Publication]:
    qs = publication_list_public().select_related("agency")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return list(qs.only("pk", "title", "published_at", "agency__name", "agency__slug")[:limit])


MAX_LISTED = 5_000
"""Lists and searches count (and page through) at most this many items; narrower filters
(agency, category, year) reach the rest. Keeps every page fast with a million items."""


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (so a page never counts a million rows)."""

    def __init__(self, object_list: Any, per_page: int, cap: int = MAX_LISTED) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:  # type: ignore[override]
        listed = min(self.count, self.cap)
        return max(1, -(-listed // self.per_page))


@dataclass(frozen=True)
class CatalogueFilters:
    agency: Agency | None = None
    category: str = ""
    topic: Topic | None = None
    year: int | None = None
    column: Column | None = None


def year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _apply_filters(qs: QuerySet[Publication], filters: CatalogueFilters) -> QuerySet[Publication]:
    if filters.agency is not None:
        qs = qs.filter(agency=filters.agency)
    if filters.column is not None:
        qs = qs.filter(column=filters.column)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.topic is not None:
        if filters.topic.parent_id is None:  # a first-level class includes its sub-classes
            ids = [
                filters.topic.pk,
                *Topic.objects.filter(parent=filters.topic).values_list("pk", flat=True),
            ]
            qs = qs.filter(topic_id__in=ids)
        else:
            qs = qs.filter(topic=filters.topic)
    if filters.year:
        start, end = year_range(filters.year)
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    return qs


_LIST_FIELDS = (
    "pk",
    "title",
    "summary",
    "index_number",
    "category",
    "published_at",
    "written_on",
    "document_number",
    "agency__name",
    "agency__slug",
)


def catalogue_public(filters: CatalogueFilters) -> QuerySet[Publication]:
    """The catalogue (目录): published items filtered by agency, category, topic, year."""
    return (
        _apply_filters(publication_list_public(), filters)
        .select_related("agency")
        .only(*_LIST_FIELDS)
    )


MAX_QUERY_TERMS = 5
MAX_TERM_LENGTH = 40


def query_terms(query: str) -> list[str]:
    """Words of a search query (split on spaces), de-duplicated, bounded."""
    terms: list[str] = []
    for word in (query or "").replace("\u3000", " ").split():
        word = word[:MAX_TERM_LENGTH]
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


SEARCH_CAP = 1000
SCAN_CAP = 200


def search_cap(query: str) -> int:
    """How many results a search counts: fewer when a short word needs the substring scan,
    whose cost grows with every row read until the count is reached."""
    return SCAN_CAP if any(len(t) < 3 for t in query_terms(query)) else SEARCH_CAP


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def search_public(query: str, filters: CatalogueFilters | None = None) -> QuerySet[Publication]:
    """Published items containing every word of ``query``, most recently entered first.

    Words of three or more characters use the trigram index (FTS5 on SQLite, pg_trgm on
    PostgreSQL). A trigram index cannot answer one- and two-character words (SQLite 3.40
    returns no rows instead of an error), so they use the index of single characters
    (migration 0005) to find the rows holding their characters and a substring test to confirm
    the word. Ordering by id lets SQLite walk the FTS index backwards and stop after one page.
    """
    terms = query_terms(query)
    qs = _apply_filters(publication_list_public(), filters or CatalogueFilters())
    if not terms:
        return qs.none()
    long_terms = [t for t in terms if len(t) >= 3]
    short_characters = list(
        dict.fromkeys(ch for t in terms if len(t) < 3 for ch in index_characters(t))
    )
    scanned = terms
    order: Any = "-pk"
    if uses_fts() and (long_terms or short_characters):
        # A join with an FTS5 table (not "id IN (…)"), ordered by its rowid: SQLite reads the
        # matches newest first and stops once the page (or the capped count) is full. Long
        # words drive through the trigram table; a query of short words only, through the
        # character table (its rows hold the characters, the word is confirmed below).
        table, match = (
            (FTS_TABLE, " AND ".join(_fts_phrase(t) for t in long_terms))
            if long_terms
            else (CHARS_TABLE, " AND ".join(_fts_phrase(ch) for ch in short_characters))
        )
        qs = qs.extra(  # noqa: S610 - constant SQL, the query text is a parameter
            tables=[table],
            where=[f"{table}.rowid = {Publication._meta.db_table}.id", f"{table} MATCH %s"],
            params=[match],
        )
        order = RawSQL(f"{table}.rowid", []).desc()
        scanned = [t for t in terms if len(t) < 3]
    elif connection.vendor == "postgresql" and short_characters and not long_terms:
        rare = selective_characters(short_characters)
        if rare:
            qs = qs.filter(search_text__text_has_characters=rare)
            # "id + 0" cannot be read from an index: the planner fetches the (few) rows the
            # character index finds and sorts them, instead of walking every item newest
            # first in the hope that the words turn up soon (when they are rare, they don't).
            order = RawSQL(f'"{Publication._meta.db_table}"."id" + 0', []).desc()
    for term in scanned:
        lookup = "search_text__text_scan" if len(term) < 3 else "search_text__text_contains"
        qs = qs.filter(**{lookup: term})
    return qs.order_by(order).select_related("agency").only(*_LIST_FIELDS, "search_text")


def first_public_year() -> int | None:
    first = (
        publication_list_public()
        .order_by("published_at")
        .values_list("published_at", flat=True)[:1]
    )
    return timezone.localtime(first[0]).year if first else None


# ---------------------------------------------------------------------------------------------
# Checks: stale columns, interpretations lagging behind their policy documents
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnStatus:
    column: Column
    last_published_at: dt.datetime | None
    count: int
    stale: bool
    empty: bool

    @property
    def days_since_update(self) -> int | None:
        if self.last_published_at is None:
            return None
        return (clock.today() - timezone.localdate(self.last_published_at)).days


def column_statuses(
    *, agencies: QuerySet[Agency], now: dt.datetime | None = None
) -> list[ColumnStatus]:
    """Each active column with its last update, flagged as the website inspection rules do:
    动态、要闻类 not updated for 2 weeks, 通知公告、政策文件类 for 6 months; empty columns."""
    now = now or clock.now()
    columns = (
        Column.objects.filter(agency__in=agencies, is_active=True)
        .select_related("agency")
        .annotate(
            last_published_at=Max(
                "publications__published_at", filter=Q(publications__status=Status.PUBLISHED)
            ),
            published_count=Count("publications", filter=Q(publications__status=Status.PUBLISHED)),
        )
        .order_by("agency__path", "position", "pk")
    )
    result = []
    for column in columns:
        last = column.last_published_at
        limit = column.max_age
        stale = limit is not None and (last is None or now - last > limit)
        result.append(ColumnStatus(column, last, column.published_count, stale, last is None))
    return result


@dataclass(frozen=True)
class InterpretationWarning:
    document: Publication
    interpretation: Publication | None
    message: str


def interpretation_warnings(*, agencies: QuerySet[Agency]) -> list[InterpretationWarning]:
    """Published policy documents whose 政策解读 is missing, unpublished, or published later
    than the document (beyond the agency's tolerance) — 同步起草、同步审签、同步发布."""
    tolerance = dict(
        PublishingSettings.objects.filter(agency__in=agencies).values_list(
            "agency_id", "interpretation_tolerance_days"
        )
    )
    documents = (
        Publication.objects.filter(
            agency__in=agencies, doc_type=Publication.DocType.POLICY, status=Status.PUBLISHED
        )
        .select_related("agency")
        .prefetch_related("interpretations")
        .order_by("-published_at")
    )
    warnings = []
    for document in documents:
        interpretations = [
            i for i in document.interpretations.all() if i.status != Status.WITHDRAWN
        ]
        published = [i for i in interpretations if i.status == Status.PUBLISHED]
        if not interpretations:
            warnings.append(InterpretationWarning(document, None, "未关联政策解读"))
            continue
        if not published:
            warnings.append(
                InterpretationWarning(
                    document, interpretations[0], "政策解读尚未发布，应与政策文件同步发布"
                )
            )
            continue
        first = min(published, key=lambda i: i.published_at)
        assert first.published_at and document.published_at
        lag = (
            timezone.localdate(first.published_at) - timezone.localdate(document.published_at)
        ).days
        if lag > tolerance.get(document.agency_id, 0):
            warnings.append(
                InterpretationWarning(
                    document, first, f"政策解读晚于政策文件 {lag} 天发布，应同步发布"
                )
            )
    return warnings


def interpretation_warning_for_draft(publication: Publication) -> str:
    """For the back office: a policy document in the workflow with no interpretation in step."""
    if publication.doc_type != Publication.DocType.POLICY:
        return ""
    interpretations = publication.interpretations.exclude(status=Status.WITHDRAWN)
    if not interpretations.exists():
        return "该政策文件尚未关联政策解读。按“谁起草、谁解读”，解读材料应与政策文件同步起草、同步审签、同步发布。"
    order = list(Status.values)
    behind = [i for i in interpretations if order.index(i.status) < order.index(publication.status)]
    if behind:
        return f"政策解读“{behind[0].title}”的办理进度（{behind[0].get_status_display()}）落后于政策文件，应同步发布。"
    return ""


# ---------------------------------------------------------------------------------------------
# Figures for the annual report
# ---------------------------------------------------------------------------------------------

REGISTER_KEYS: dict[str, tuple[T2Key, T2Key, T2Key]] = {
    RegisterEntry.Kind.REGULATION: (
        T2Key.REGULATION_ISSUED,
        T2Key.REGULATION_REPEALED,
        T2Key.REGULATION_IN_FORCE,
    ),
    RegisterEntry.Kind.NORMATIVE: (
        T2Key.NORMATIVE_ISSUED,
        T2Key.NORMATIVE_REPEALED,
        T2Key.NORMATIVE_IN_FORCE,
    ),
}
FIGURE_KEYS: dict[str, T2Key] = {
    "licensing": T2Key.LICENSING_DECISIONS,
    "penalty": T2Key.PENALTY_DECISIONS,
    "coercion": T2Key.COERCION_DECISIONS,
    "fee_10k_yuan": T2Key.ADMIN_FEE_AMOUNT,
}


def _tidy(amount: Decimal) -> Decimal:
    """4 decimals at most, no trailing zeros, never exponent notation (``1E+2``)."""
    amount = amount.quantize(Decimal("0.0001"))
    if amount == amount.to_integral_value():
        return amount.quantize(Decimal(1))
    return amount.normalize()


def of_agency(agency: Agency, *, region: bool = False, field: str = "agency") -> Q:
    """Records of ``agency`` — or, with ``region``, of every agency in its subtree (a
    government's report sums its region)."""
    if region:
        return Q(**{f"{field}__path__startswith": agency.path})
    return Q(**{field: agency})


def table2_values(*, agency: Agency, year: int, region: bool = False) -> dict[T2Key, int | Decimal]:
    """Table 二 (2021 layout) of ``agency`` (or its region) for ``year``, from the registers,
    keyed by ``formats.T2Key``. Two aggregate queries: the document register and the monthly
    figures."""
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    aggregates: dict[str, Any] = {}
    for kind, (issued, repealed, in_force) in REGISTER_KEYS.items():
        of_kind = Q(kind=kind)
        aggregates[issued] = Count(
            "pk", filter=of_kind & Q(issued_on__gte=year_start, issued_on__lte=year_end)
        )
        aggregates[repealed] = Count(
            "pk", filter=of_kind & Q(repealed_on__gte=year_start, repealed_on__lte=year_end)
        )
        aggregates[in_force] = Count(
            "pk",
            filter=of_kind
            & Q(issued_on__lte=year_end)
            & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=year_end)),
        )
    counts = RegisterEntry.objects.filter(of_agency(agency, region=region)).aggregate(**aggregates)
    sums = MonthlyFigures.objects.filter(of_agency(agency, region=region), year=year).aggregate(
        **{key: Sum(name) for name, key in FIGURE_KEYS.items()}
    )
    values: dict[T2Key, int | Decimal] = {}
    for key in LAYOUT_2021.table2_keys:
        if key in counts:
            values[key] = int(counts[key] or 0)
        elif LAYOUT_2021.table2_cell(key).kind.is_decimal:
            values[key] = _tidy(Decimal(sums.get(key) or 0))
        else:
            values[key] = int(sums.get(key) or 0)
    return values


def table2_part(*, agency: Agency, year: int) -> AnnualReport:
    """Table 二 as an ``AnnualReport`` part (2021 layout; other tables left at 0)."""
    return make_report(
        agency=agency.name,
        year=year,
        version=FormatVersion.V2021,
        table2=table2_values(agency=agency, year=year),
    )


def table2_sources(*, agency: Agency, year: int) -> list[str]:
    """Where the year's administrative figures came from (distinct sources, by month)."""
    rows = MonthlyFigures.objects.filter(agency=agency, year=year).order_by("month")
    by_source: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_source[row.source].append(row.month)
    return [
        f"{source}（{'、'.join(str(m) for m in months)}月）" for source, months in by_source.items()
    ]


@dataclass(frozen=True)
class ChannelFigures:
    """How many items an agency published in a year, overall and per channel.

    ``total`` counts each item once however many channels carried it; ``by_channel`` is keyed
    by the channel's label (other channels by their name); ``by_class`` and ``by_category``
    split each channel by the column's information class and by 条例第二十条 item.
    """

    agency: str
    year: int
    total: int
    by_channel: dict[str, int]
    by_class: dict[str, dict[str, int]] = field(default_factory=dict)
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    platform: int = 0
    """Items on this platform or the agency's website (each counted once)."""
    new_media: int = 0
    """Items on WeChat or Weibo (each counted once)."""
    class_totals: dict[str, int] = field(default_factory=dict)
    """Items per information class, whatever the channel."""

    def narrative(self) -> str:
        """The figures as the annual report's text usually states them."""
        if not self.total:
            return f"{self.year}年，未通过各渠道主动公开政府信息。"
        channels = "、".join(list(self.by_channel)[:2])
        parts = [f"{self.year}年，通过{channels}等公开各类政府信息{self.total}条"]
        for label, count in self.by_channel.items():
            text = f"{label}发布信息{count}条"
            classes = self.by_class.get(label, {})
            if classes and len(classes) > 1:
                text += "，其中，" + "，".join(f"{k}{v}条" for k, v in classes.items())
            parts.append(text)
        return "；".join(parts) + "。"


def channel_figures(*, agency: Agency, year: int, region: bool = False) -> ChannelFigures:
    """Items published in ``year`` (including ones withdrawn since) by channel, information
    class and category — the figures behind the narrative of section 一."""
    start, end = year_range(year)
    published = Publication.objects.filter(
        of_agency(agency, region=region),
        status__in=[Status.PUBLISHED, Status.WITHDRAWN],
        published_at__gte=start,
        published_at__lt=end,
    )
    total = published.count()
    # The same conditions as a plain join (not "publication IN (subquery)"): without fresh
    # statistics PostgreSQL may run such a subquery once per channel row.
    rows = (
        PublicationChannel.objects.filter(
            of_agency(agency, region=region, field="publication__agency"),
            publication__status__in=[Status.PUBLISHED, Status.WITHDRAWN],
            publication__published_at__gte=start,
            publication__published_at__lt=end,
        )
        .values("channel", "name", "publication__column__disclosure_class", "publication__category")
        .annotate(n=Count("publication", distinct=True))
    )
    class_labels = dict(Column.DisclosureClass.choices)
    order = list(Channel.values)
    by_channel: dict[str, int] = defaultdict(int)
    by_class: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sort_key: dict[str, tuple[int, str]] = {}
    for row in rows:
        label = row["name"] or Channel(row["channel"]).label
        sort_key[label] = (order.index(row["channel"]), label)
        by_channel[label] += row["n"]
        by_class[label][class_labels[row["publication__column__disclosure_class"]]] += row["n"]
        by_category[label][Category.short_label(row["publication__category"])] += row["n"]
    labels = sorted(by_channel, key=lambda lbl: sort_key[lbl])
    class_order = list(class_labels.values())

    def distinct_on(*channels: str) -> int:
        return published.filter(channels__channel__in=channels).distinct().count()

    class_totals = {
        class_labels[row["column__disclosure_class"]]: row["n"]
        for row in published.values("column__disclosure_class").annotate(n=Count("pk"))
    }
    return ChannelFigures(
        agency=agency.name,
        year=year,
        total=total,
        by_channel={lbl: by_channel[lbl] for lbl in labels},
        by_class={
            lbl: {k: by_class[lbl][k] for k in class_order if by_class[lbl].get(k)}
            for lbl in labels
        },
        by_category={lbl: dict(sorted(by_category[lbl].items())) for lbl in labels},
        platform=distinct_on(Channel.PLATFORM, Channel.PORTAL),
        new_media=distinct_on(Channel.WECHAT, Channel.WEIBO),
        class_totals={k: class_totals[k] for k in class_order if class_totals.get(k)},
    )
