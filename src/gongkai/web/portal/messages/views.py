"""Public side of 网民留言: the form (rate-limited, CSRF-protected) and the published Q&A."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_ratelimit.decorators import ratelimit

from gongkai.core.models import Agency
from gongkai.ledger.messages import selectors, services
from gongkai.web.portal.views import public_agencies

RATE = "5/h"
"""Messages one address may send per hour."""


def message_agencies():  # type: ignore[no-untyped-def]
    return public_agencies().exclude(kind=Agency.Kind.UNIT)


class MessageForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="留言对象", queryset=Agency.objects.none(), empty_label="请选择机关"
    )
    writer_name = forms.CharField(label="姓名", max_length=60)
    contact = forms.CharField(
        label="联系电话或电子邮箱", max_length=100, help_text="仅用于答复联系，不会公开"
    )
    subject = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(
        label="留言内容",
        max_length=services.MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"不超过 {services.MAX_BODY} 字；请勿填写身份证号等个人敏感信息",
    )
    agrees_to_publish = forms.BooleanField(
        label="同意在网站公开我的留言和答复（不公开姓名和联系方式）", required=False
    )
    website = forms.CharField(required=False, label="网址（请留空）")

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = message_agencies()


def message_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.message_list_public()
    slug = request.GET.get("agency")
    agency = public_agencies().filter(slug=slug).first() if slug else None
    if agency is not None:
        qs = qs.filter(agency=agency)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "portal/messages/list.html", {"page": page, "agency": agency})


def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "portal/messages/detail.html", {"message": selectors.message_get_public(pk)}
    )


@ratelimit(key="ip", rate=RATE, method="POST", block=False)
def message_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    slug = request.GET.get("agency")
    if slug:
        initial["agency"] = message_agencies().filter(slug=slug).first()
    form = MessageForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, "提交过于频繁，请一小时后再试。")
            return render(request, "portal/messages/new.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:  # a robot filled the hidden field: pretend all went well
                return redirect(reverse("portal:messages:thanks") + "?ref=")
            try:
                message = services.message_submit(
                    agency=data["agency"],
                    writer_name=data["writer_name"],
                    contact=data["contact"],
                    subject=data["subject"],
                    body=data["body"],
                    agrees_to_publish=data["agrees_to_publish"],
                )
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                return redirect(reverse("portal:messages:thanks") + f"?ref={message.reference}")
    return render(request, "portal/messages/new.html", {"form": form})


def message_thanks(request: HttpRequest) -> HttpResponse:
    reference = (request.GET.get("ref") or "")[:24]
    return render(request, "portal/messages/thanks.html", {"reference": reference})
