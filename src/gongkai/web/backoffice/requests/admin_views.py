"""Administrators edit the letter templates and the office settings of their agency."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.core import audit, clock
from gongkai.core.permissions import staff_required
from gongkai.core.scoping import staff_agency
from gongkai.ledger.requests.letters.build import template_for
from gongkai.ledger.requests.letters.kinds import LETTER_KINDS, PLACEHOLDERS
from gongkai.ledger.requests.models import LetterTemplate, RequestSettings
from gongkai.web.backoffice.requests.forms import LetterTemplateForm, RequestSettingsForm


def _agency(request: HttpRequest):  # type: ignore[no-untyped-def]
    agency = staff_agency(request.user)
    if agency is None:
        raise PermissionDenied("请以机关管理员身份维护本机关的文书模板")
    return agency


@staff_required("manage_agency")
def letter_templates(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    custom = set(LetterTemplate.objects.filter(agency=agency).values_list("kind", flat=True))
    settings_obj, _ = RequestSettings.objects.get_or_create(agency=agency)
    form = RequestSettingsForm(request.POST or None, instance=settings_obj)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(
            actor=request.user,
            action="request_settings.changed",
            subject=agency,
            after=form.cleaned_data,
        )
        messages.success(request, "设置已保存。")
        return redirect("backoffice:requests:letter_templates")
    kinds = [
        {"code": k.code, "label": k.label, "spec": k.spec_code, "custom": k.code in custom}
        for k in LETTER_KINDS.values()
    ]
    return render(
        request,
        "backoffice/requests/letter_templates.html",
        {"kinds": kinds, "agency": agency, "form": form},
    )


@staff_required("manage_agency")
def letter_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    agency = _agency(request)
    if kind not in LETTER_KINDS:
        raise Http404("没有这种文书")
    title, body = template_for(agency, kind)
    form = LetterTemplateForm(request.POST or None, initial={"title": title, "body": body})
    if request.method == "POST":
        if request.POST.get("reset") == "1":
            LetterTemplate.objects.filter(agency=agency, kind=kind).delete()
            audit.record(
                actor=request.user,
                action="letter_template.reset",
                subject=agency,
                after={"kind": kind},
            )
            messages.success(request, "已恢复为默认文本。")
            return redirect("backoffice:requests:letter_template", kind)
        if form.is_valid():
            LetterTemplate.objects.update_or_create(
                agency=agency,
                kind=kind,
                defaults={
                    "title": form.cleaned_data["title"],
                    "body": form.cleaned_data["body"].replace("\r\n", "\n"),
                    "updated_at": clock.now(),
                    "updated_by": request.user,
                },
            )
            audit.record(
                actor=request.user,
                action="letter_template.changed",
                subject=agency,
                after={"kind": kind, "title": form.cleaned_data["title"]},
            )
            messages.success(request, "文书模板已保存，之后生成的文书将使用新模板。")
            return redirect("backoffice:requests:letter_templates")
    return render(
        request,
        "backoffice/requests/letter_template_edit.html",
        {"form": form, "kind": LETTER_KINDS[kind], "placeholders": PLACEHOLDERS},
    )
