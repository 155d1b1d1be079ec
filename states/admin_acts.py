"""The admin of recorded votes and treaty actions, through states.acts.

Ballots and sponsors are shown read-only on their vote: they are entered as a whole
(the API's ballots write, or the pasted-list matcher in states.names), never row by
row, so a vote's totals are never half-entered.
"""

from django.contrib import admin

from common.admin import DeskHistory, adopt, form_fields
from states import acts
from states.admin import _apply_each
from states.models import Ballot, TreatyAction, Vote, VoteSponsor


class BallotInline(admin.TabularInline):
    model = Ballot
    extra = 0
    fields = ["actor", "choice"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VoteSponsorInline(admin.TabularInline):
    model = VoteSponsor
    extra = 0
    fields = ["actor", "role"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "vote"
    list_display = ["document_symbol", "body", "date", "treaty", "verification"]
    list_filter = ["treaty", "body", "verification"]
    search_fields = ["document_symbol", "title", "question"]
    inlines = [VoteSponsorInline, BallotInline]

    def save_model(self, request, obj, form, change):
        if change:
            saved = acts.vote_update(vote=obj, **form_fields(form, changed_only=True))
        else:
            saved = acts.vote_create(**form_fields(form, changed_only=False))
        adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        return None  # read-only inlines

    def delete_model(self, request, obj):
        acts.vote_delete(vote=obj)

    def delete_queryset(self, request, queryset):
        for vote in queryset:
            acts.vote_delete(vote=vote)


@admin.register(TreatyAction)
class TreatyActionAdmin(DeskHistory, admin.ModelAdmin):
    history_entity = "treaty_action"
    list_display = ["actor", "kind", "date", "treaty", "verification", "status"]
    list_filter = ["treaty", "kind", "verification", "status"]
    search_fields = ["actor__name", "actor__code", "text"]
    autocomplete_fields = ["actor"]
    list_select_related = ["actor", "treaty"]
    readonly_fields = ["status", "created_by", "updated_by", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    def has_publish_permission(self, request):
        return request.user.has_perm("states.publish_treatyaction")

    def save_model(self, request, obj, form, change):
        if change:
            saved = acts.treaty_action_update(
                action=obj, user=request.user, **form_fields(form, changed_only=True)
            )
        else:
            saved = acts.treaty_action_create(
                user=request.user, **form_fields(form, changed_only=False)
            )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        acts.treaty_action_delete(action=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for action in queryset:
            acts.treaty_action_delete(action=action, user=request.user)

    def _each(self, request, queryset, service, done):
        _apply_each(
            self,
            request,
            list(queryset),
            lambda obj: service(action=obj, user=request.user),
            done,
        )

    @admin.action(
        description="Publish selected treaty actions", permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._each(request, queryset, acts.treaty_action_publish, "published.")

    @admin.action(
        description="Unpublish selected treaty actions", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._each(request, queryset, acts.treaty_action_unpublish, "unpublished.")
