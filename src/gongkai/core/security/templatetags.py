"""The ``personal_data`` template library (registered in settings ``TEMPLATES[…]["libraries"]``).

{% load personal_data %}
{{ applicant.id_number|mask_id_number }}            always masked (lists, printouts)
{% personal applicant.phone "phone" %}              full only for core.view_personal_data
"""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.core.security import masking

register = template.Library()

register.filter("mask_id_number", masking.mask_id_number)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_address", masking.mask_address)
register.filter("mask_name", masking.mask_name)
register.filter("mask_email", masking.mask_email)


@register.simple_tag(takes_context=True)
def personal(context: template.Context, value: Any, kind: str) -> str:
    """``value`` in full for a user allowed to see personal data, masked for everybody else."""
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    return masking.mask_personal(value, kind, user)
