from django.contrib import admin

from gongkai.core.models import (
    Agency,
    AuditEvent,
    CalendarDay,
    CalendarYearConfirmation,
    StaffProfile,
)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "uscc", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["name", "uscc"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "title"]
    list_filter = ["agency"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited."""

    list_display = ["occurred_at", "actor_label", "agency", "action", "subject_label"]
    list_filter = ["action"]
    search_fields = ["subject_label", "actor_label", "action"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(CalendarDay)
admin.site.register(CalendarYearConfirmation)
admin.site.site_header = "gongkai 平台管理"
