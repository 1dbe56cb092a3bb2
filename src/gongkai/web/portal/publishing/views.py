"""The public side of proactive disclosure: catalogue (目录), item pages, search, the
disclosure guide (指南), RSS and the sitemap. Every query starts from the one published
selector, ``selectors.publication_list_public()``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.ledger.publishing import selectors
from gongkai.ledger.publishing.models import Category, Column, Topic
from gongkai.ledger.publishing.text import snippet
from gongkai.web.portal.publishing.cache import cached_public_page, per_generation
from gongkai.web.portal.views import public_agencies

PER_PAGE = 20
SITEMAP_CHUNK = 50_000


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(request: HttpRequest) -> tuple[selectors.CatalogueFilters, dict[str, Any]]:
    """Catalogue filters from the query string; unknown values are ignored."""
    agency = None
    slug = request.GET.get("agency")
    if slug:
        agency = public_agencies().filter(slug=slug).first()
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    topic = None
    topic_id = _int(request.GET.get("topic"))
    if topic_id:
        topic = Topic.objects.filter(pk=topic_id, is_active=True).select_related("parent").first()
    year = _int(request.GET.get("year"))
    if year and not 2000 <= year <= clock.today().year:
        year = None
    column = None
    column_id = _int(request.GET.get("column"))
    if column_id and agency is not None:
        column = Column.objects.filter(pk=column_id, agency=agency, is_active=True).first()
    filters = selectors.CatalogueFilters(
        agency=agency, category=category, topic=topic, year=year, column=column
    )
    context = {
        "agency": agency,
        "category": category,
        "topic": topic,
        "year": year,
        "column": column,
        "category_label": Category(category).label if category else "",
    }
    return filters, context


@dataclass(frozen=True)
class FacetLink:
    href: str
    label: str
    current: bool
    depth: int = 0


def _link(request: HttpRequest, drop: tuple[str, ...], **values: Any) -> str:
    """The current query string with ``values`` set and ``drop`` removed (the same as the
    ``{% querystring %}`` tag, built in Python: a facet column has ~60 links per page)."""
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    for key, value in values.items():
        query[key] = str(value)
    return "?" + query.urlencode()


@dataclass(frozen=True)
class _Choice:
    pk: int
    slug: str
    name: str
    depth: int = 0


def _first_year() -> int:
    return per_generation("first-year", selectors.first_public_year) or clock.today().year


def _paginator(
    request: HttpRequest, queryset: Any, cap: int = selectors.MAX_LISTED
) -> selectors.CappedPaginator:
    """A capped paginator whose count is shared by every page of the same list."""
    paginator = selectors.CappedPaginator(queryset, PER_PAGE, cap=cap)
    query = request.GET.copy()
    query.pop("page", None)
    paginator.__dict__["count"] = per_generation(
        f"count|{request.path}|{query.urlencode()}", lambda: paginator.count
    )
    return paginator


def _facets(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    first = _first_year()
    agency, topic = context["agency"], context["topic"]
    agencies = per_generation(
        "facet-agencies",
        lambda: [
            _Choice(a.pk, a.slug, a.name, a.depth)
            for a in public_agencies().only("pk", "name", "slug", "path")
        ],
    )
    topics = per_generation(
        "facet-topics",
        lambda: [
            _Choice(t.pk, "", t.name)
            for t in Topic.objects.filter(is_active=True, parent__isnull=True).only("pk", "name")
        ],
    )
    return {
        "facet_groups": [
            (
                "公开机关",
                [
                    FacetLink(
                        _link(request, ("page", "column"), agency=a.slug),
                        a.name,
                        agency is not None and agency.pk == a.pk,
                        a.depth,
                    )
                    for a in agencies
                ],
            ),
            (
                "条例第二十条分类",
                [
                    FacetLink(
                        _link(request, ("page",), category=value),
                        label,
                        context["category"] == value,
                    )
                    for value, label in Category.choices
                ],
            ),
            (
                "主题分类",
                [
                    FacetLink(
                        _link(request, ("page",), topic=t.pk),
                        t.name,
                        topic is not None and topic.pk == t.pk,
                    )
                    for t in topics
                ],
            ),
            (
                "年度",
                [
                    FacetLink(_link(request, ("page",), year=y), f"{y}年", context["year"] == y)
                    for y in range(clock.today().year, first - 1, -1)
                ],
            ),
        ]
    }


@cached_public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    filters, context = _filters(request)
    paginator = _paginator(request, selectors.catalogue_public(filters))
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/publishing/catalogue.html",
        {
            **context,
            **_facets(request, context),
            "page": page,
            "paginator": paginator,
        },
    )


@cached_public_page
def agency_catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """An agency's 政府信息公开目录: 索引, 名称, 内容概述, 生成日期 (条例第十二条)."""
    agency = get_object_or_404(public_agencies(), slug=slug)
    filters, context = _filters(request)
    filters = selectors.CatalogueFilters(
        agency=agency,
        category=filters.category,
        year=filters.year,
        column=Column.objects.filter(
            pk=_int(request.GET.get("column")) or 0, agency=agency
        ).first(),
    )
    paginator = _paginator(request, selectors.catalogue_public(filters))
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/publishing/agency_catalogue.html",
        {
            **context,
            "agency": agency,
            "page": page,
            "paginator": paginator,
            "columns": Column.objects.filter(agency=agency, is_active=True),
            "categories": Category.choices,
            "years": range(clock.today().year, _first_year() - 1, -1),
        },
    )


@cached_public_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    """政府信息公开指南 (条例第十二条): classification, arrangement, how to obtain information,
    and the office's name, address, hours, telephone and online contact."""
    agency = get_object_or_404(public_agencies(), slug=slug)
    return render(
        request,
        "portal/publishing/guide.html",
        {
            "agency": agency,
            "columns": Column.objects.filter(agency=agency, is_active=True),
            "categories": Category.choices,
        },
    )


@cached_public_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_public(pk)
    return render(
        request,
        "portal/publishing/detail.html",
        {
            "publication": publication,
            "attachments": publication.attachments.all(),
            "interpretations": selectors.interpretations_public(publication),
            "interprets": (
                selectors.publication_list_public().filter(pk=publication.interprets_id).first()
                if publication.interprets_id
                else None
            ),
        },
    )


def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    item = selectors.attachment_get_public(publication_id=pk, attachment_id=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    return FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@cached_public_page
def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    filters, context = _filters(request)
    terms = selectors.query_terms(query)
    page = paginator = None
    results: list[dict[str, Any]] = []
    if terms:
        paginator = _paginator(
            request, selectors.search_public(query, filters), cap=selectors.search_cap(query)
        )
        page = paginator.get_page(request.GET.get("page"))
        for item in page:
            body = item.search_text.split("\n", 1)[1] if "\n" in item.search_text else ""
            results.append({"item": item, "snippet": snippet(body, terms, width=90)})
    return render(
        request,
        "portal/publishing/search.html",
        {
            **context,
            **_facets(request, context),
            "query": query,
            "terms": terms,
            "page": page,
            "paginator": paginator,
            "results": results,
        },
    )


class LatestFeed(Feed):
    """RSS 2.0 of the latest published items (platform-wide, or one agency's)."""

    feed_type = Rss201rev2Feed
    limit = 50

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Agency | None:
        self.request = request
        if slug is None:
            return None
        return get_object_or_404(public_agencies(), slug=slug)

    def title(self, obj: Agency | None) -> str:
        from django.conf import settings

        name = obj.name if obj else settings.GONGKAI_PLATFORM_NAME
        return f"{name} · 主动公开信息"

    def link(self, obj: Agency | None) -> str:
        if obj:
            return reverse("portal:publishing:agency_catalogue", args=[obj.slug])
        return reverse("portal:publishing:catalogue")

    def description(self, obj: Agency | None) -> str:
        return "最新发布的政府信息"

    def items(self, obj: Agency | None) -> list[Any]:
        qs = selectors.publication_list_public().select_related("agency")
        if obj is not None:
            qs = qs.filter(agency=obj)
        return list(
            qs.only("pk", "title", "summary", "search_text", "published_at", "agency__name")[
                : self.limit
            ]
        )

    def item_title(self, item: Any) -> str:
        return item.title

    def item_description(self, item: Any) -> str:
        if item.summary:
            return item.summary
        text = item.search_text.split("\n", 1)[1] if "\n" in item.search_text else ""
        return text[:200]

    def item_link(self, item: Any) -> str:
        return reverse("portal:publishing:detail", args=[item.pk])

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at

    def item_author_name(self, item: Any) -> str:
        return item.agency.name


feed = cached_public_page(LatestFeed())


@cached_public_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Sitemap index: one sitemap per year (split in parts of 50,000 URLs)."""
    first = selectors.first_public_year()
    parts = []
    if first:
        for year in range(clock.today().year, first - 1, -1):
            start, end = selectors.year_range(year)
            count = (
                selectors.publication_list_public()
                .filter(published_at__gte=start, published_at__lt=end)
                .count()
            )
            for part in range(1, math.ceil(count / SITEMAP_CHUNK) + 1):
                parts.append(
                    request.build_absolute_uri(
                        reverse("portal:publishing:sitemap_part", args=[year, part])
                    )
                )
    home = [request.build_absolute_uri(reverse("portal:publishing:sitemap_pages"))]
    return render(
        request,
        "portal/publishing/sitemap_index.xml",
        {"sitemaps": home + parts},
        content_type="application/xml; charset=utf-8",
    )


@cached_public_page
def sitemap_pages(request: HttpRequest) -> HttpResponse:
    """Fixed pages: home, catalogue, and each agency's home, guide and catalogue."""
    urls = [reverse("portal:home"), reverse("portal:publishing:catalogue")]
    for agency in public_agencies():
        urls += [
            reverse("portal:agency", args=[agency.slug]),
            reverse("portal:publishing:guide", args=[agency.slug]),
            reverse("portal:publishing:agency_catalogue", args=[agency.slug]),
        ]
    entries = [{"loc": request.build_absolute_uri(u), "lastmod": None} for u in urls]
    return render(
        request,
        "portal/publishing/sitemap.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )


@cached_public_page
def sitemap_part(request: HttpRequest, year: int, part: int) -> HttpResponse:
    if part < 1:
        raise Http404()
    start, end = selectors.year_range(year)
    rows = (
        selectors.publication_list_public()
        .filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "pk")
        .values_list("pk", "published_at")[(part - 1) * SITEMAP_CHUNK : part * SITEMAP_CHUNK]
    )
    base = request.build_absolute_uri("/")[:-1]
    head, _, tail = reverse("portal:publishing:detail", args=[0]).rpartition("0")
    entries = [
        {"loc": f"{base}{head}{pk}{tail}", "lastmod": timezone.localdate(published_at)}
        for pk, published_at in rows
    ]
    if not entries:
        raise Http404()
    return render(
        request,
        "portal/publishing/sitemap.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )
