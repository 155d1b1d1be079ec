from django.contrib import admin

from states.models import Actor, Group, Membership, Position, Statement


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["actor", "group"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind", "memberships__group"]
    search_fields = ["code", "name"]
    inlines = [MembershipInline]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["actor", "group", "start_date", "end_date"]
    list_filter = ["group"]
    search_fields = ["actor__name", "actor__code", "group__name"]
    autocomplete_fields = ["actor", "group"]
    list_select_related = ["actor", "group"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["provision"]
    fields = ["provision", "stance", "quote", "note", "status"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["title", "actor", "session", "date", "kind", "status"]
    list_filter = ["session__treaty", "session", "kind", "status", "actor__kind"]
    search_fields = ["title", "text", "actor__name", "actor__code", "document_symbol"]
    autocomplete_fields = ["session", "actor", "on_behalf_of", "co_signers"]
    list_select_related = ["actor", "session"]
    readonly_fields = ["created_by", "updated_by", "created_at", "updated_at"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["statement", "provision", "stance", "status"]
    list_filter = ["stance", "status", "statement__session"]
    search_fields = ["quote", "provision__title", "statement__title"]
    autocomplete_fields = ["statement", "provision"]
    list_select_related = ["statement", "provision"]
