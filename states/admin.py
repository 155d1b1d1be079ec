"""The editors' admin. Every save or delete that can move a matrix cell marks the
treaty's matrix stale in the same transaction (the admin wraps each change in one), so
its rebuild runs after commit; publishing goes through the services, by action, for
users with the publish permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from states import revisions, services
from states.models import (
    Actor,
    Group,
    Membership,
    Position,
    Revision,
    Statement,
    Status,
)


def _mark_statement_sessions(statements):
    """Owe a rebuild from each published statement's session (lowest per treaty)."""
    services._mark(
        (s.session.treaty_id, s.session.number)
        for s in statements
        if s.status == Status.PUBLISHED
    )


def _mark_from_days(days):
    days = [day for day in days if day is not None]
    if days:
        services._mark_treaties_from_day(min(days))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["actor", "group"]


class MembershipsMarkStale:
    """For the admins with a Membership inline: changed coverage owes a rebuild."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        days = [
            f.initial.get("start_date")
            for f in formset.forms
            if f.has_changed() and f.initial
        ]
        super().save_formset(request, form, formset, change)
        days += [m.start_date for m in formset.new_objects + formset.deleted_objects]
        days += [m.start_date for m, _ in formset.changed_objects]
        _mark_from_days(days)
        return None


@admin.register(Actor)
class ActorAdmin(MembershipsMarkStale, admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind", "memberships__group"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Group)
class GroupAdmin(MembershipsMarkStale, admin.ModelAdmin):
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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["actor", "group", "start_date", "end_date"]
    list_filter = ["group"]
    search_fields = ["actor__name", "actor__code", "group__name"]
    autocomplete_fields = ["actor", "group"]
    list_select_related = ["actor", "group"]

    def save_model(self, request, obj, form, change):
        before = form.initial.get("start_date") if change else None
        super().save_model(request, obj, form, change)
        _mark_from_days([before, obj.start_date])

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.membership_delete(membership=membership)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["provision"]
    fields = ["provision", "stance", "quote", "note", "status"]
    # Publishing is an action (it needs the publish permission).
    readonly_fields = ["status"]


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
    if count:
        model_admin.message_user(request, f"{count} {done}", messages.SUCCESS)


class PublishActions:
    """Publish/unpublish actions through the services, for users who may publish."""

    publish_permission = ""

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)

    def _each(self, request, queryset, service, verb, **kwargs):
        _apply_each(
            self,
            request,
            queryset,
            lambda obj: service(user=request.user, **{self.service_arg: obj}, **kwargs),
            f"{verb}. The matrix is rebuilt in the background; it shows as stale "
            "until then.",
        )


class SavesMarkStale:
    """Statement and position admins: a change to published data owes a rebuild."""

    def _statements_of(self, obj):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        before = []
        if change:
            before = list(self._statements_of(type(obj).objects.get(pk=obj.pk)))
        if isinstance(obj, Statement | Position) and not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        _mark_statement_sessions(before + list(self._statements_of(obj)))

    def delete_model(self, request, obj):
        statements = list(self._statements_of(obj))
        obj._deleted_by = request.user  # for its revision
        super().delete_model(request, obj)
        _mark_statement_sessions(statements)

    def delete_queryset(self, request, queryset):
        statements = [s for obj in queryset for s in self._statements_of(obj)]
        # One by one, so that each revision says who deleted it.
        for obj in queryset:
            obj._deleted_by = request.user
            obj.delete()
        _mark_statement_sessions(statements)

    @admin.display(description="History")
    def history(self, obj):
        if obj.pk is None:
            return "-"
        count = revisions.history_of(obj).count()
        url = reverse("admin:states_revision_changelist")
        entity = revisions.ENTITY_OF[type(obj)]
        return format_html(
            '<a href="{}?entity={}&amp;object_id={}">{} revision{}</a>',
            url,
            entity,
            obj.pk,
            count,
            "" if count == 1 else "s",
        )


@admin.register(Statement)
class StatementAdmin(SavesMarkStale, PublishActions, admin.ModelAdmin):
    list_display = ["title", "actor", "session", "date", "kind", "status"]
    list_filter = ["session__treaty", "session", "kind", "status", "actor__kind"]
    search_fields = ["title", "text", "actor__name", "actor__code", "document_symbol"]
    autocomplete_fields = ["session", "actor", "on_behalf_of", "co_signers"]
    list_select_related = ["actor", "session"]
    readonly_fields = [
        "status",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "history",
    ]
    inlines = [PositionInline]
    actions = ["publish", "publish_with_positions", "unpublish"]
    publish_permission = "states.publish_statement"
    service_arg = "statement"

    def _statements_of(self, obj):
        return [obj]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Position:
            return super().save_formset(request, form, formset, change)
        # Inline positions are attributed like the statement: who wrote, who changed.
        for position in formset.save(commit=False):
            if position.pk is None:
                position.created_by = request.user
            position.updated_by = request.user
            position.save()
        for position in formset.deleted_objects:
            position.delete()
        formset.save_m2m()
        return None

    def save_related(self, request, form, formsets, change):
        # Co-signers and positions are saved after the statement itself.
        super().save_related(request, form, formsets, change)
        _mark_statement_sessions([form.instance])

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
        self._each(request, queryset, services.statement_publish, "published")
        for position in Position.objects.filter(
            statement__in=queryset, statement__status=Status.PUBLISHED
        ).exclude(status=Status.PUBLISHED):
            services.position_publish(position=position, user=request.user)

    @admin.action(description="Unpublish selected statements", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.statement_unpublish, "unpublished")


@admin.register(Position)
class PositionAdmin(SavesMarkStale, PublishActions, admin.ModelAdmin):
    list_display = ["statement", "provision", "stance", "status"]
    list_filter = ["stance", "status", "statement__session"]
    search_fields = ["quote", "provision__title", "statement__title"]
    autocomplete_fields = ["statement", "provision"]
    list_select_related = ["statement", "provision"]
    readonly_fields = [
        "status",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "history",
    ]
    actions = ["publish", "unpublish"]
    publish_permission = "states.publish_position"
    service_arg = "position"

    def _statements_of(self, obj):
        return [obj.statement]

    @admin.action(description="Publish selected positions", permissions=["publish"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.position_publish, "published")

    @admin.action(description="Unpublish selected positions", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._each(request, queryset, services.position_unpublish, "unpublished")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Who changed what, when; a version can be restored by whoever may change it."""

    list_display = ["created_at", "entity", "object_id", "action", "user", "summary"]
    list_filter = ["entity", "action"]
    search_fields = ["=object_id", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["entity", "object_id", "action", "user", "created_at", "data"]
    actions = ["restore"]
    CHANGE_PERMISSION = {
        Revision.Entity.STATEMENT: "states.change_statement",
        Revision.Entity.POSITION: "states.change_position",
    }

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request):
        return any(request.user.has_perm(p) for p in self.CHANGE_PERMISSION.values())

    @admin.display(description="Record")
    def summary(self, revision):
        data = revision.data
        if revision.entity == Revision.Entity.STATEMENT:
            return f"{data.get('title', '')} [{data.get('status', '')}]"
        return f"{data.get('stance', '')} [{data.get('status', '')}]"

    @admin.action(
        description="Restore the selected versions (as drafts if deleted)",
        permissions=["restore"],
    )
    def restore(self, request, queryset):
        def restore(revision):
            if not request.user.has_perm(self.CHANGE_PERMISSION[revision.entity]):
                raise ValidationError("you may not change it.")
            revisions.revision_restore(revision=revision, user=request.user)

        _apply_each(
            self,
            request,
            queryset.order_by("created_at", "id"),
            restore,
            "restored. A published record's change reaches the matrix with its next "
            "rebuild.",
        )
