"""Portal forms: the public application form and the status lookup."""

from __future__ import annotations

from django import forms

from gongkai.ledger.requests.forms import ApplicantForm


class PublicApplicationForm(ApplicantForm):
    """The application form of the portal (the applicant's own data; purpose is not asked)."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    require_phone = True


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    password = forms.CharField(label="查询密码", max_length=40, widget=forms.PasswordInput)
