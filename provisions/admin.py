from django.contrib import admin, messages

from provisions import services
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty
from provisions.signals import matrix_inputs_changed


@admin.register(Treaty)
class TreatyAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "negotiating_body"]
    search_fields = ["title", "short_title", "slug"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "treaty",
        "number",
        "start_date",
        "end_date",
        "venue",
        "status",
        "matrix",
    ]
    list_filter = ["treaty", "status"]
    search_fields = ["title", "venue"]
    autocomplete_fields = ["treaty"]
    ordering = ["treaty", "number"]
    list_select_related = ["treaty", "treaty__matrix_state"]
    actions = ["close_sessions"]

    @admin.display(description="Matrix")
    def matrix(self, session):
        # The editor's view of the rebuild's progress: stale until it has run.
        state = getattr(session.treaty, "matrix_state", None)
        if state is None or state.built_at is None:
            return "not built yet"
        if state.stale_from is not None:
            return f"rebuilding (last built {state.built_at:%Y-%m-%d %H:%M} UTC)"
        return f"fresh (built {state.built_at:%Y-%m-%d %H:%M} UTC)"

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            if obj.status != Session.Status.SCHEDULED:
                _announce(obj.treaty_id, obj.number)
            return
        before = Session.objects.get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        fields = ("number", "status", "start_date", "end_date", "treaty_id")
        if any(getattr(before, f) != getattr(obj, f) for f in fields):
            _announce(obj.treaty_id, min(before.number, obj.number))
            if before.treaty_id != obj.treaty_id:
                _announce(before.treaty_id, before.number)

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


def _announce(treaty_id, number):
    matrix_inputs_changed.send(
        sender=Session, treaty_id=treaty_id, from_session_number=number
    )


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["title", "symbol", "treaty", "published_on", "session"]
    list_filter = ["treaty"]
    search_fields = ["title", "symbol", "slug"]
    autocomplete_fields = ["treaty", "session"]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
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
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "chapter", "treaty", "order"]
    list_filter = ["treaty", "kind", "chapter"]
    search_fields = ["title", "slug", "proposition"]
    autocomplete_fields = ["treaty", "chapter", "parent"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProvisionTextInline]


@admin.register(ProvisionText)
class ProvisionTextAdmin(admin.ModelAdmin):
    list_display = ["label", "provision", "draft"]
    list_filter = ["draft__treaty", "draft"]
    search_fields = ["label", "heading", "text", "provision__title"]
    autocomplete_fields = ["provision", "draft"]
    list_select_related = ["provision", "draft"]
