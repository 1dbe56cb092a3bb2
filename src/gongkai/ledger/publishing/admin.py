"""Admin for the reference data of the catalogue: topic classes, the error / sensitive-term
dictionary, columns and each agency's 索引号 settings. Publications themselves change only
through the back office (services and actions), never here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from gongkai.ledger.publishing.models import Column, PublishingSettings, TermRule, Topic
from gongkai.ledger.publishing.services.index_numbers import validate_index_template


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference only: these are edited in the back office (发布管理 › 错敏词库 /
    主题分类), whose services validate every change and record it in the audit trail."""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "parent", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(TermRule)
class TermRuleAdmin(ReadOnlyAdmin):
    list_display = ("pattern", "kind", "is_regex", "blocking", "agency", "suggestion", "is_active")
    list_filter = ("kind", "blocking", "is_active")
    search_fields = ("pattern", "suggestion")


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "update_class", "disclosure_class", "position", "is_active")
    list_filter = ("update_class", "disclosure_class", "is_active")
    search_fields = ("name", "agency__name")


class PublishingSettingsForm(forms.ModelForm):
    class Meta:
        model = PublishingSettings
        fields = (
            "agency",
            "index_template",
            "org_code",
            "dept_code",
            "interpretation_tolerance_days",
        )

    def clean_index_template(self) -> Any:
        template = self.cleaned_data["index_template"]
        validate_index_template(template)
        return template


@admin.register(PublishingSettings)
class PublishingSettingsAdmin(admin.ModelAdmin):
    form = PublishingSettingsForm
    list_display = ("agency", "index_template", "org_code", "dept_code")
