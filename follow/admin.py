from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from follow import services
from follow.forms import CorrectionAnswerForm
from follow.models import CorrectionReport, Follow, Follower


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


@admin.register(CorrectionReport)
class CorrectionReportAdmin(admin.ModelAdmin):
    form = CorrectionAnswerForm
    list_display = ("id", "created_at", "status", "statement", "position")
    list_filter = ("status",)
    readonly_fields = (
        "statement",
        "position",
        "message",
        "source_url",
        "email",
        "created_at",
        "status",
        "answered_by",
        "answered_at",
    )

    def get_fields(self, request, obj=None):
        entity = "position" if obj is not None and obj.position_id else "statement"
        corrected = [f"corrected_{n}" for n in services.CORRECTABLE[entity]]
        return [*self.readonly_fields, "answer", "decision", *corrected]

    def has_add_permission(self, request):
        return False  # readers report through the public form

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            services.correction_answer(
                report=obj,
                user=request.user,
                decision=decision,
                answer=form.cleaned_data.get("answer", ""),
                changes=form.changes(),
            )
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
