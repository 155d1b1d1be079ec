from django.contrib import admin

from follow.models import Follow, Follower


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    readonly_fields = ("kind", "key", "label", "created_at")
    can_delete = True


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "last_digest_at")
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "cursor", "last_digest_at")
    inlines = [FollowInline]

    def has_add_permission(self, request):
        return False  # only their owner adds an address, by confirming a link
