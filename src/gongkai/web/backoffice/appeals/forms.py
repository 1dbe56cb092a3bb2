"""Forms of the appeals back office."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.core import clock
from gongkai.ledger.appeals.models import Litigation, Reconsideration, Result
from gongkai.ledger.requests.forms import DATE
from gongkai.ledger.requests.models import Application


class AppealForm(forms.Form):
    body = forms.CharField(label="复议机关", max_length=120)
    appellant = forms.CharField(label="申请人", max_length=100)
    case_number = forms.CharField(label="案号", max_length=80, required=False)
    filed_on = forms.DateField(label="立案（受理）日期", widget=DATE, initial=clock.today)
    applications = forms.ModelMultipleChoiceField(
        label="涉及的申请",
        queryset=Application.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, agency: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = Application.objects.filter(agency=agency).order_by(
            "-registration_year", "-registration_seq"
        )
        self.fields["applications"].label_from_instance = lambda a: (
            f"{a.registration_no} {a.description[:24]}"
        )
        if kind == "reconsideration":
            self.fields["body"].initial = getattr(agency, "reconsideration_body", "")
        else:
            self.fields["body"].label = "受理法院"
            self.fields["body"].initial = getattr(agency, "competent_court", "")
            self.fields["appellant"].label = "原告"
            self.fields["route"] = forms.ChoiceField(
                label="起诉方式", choices=Litigation.Route.choices
            )
            self.fields["reconsideration"] = forms.ModelChoiceField(
                label="在先的行政复议（复议后起诉）",
                queryset=Reconsideration.objects.filter(agency=agency),
                required=False,
            )


class ConcludeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label="结果", choices=[c for c in Result.choices if c[0] != Result.PENDING]
    )
    concluded_on = forms.DateField(label="审结日期", widget=DATE, initial=clock.today)
    result_note = forms.CharField(
        label="结果说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reopen_applications = forms.BooleanField(
        label="结果纠正时，重新办理涉及的申请", required=False, initial=True
    )
