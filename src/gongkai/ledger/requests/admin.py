"""Django admin for the platform administrator: the organisation type → column table and the
reference data. Cases themselves are handled in the back office, through the services."""

from django.contrib import admin

from gongkai.ledger.requests.models import LetterTemplate, OrganisationType, RequestSettings


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "ordering", "is_active", "note")
    list_editable = ("category", "ordering", "is_active")
    ordering = ("ordering", "name")


@admin.register(RequestSettings)
class RequestSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "office_name", "letter_prefix", "accepts_online")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ("kind", "agency", "title", "updated_at")
    list_filter = ("kind",)
