"""Public portal for applications: choose the agency, apply, confirmation, status lookup.

The portal finds an application only through ``selectors.application_for_tracking`` (tracking
code + password). A lookup that fails says the same thing whether the code or the password was
wrong, and lookups are rate-limited per client address.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from gongkai.core.models import Agency
from gongkai.ledger.requests.letters.render import LetterUnavailable, pdf_filename, render_pdf
from gongkai.ledger.requests.models import Application, RequestSettings
from gongkai.ledger.requests.selectors import application_for_tracking, letters_for_applicant
from gongkai.ledger.requests.services import ApplicationError, application_submit_online
from gongkai.ledger.requests.transitions import Status
from gongkai.web.portal.requests.forms import PublicApplicationForm, TrackForm

SESSION_DONE = "gk_apply_done"
SESSION_TRACKED = "gk_tracked"
NOT_FOUND = "查询码或查询密码不正确，未找到对应的申请。请核对后重试。"
TOO_MANY = "查询过于频繁，请稍后再试。"


def agencies_accepting() -> QuerySet[Agency]:
    """Agencies the public may apply to on this platform (active, not internal units, and
    accepting online applications)."""
    closed = RequestSettings.objects.filter(accepts_online=False).values("agency_id")
    return (
        Agency.objects.filter(is_active=True)
        .exclude(kind=Agency.Kind.UNIT)
        .exclude(pk__in=closed)
        .select_related("request_settings")
        .order_by("path")
    )


def choose_agency(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    agencies = agencies_accepting()
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return render(request, "portal/requests/choose_agency.html", {"agencies": agencies, "q": q})


@never_cache
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(agencies_accepting(), slug=slug)
    if request.method == "POST":
        form = PublicApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                app, password = application_submit_online(
                    agency=agency,
                    data=form.intake_data(),
                    submission_token=form.cleaned_data["submission_token"],
                    attachments=form.cleaned_data.get("attachments") or [],
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc))
            else:
                done = request.session.get(SESSION_DONE) or {}
                if password is not None or done.get("id") != app.pk:
                    done = {"id": app.pk, "password": password}
                request.session[SESSION_DONE] = done
                request.session[SESSION_TRACKED] = app.pk
                return redirect("portal:requests:done")
    else:
        form = PublicApplicationForm(initial={"submission_token": secrets.token_urlsafe(24)})
    try:
        guide = agency.request_settings.guide
    except RequestSettings.DoesNotExist:
        guide = ""
    return render(
        request, "portal/requests/apply.html", {"form": form, "agency": agency, "guide": guide}
    )


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    info = request.session.get(SESSION_DONE)
    if not info:
        return redirect("portal:requests:choose_agency")
    app = Application.objects.select_related("agency").filter(pk=info["id"]).first()
    if app is None:
        raise Http404
    password = info.get("password")
    if password:
        # shown once: a reload shows the page without the password
        request.session[SESSION_DONE] = {"id": app.pk, "password": None}
    receipt = app.letters.filter(kind="receipt").first()
    return render(
        request, "portal/requests/done.html", {"app": app, "password": password, "receipt": receipt}
    )


@never_cache
@ratelimit(key="ip", rate="10/m", method="POST", block=False)
@ratelimit(key="post:code", rate="5/m", method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid():
            app = application_for_tracking(form.cleaned_data["code"], form.cleaned_data["password"])
            if app is not None:
                request.session.cycle_key()
                request.session[SESSION_TRACKED] = app.pk
                return redirect("portal:requests:status")
            form.add_error(None, NOT_FOUND)
            status = 404
    return render(request, "portal/requests/track.html", {"form": form}, status=status)


def _tracked(request: HttpRequest) -> Application:
    pk = request.session.get(SESSION_TRACKED)
    app = (
        Application.objects.select_related("agency", "transferred_to").filter(pk=pk).first()
        if pk
        else None
    )
    if app is None:
        raise Http404("请先输入查询码和查询密码")
    return app


@never_cache
def status(request: HttpRequest) -> HttpResponse:
    try:
        app = _tracked(request)
    except Http404:
        return redirect("portal:requests:track")
    amendment = None
    if app.status == Status.AWAITING_AMENDMENT:
        amendment = app.amendments.filter(received_on__isnull=True).order_by("-number").first()
    transferred = app.transfers.select_related("agency").first() if app.transferred_to_id else None
    context: dict[str, Any] = {
        "app": app,
        "status_label": app.status_enum.public_label,
        "amendment": amendment,
        "letters": list(letters_for_applicant(app)),
        "released": list(app.attachments.filter(released=True))
        if app.status == Status.CLOSED
        else [],
        "transferred": transferred,
    }
    return render(request, "portal/requests/status.html", context)


def letter(request: HttpRequest, letter_id: int) -> HttpResponse:
    app = _tracked(request)
    item = letters_for_applicant(app).filter(pk=letter_id).first()
    if item is None:
        raise Http404("未找到该文书")
    try:
        data = render_pdf(item)
    except LetterUnavailable as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf_filename(item))
    return response


def released_file(request: HttpRequest, attachment_id: int) -> HttpResponse:
    from django.http import FileResponse

    app = _tracked(request)
    if app.status != Status.CLOSED:
        raise Http404
    att = app.attachments.filter(pk=attachment_id, released=True).first()
    if att is None:
        raise Http404
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


def forget(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session.pop(SESSION_TRACKED, None)
        request.session.pop(SESSION_DONE, None)
    return redirect("portal:requests:track")
