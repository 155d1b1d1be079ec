from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from follow import services
from follow.models import CorrectionReport, Follow, Follower
from states.models import Position


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


class CorrectionAnswerForm(forms.ModelForm):
    """The reviewer's answer: accept (with the corrected values) or reject."""

    decision = forms.ChoiceField(
        choices=[
            ("", "—"),
            (CorrectionReport.Status.ACCEPTED, "Accept and correct the record"),
            (CorrectionReport.Status.REJECTED, "Reject: the record stays"),
        ],
        required=False,
    )
    corrected_stance = forms.ChoiceField(
        choices=[("", "unchanged"), *Position.Stance.choices], required=False
    )
    corrected_quote = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="The corrected quote; empty = unchanged.",
    )
    corrected_title = forms.CharField(
        required=False, help_text="Statement reports only."
    )
    corrected_text = forms.CharField(
        widget=forms.Textarea, required=False, help_text="Statement reports only."
    )
    corrected_source_url = forms.URLField(
        required=False, help_text="Statement reports only."
    )

    class Meta:
        model = CorrectionReport
        fields = ["answer"]

    def changes(self):
        data = self.cleaned_data
        names = services.CORRECTABLE[
            "position" if self.instance.position_id else "statement"
        ]
        return {n: data[f"corrected_{n}"] for n in names if data.get(f"corrected_{n}")}


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
        answer = form.cleaned_data.get("answer", "")
        try:
            if decision == CorrectionReport.Status.ACCEPTED:
                services.correction_accept(
                    report=obj, user=request.user, answer=answer, changes=form.changes()
                )
            elif decision == CorrectionReport.Status.REJECTED:
                services.correction_reject(report=obj, user=request.user, answer=answer)
            else:
                return
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
