"""The public forms: follow by e-mail, report a correction. Each has a honeypot field
(`website`): people leave it empty, form-filling bots do not."""

from django import forms

from follow import services, targets
from follow.models import CorrectionReport, Follow
from states.models import Position

HONEYPOT = "website"


class HoneypotForm(forms.Form):
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self):
        return bool(self.data.get(HONEYPOT))


class FollowForm(HoneypotForm):
    email = forms.EmailField(label="Your e-mail address", max_length=254)
    kind = forms.ChoiceField(choices=Follow.Kind.choices, widget=forms.HiddenInput)
    key = forms.CharField(
        max_length=targets.SEARCH_MAX_LENGTH, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["target"] = targets.resolve(data["kind"], data["key"])
        except targets.UnknownTarget as error:
            raise forms.ValidationError(str(error)) from None
        data["email"] = data["email"].strip().lower()
        return data


class CorrectionForm(HoneypotForm):
    message = forms.CharField(
        label="What is wrong?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For instance: the quote is not what was said, or the stance "
        "misreads it.",
    )
    source_url = forms.URLField(
        label="Where can we check? (optional)", required=False, max_length=500
    )
    email = forms.EmailField(
        label="Your e-mail, if you want an answer (optional)", required=False
    )


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

    def corrected_fields(self):
        """The bound fields for what this report's record may have corrected."""
        entity = "position" if self.instance.position_id else "statement"
        return [self[f"corrected_{n}"] for n in services.CORRECTABLE[entity]]
