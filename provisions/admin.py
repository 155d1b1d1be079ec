from django.contrib import admin, messages

from common.admin import DeskHistory, adopt, form_fields
from provisions import services
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty


@admin.register(Treaty)
class TreatyAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "treaty"
    list_display = ["title", "slug", "negotiating_body"]
    search_fields = ["title", "short_title", "slug"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Session)
class SessionAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "session"
    list_display = [
        "title",
        "treaty",
        "number",
        "start_date",
        "end_date",
        "venue",
        "status",
    ]
    list_filter = ["treaty", "status"]
    search_fields = ["title", "venue"]
    autocomplete_fields = ["treaty"]
    ordering = ["treaty", "number"]
    list_select_related = ["treaty"]
    actions = ["close_sessions"]

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.session_update(
                session=obj, **form_fields(form, changed_only=True)
            )
        else:
            saved = services.session_create(**form_fields(form, changed_only=False))
        adopt(obj, saved)

    def delete_model(self, request, obj):
        services.session_delete(session=obj)

    def delete_queryset(self, request, queryset):
        for session in queryset:
            services.session_delete(session=session)

    @admin.action(
        description="Close selected sessions (rebuilds the matrix)",
        permissions=["change"],
    )
    def close_sessions(self, request, queryset):
        for session in queryset:
            services.session_close(session=session)
        self.message_user(
            request,
            f"{queryset.count()} session(s) closed. The matrix is rebuilt in the "
            "background: the Matrix column says when it is fresh.",
            messages.SUCCESS,
        )


@admin.register(Draft)
class DraftAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "draft"
    list_display = ["title", "symbol", "treaty", "published_on", "session"]
    list_filter = ["treaty"]
    search_fields = ["title", "symbol", "slug"]
    autocomplete_fields = ["treaty", "session"]


@admin.register(Chapter)
class ChapterAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "chapter"
    list_display = ["number", "title", "treaty", "order"]
    list_filter = ["treaty"]
    search_fields = ["title", "number"]
    autocomplete_fields = ["treaty"]


class ProvisionTextInline(admin.StackedInline):
    model = ProvisionText
    extra = 0
    autocomplete_fields = ["draft"]
    fields = ["draft", "label", "heading", "text"]


@admin.register(Provision)
class ProvisionAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "provision"
    list_display = ["title", "kind", "chapter", "treaty", "order"]
    list_filter = ["treaty", "kind", "chapter"]
    search_fields = ["title", "slug", "proposition"]
    autocomplete_fields = ["treaty", "chapter", "parent"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProvisionTextInline]


@admin.register(ProvisionText)
class ProvisionTextAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "provision_text"
    list_display = ["label", "provision", "draft"]
    list_filter = ["draft__treaty", "draft"]
    search_fields = ["label", "heading", "text", "provision__title"]
    autocomplete_fields = ["provision", "draft"]
    list_select_related = ["provision", "draft"]
