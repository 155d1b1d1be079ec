"""The admin of actors, groups, memberships, statements and positions, for superusers.

Every save, delete and action goes through states.services, as the API's writes do:
the services validate, attribute, and owe the matrix a rebuild when a cell can move.
Publishing is an action, for users with the publish permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from common.admin import DeskHistory, adopt, form_fields, save_inlines
from provisions.admin import SessionAdmin as ProvisionsSessionAdmin
from provisions.models import Session
from states import revisions, services
from states.models import (
    Actor,
    ApiToken,
    Group,
    Membership,
    Position,
    Revision,
    Statement,
    StatementSource,
    Status,
)


def _apply_each(model_admin, request, objects, apply, done):
    """An admin action's work, object by object: refusals (ValidationError) are
    reported one by one, then how many were `done`."""
    count = 0
    for obj in objects:
        try:
            apply(obj)
            count += 1
        except ValidationError as error:
            model_admin.message_user(
                request, f"{obj}: {'; '.join(error.messages)}", messages.ERROR
            )
        except PermissionDenied as refusal:  # a published record, for an editor
            model_admin.message_user(request, f"{obj}: {refusal}", messages.ERROR)
    if count:
        model_admin.message_user(request, f"{count} {done}", messages.SUCCESS)


REBUILT_LATER = "The matrix is rebuilt in the background; it shows as stale until then."


# Memberships ------------------------------------------------------------------------


def membership_save(form, change):
    if change:
        return services.membership_update(
            membership=form.instance, **form_fields(form, changed_only=True)
        )
    return services.membership_create(**form_fields(form, changed_only=False))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["actor", "group"]


class MembershipsThroughServices:
    """For the admins with a Membership inline: each row through the services."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        save_inlines(
            formset,
            create=lambda inline: membership_save(inline, change=False),
            update=lambda inline: membership_save(inline, change=True),
            delete=lambda membership: services.membership_delete(membership=membership),
        )
        return None


@admin.register(Actor)
class ActorAdmin(DeskHistory, MembershipsThroughServices, admin.ModelAdmin):
    history_entity = "actor"
    list_display = ["code", "name", "kind"]
    list_filter = ["kind", "memberships__group"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Group)
class GroupAdmin(DeskHistory, MembershipsThroughServices, admin.ModelAdmin):
    history_entity = "group"
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def delete_model(self, request, obj):
        services.group_delete(group=obj)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            services.group_delete(group=group)


@admin.register(Membership)
class MembershipAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "membership"
    list_display = ["actor", "group", "start_date", "end_date"]
    list_filter = ["group"]
    search_fields = ["actor__name", "actor__code", "group__name"]
    autocomplete_fields = ["actor", "group"]
    list_select_related = ["actor", "group"]

    def save_model(self, request, obj, form, change):
        adopt(obj, membership_save(form, change))

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(membership=membership)


# Statements and positions -----------------------------------------------------------


def _locked(request, record, permission):
    """Published records are locked for editors: they propose changes on the desk."""
    return (
        record is not None
        and record.status == Status.PUBLISHED
        and not request.user.has_perm(permission)
    )


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["provision"]
    fields = ["provision", "stance", "wants", "quote", "note", "status"]
    # Publishing is an action (it needs the publish permission).
    readonly_fields = ["status"]

    # `statement` is the inline's parent: a published one's positions are locked
    # for those who may not publish positions.
    def has_change_permission(self, request, obj=None):
        if _locked(request, obj, "states.publish_position"):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _locked(request, obj, "states.publish_position"):
            return False
        return super().has_delete_permission(request, obj)


class SourceInline(admin.TabularInline):
    """A statement's sources in order; the first is its `source_url`. Saved as one
    list through statement_update (StatementAdmin.save_formset). Sources are part of
    their statement: whoever may change it may change them, until it is published."""

    model = StatementSource
    extra = 1
    fields = ["order", "url", "kind"]
    ordering = ["order"]

    def _may_edit(self, request, obj):
        return request.user.has_perm("states.change_statement") and not _locked(
            request, obj, "states.publish_statement"
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("states.view_statement")

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)


def _sources_listed(formset):
    """[{url, kind}] as the inline lists them after this save, in `order`."""
    deleted = formset.deleted_forms
    rows = [
        inline.cleaned_data
        for inline in formset.forms
        if inline not in deleted and inline.cleaned_data.get("url")
    ]
    rows.sort(key=lambda row: (row.get("order") is None, row.get("order") or 0))
    return [{"url": row["url"], "kind": row["kind"]} for row in rows]


class EditorialAdmin(admin.ModelAdmin):
    """Statements and positions: attributed saves, deletes and publishing actions
    through the services, and a link to each record's history."""

    entity = ""  # "statement" or "position"
    publish_permission = ""
    readonly_fields = [
        "status",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "history",
    ]

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)

    def has_change_permission(self, request, obj=None):
        if _locked(request, obj, self.publish_permission):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _locked(request, obj, self.publish_permission):
            return False
        return super().has_delete_permission(request, obj)

    def _each(self, request, queryset, service, verb):
        _apply_each(
            self,
            request,
            queryset,
            lambda obj: service(user=request.user, **{self.entity: obj}),
            f"{verb}. {REBUILT_LATER}",
        )

    @admin.display(description="History")
    def history(self, obj):
        if obj.pk is None:
            return "-"
        count = revisions.history_of(obj).count()
        url = reverse("admin:states_revision_changelist")
        return format_html(
            '<a href="{}?entity={}&amp;object_id={}">{} revision{}</a>',
            url,
            revisions.ENTITY_OF[type(obj)],
            obj.pk,
            count,
            "" if count == 1 else "s",
        )


@admin.register(Statement)
class StatementAdmin(DeskHistory, EditorialAdmin):
    history_entity = "statement"
    list_display = ["title", "actor", "session", "date", "kind", "status"]
    list_filter = ["session__treaty", "session", "kind", "status", "actor__kind"]
    search_fields = ["title", "text", "actor__name", "actor__code", "document_symbol"]
    autocomplete_fields = [
        "session",
        "actor",
        "on_behalf_of",
        "co_signers",
        "supporters",
    ]
    list_select_related = ["actor", "session"]
    inlines = [SourceInline, PositionInline]
    actions = ["publish", "publish_with_positions", "unpublish"]
    entity = "statement"
    publish_permission = "states.publish_statement"

    def save_model(self, request, obj, form, change):
        roles = {
            name: form.cleaned_data.get(name) for name in ("co_signers", "supporters")
        }
        if change:
            saved = services.statement_update(
                statement=obj,
                user=request.user,
                **{
                    name: actors if name in form.changed_data else None
                    for name, actors in roles.items()
                },
                **form_fields(form, changed_only=True),
            )
        else:
            saved = services.statement_create(
                user=request.user,
                **{name: actors or () for name, actors in roles.items()},
                **form_fields(form, changed_only=False),
            )
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # Co-signers went with the statement's service call; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is StatementSource:
            return self._save_sources(request, form, formset)
        if formset.model is not Position:
            return super().save_formset(request, form, formset, change)
        user = request.user

        def create(inline):
            fields = form_fields(inline, changed_only=False)
            fields["statement"] = form.instance
            return services.position_create(user=user, **fields)

        save_inlines(
            formset,
            create=create,
            update=lambda inline: services.position_update(
                position=inline.instance,
                user=user,
                **form_fields(inline, changed_only=True),
            ),
            delete=lambda position: services.position_delete(
                position=position, user=user
            ),
        )
        return None

    def _save_sources(self, request, form, formset):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        if formset.has_changed():
            services.statement_update(
                statement=form.instance,
                user=request.user,
                sources=_sources_listed(formset),
            )

    def delete_model(self, request, obj):
        services.statement_delete(statement=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for statement in queryset:
            services.statement_delete(statement=statement, user=request.user)

    @admin.action(description="Publish selected statements", permissions=["publish"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.statement_publish, "published")

    @admin.action(
        description="Publish selected statements and their positions",
        permissions=["publish"],
    )
    def publish_with_positions(self, request, queryset):
        if not request.user.has_perm("states.publish_position"):
            self.message_user(request, "You may not publish positions.", messages.ERROR)
            return
        # Listed first: publishing takes them out of a list filtered on drafts.
        self._each(
            request,
            list(queryset),
            services.statement_publish_with_positions,
            "published with their positions",
        )

    @admin.action(description="Unpublish selected statements", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.statement_unpublish, "unpublished")


@admin.register(Position)
class PositionAdmin(DeskHistory, EditorialAdmin):
    history_entity = "position"
    list_display = ["statement", "provision", "stance", "status"]
    list_filter = ["stance", "status", "statement__session"]
    search_fields = ["quote", "provision__title", "statement__title"]
    autocomplete_fields = ["statement", "provision"]
    list_select_related = ["statement", "provision"]
    actions = ["publish", "unpublish"]
    entity = "position"
    publish_permission = "states.publish_position"

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.position_update(
                position=obj, user=request.user, **form_fields(form, changed_only=True)
            )
        else:
            saved = services.position_create(
                user=request.user, **form_fields(form, changed_only=False)
            )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        services.position_delete(position=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for position in queryset:
            services.position_delete(position=position, user=request.user)

    @admin.action(description="Publish selected positions", permissions=["publish"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.position_publish, "published")

    @admin.action(description="Unpublish selected positions", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.position_unpublish, "unpublished")


# Revisions --------------------------------------------------------------------------


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Who changed what, when; a version can be restored by whoever may change it."""

    list_display = ["created_at", "entity", "object_id", "action", "user", "summary"]
    list_filter = ["entity", "action"]
    search_fields = ["=object_id", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["entity", "object_id", "action", "user", "created_at", "data"]
    actions = ["restore"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return any(
            request.user.has_perm(f"{m._meta.app_label}.change_{m._meta.model_name}")
            for m in revisions.MODEL_OF.values()
        )

    @admin.display(description="Record")
    def summary(self, revision):
        data = revision.data
        if revision.entity == Revision.Entity.STATEMENT:
            return f"{data.get('title', '')} [{data.get('status', '')}]"
        if revision.entity == Revision.Entity.POSITION:
            return f"{data.get('stance', '')} [{data.get('status', '')}]"
        shown = data.get("name") or data.get("title") or data.get("label") or ""
        return f"{shown} [{data['status']}]" if "status" in data else shown

    @admin.action(
        description="Restore the selected versions (as drafts if deleted)",
        permissions=["restore"],
    )
    def restore(self, request, queryset):
        def restore(revision):
            # Refused (PermissionDenied) without the right to change the record, or
            # to publish it while it is published.
            revisions.revision_restore(revision=revision, user=request.user)

        _apply_each(
            self,
            request,
            queryset.order_by("created_at", "id"),
            restore,
            "restored. A published record's change reaches the matrix with its next "
            "rebuild.",
        )


# Sessions, with the matrix's freshness (which provisions knows nothing of) ----------


admin.site.unregister(Session)


@admin.register(Session)
class SessionAdmin(ProvisionsSessionAdmin):
    list_display = [*ProvisionsSessionAdmin.list_display, "matrix"]
    list_select_related = ["treaty", "treaty__matrix_state"]

    @admin.display(description="Matrix")
    def matrix(self, session):
        # The editor's view of the rebuild's progress: stale until it has run.
        state = getattr(session.treaty, "matrix_state", None)
        if state is None or state.built_at is None:
            return "not built yet"
        if state.stale_from is not None:
            return f"rebuilding (last built {state.built_at:%Y-%m-%d %H:%M} UTC)"
        return f"fresh (built {state.built_at:%Y-%m-%d %H:%M} UTC)"


# API tokens: who has one and since when; never the key ------------------------------


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Lists and revokes tokens. Keys are issued by `manage.py create_api_token`, which
    prints them once; only their digest is stored, and this page does not show it."""

    list_display = ["user", "prefix", "created_at"]
    search_fields = ["user__username", "prefix"]
    fields = ["user", "prefix", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Formal acts (votes, treaty actions) are registered in their own module.
from states import admin_acts  # noqa: E402, F401
