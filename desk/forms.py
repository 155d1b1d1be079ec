"""The statement form and its formsets: other actors, sources, the positions grid.

Fields carry the model's length limits as `maxlength` (desk.js counts them down);
the services check them again, so a text over its limit is refused, never cut.
"""

from django import forms
from django.forms import formset_factory

from desk import selectors
from provisions.models import Provision
from states.models import (
    ALSO_FOR_MAX,
    NOTE_MAX,
    QUOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    WANTS_MAX,
    Actor,
    Group,
    Position,
    Statement,
    StatementSource,
    Verification,
)

ROLE_CHOICES = [("co_signer", "Co-signer"), ("supporter", "Supporter")]
NEW_PROVISION_CHOICES = [
    ("", "—"),
    (Provision.Kind.PARAGRAPH, "Create as a paragraph of its article"),
    (Provision.Kind.PROPOSAL, "Create as a proposal"),
]


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return (
            f"{session.treaty.short_title} · {session.number}. {session.title} "
            f"({session.start_date:%-d %b %Y} – {session.end_date:%-d %b %Y})"
        )


class ActorCodeField(forms.CharField):
    """An actor typed as its code, name or alias (desk.js suggests as you type)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        actors = list(Actor.objects.matching(value)[:2])
        if len(actors) != 1:
            raise forms.ValidationError(
                f"No actor is called “{value}”; type a code, name or alias."
                if not actors
                else f"“{value}” names more than one actor; type its code."
            )
        return actors[0]


def _text(limit, rows=3, **kwargs):
    return forms.CharField(
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows, "data-counter": ""}),
        **kwargs,
    )


def _line(limit, **kwargs):
    return forms.CharField(
        max_length=limit,
        widget=forms.TextInput(attrs={"data-counter": ""}),
        **kwargs,
    )


class StatementForm(forms.Form):
    session = SessionChoiceField(queryset=selectors.sessions_for_entry())
    date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = ActorCodeField(
        label="Speaker",
        widget=forms.TextInput(attrs={"list": "actor-suggestions", "data-actor": ""}),
    )
    on_behalf_of = forms.ModelChoiceField(
        queryset=Group.objects.order_by("name"), required=False
    )
    also_for = _line(ALSO_FOR_MAX, required=False, label="Also for (unnamed)")
    kind = forms.ChoiceField(choices=Statement.Kind.choices, initial="oral")
    # No default: an editor who does not choose must not claim a verified source.
    verification = forms.ChoiceField(
        choices=[("", "Choose…"), *Verification.choices],
        help_text="How far the sources confirm it was said so.",
    )
    title = _line(TITLE_MAX)
    text = _text(TEXT_MAX, help_text="The quote or a summary.")
    language = forms.CharField(max_length=8, initial="en")
    document_symbol = forms.CharField(max_length=60, required=False)
    note = _text(NOTE_MAX, required=False, label="Note (editors only)")
    confirm_duplicate = forms.BooleanField(
        required=False, label="Save it even so", widget=forms.CheckboxInput()
    )


class OtherActorForm(forms.Form):
    actor = ActorCodeField(
        required=False,
        widget=forms.TextInput(attrs={"list": "actor-suggestions", "data-actor": ""}),
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial="co_signer")


class SourceForm(forms.Form):
    url = forms.URLField(
        label="URL",
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"data-counter": ""}),
    )
    kind = forms.ChoiceField(
        choices=StatementSource.Kind.choices,
        initial=StatementSource.Kind.OFFICIAL_RECORD,
    )


class PositionRowForm(forms.Form):
    provision = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"list": "provision-suggestions", "data-provision": ""}
        ),
    )
    stance = forms.ChoiceField(choices=[("", "—"), *Position.Stance.choices])
    # Boxes that wrap: a one-line box showed a third of what an editor typed.
    wants = _text(WANTS_MAX, rows=2, required=False)
    quote = _text(QUOTE_MAX, required=False)
    note = _text(NOTE_MAX, required=False)
    create_as = forms.ChoiceField(
        choices=NEW_PROVISION_CHOICES, required=False, label="If it does not exist"
    )
    new_title = forms.CharField(max_length=300, required=False, label="Its title")

    def has_row(self):
        """Names a provision and is not ticked for removal (the edit's grid)."""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("provision")) and not data.get("DELETE")

    def clean(self):
        data = super().clean()
        if data.get("provision") and not data.get("stance"):
            self.add_error("stance", "Pick the stance.")
        return data


OtherActorFormSet = formset_factory(OtherActorForm, extra=2)
SourceFormSet = formset_factory(SourceForm, extra=1)
PositionFormSet = formset_factory(PositionRowForm, extra=3)


class EditStatementForm(StatementForm):
    """The entry form over a draft being edited: the same fields and checks, no
    duplicate warning (the statement is the one on record)."""

    confirm_duplicate = None


class EditPositionFormSet(
    formset_factory(PositionRowForm, extra=2, can_delete=True, can_delete_extra=False)
):
    """The grid of a draft being edited: its positions, each with a box that
    removes it, and rows to add."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # the draft's own rows, not the rows added
            form.fields["DELETE"].label = "Remove this position"


class ProposeStatementForm(StatementForm):
    """What an editor may propose to change in a published statement: every field of
    the entry form, with its checks, and which of its positions to remove. (No
    duplicate check: the statement exists already.)"""

    confirm_duplicate = None
    remove_positions = forms.ModelMultipleChoiceField(
        queryset=Position.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Remove positions",
    )

    def __init__(self, *args, statement, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["remove_positions"]
        field.queryset = statement.positions.select_related("provision").order_by("pk")
        field.label_from_instance = lambda p: (
            f"{p.provision.title} ({p.get_stance_display()})"
        )


class NewPositionForm(PositionRowForm):
    """A position a proposal adds: on a provision that exists (a proposal does not
    create provisions; a draft statement may)."""

    create_as = None
    new_title = None


NewPositionFormSet = formset_factory(NewPositionForm, extra=2)


class ProposePositionForm(forms.Form):
    """What an editor may propose to change in a published position on the desk."""

    stance = forms.ChoiceField(choices=Position.Stance.choices)
    wants = _line(WANTS_MAX, required=False)
    quote = _text(QUOTE_MAX, required=False)
    note = _text(NOTE_MAX, required=False)

    @classmethod
    def for_position(cls, position):
        return cls(
            prefix=f"position-{position.pk}",
            initial={
                "stance": position.stance,
                "wants": position.wants,
                "quote": position.quote,
                "note": position.note,
            },
        )
