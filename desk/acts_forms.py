"""The desk's forms for the formal acts: a recorded vote, its pasted ballots, a treaty
action. Fields carry the model's limits; the services in states.acts check again."""

from django import forms
from django.core.validators import URLValidator

from provisions.models import Treaty
from states import names
from states.models import TreatyAction, Vote, VoteSponsor

PASTE_MAX = 100_000  # as the API's match endpoint


def _treaty_field(form):
    """Treaties by title; with only one, it is chosen already."""
    field = form.fields["treaty"]
    field.queryset = Treaty.objects.order_by("short_title")
    if not form.is_bound and form.instance.pk is None and "treaty" not in form.initial:
        treaties = list(field.queryset[:2])
        if len(treaties) == 1:
            form.initial["treaty"] = treaties[0].pk


class SourcesField(forms.CharField):
    """Source URLs, one a line, as a list (the models' `sources`); http(s) only, as
    the pages link them."""

    widget = forms.Textarea(attrs={"rows": 3})
    _url = URLValidator(schemes=["http", "https"])

    def clean(self, value):
        value = super().clean(value)
        urls = [line.strip() for line in (value or "").splitlines() if line.strip()]
        for url in urls:
            if len(url) > 500:
                raise forms.ValidationError(
                    f"A source URL has at most 500 characters ({len(url)} given)."
                )
            try:
                self._url(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{url[:80]}” is not a web address (http:// or https://…)."
                ) from None
        return list(dict.fromkeys(urls))


def sources_initial(sources):
    return "\n".join(sources)


def _unknown(printed):
    return forms.ValidationError(
        "No actor is called "
        + ", ".join(f"“{n}”" for n in printed)
        + "; type a code, name or alias."
    )


class ActorNameField(forms.CharField):
    """One actor typed as its code, name, a stored alias or a common variant
    ("Russia"), matched as pasted vote lists are."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        actor = names.name_index_for().find(value)
        if actor is None:
            raise _unknown([value])
        return actor


class ActorListField(forms.CharField):
    """Actors typed as a list ("Algeria, Angola; Russia"), matched like a pasted
    vote: by name, code or alias. Every name must match one actor."""

    widget = forms.Textarea(attrs={"rows": 2})

    def clean(self, value):
        value = super().clean(value)
        printed = [
            part.strip(" .\n\t")
            for part in (value or "").replace(";", ",").split(",")
            if part.strip(" .\n\t")
        ]
        if not printed:
            return []
        index = names.name_index_for()
        found, unknown = [], []
        for name in printed:
            actor = index.find(name)
            (found if actor is not None else unknown).append(actor or name)
        if unknown:
            raise forms.ValidationError(
                "No actor is called "
                + ", ".join(f"“{n}”" for n in unknown)
                + "; type a code, name or alias."
            )
        return list(dict.fromkeys(found))


class VoteForm(forms.ModelForm):
    sources = SourcesField(
        required=False, help_text="One URL a line: the meeting coverage, the record."
    )
    sponsors = ActorListField(
        required=False, help_text="As first tabled; names, codes or aliases."
    )
    co_sponsors = ActorListField(required=False, help_text="Joining later.")

    class Meta:
        model = Vote
        fields = [
            "treaty",
            "body",
            "document_symbol",
            "date",
            "title",
            "question",
            "sources",
            "verification",
            "note",
        ]
        labels = {"document_symbol": "Resolution symbol"}
        help_texts = {"document_symbol": "e.g. A/RES/74/247."}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            roles = {VoteSponsor.Role.SPONSOR: [], VoteSponsor.Role.CO_SPONSOR: []}
            for sponsorship in instance.sponsorships.select_related("actor"):
                roles[sponsorship.role].append(sponsorship.actor.name)
            initial = {
                "sources": sources_initial(instance.sources),
                "sponsors": ", ".join(roles[VoteSponsor.Role.SPONSOR]),
                "co_sponsors": ", ".join(roles[VoteSponsor.Role.CO_SPONSOR]),
                **initial,
            }
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        _treaty_field(self)

    def _post_clean(self):
        # The service validates (full_clean) and saves; the form only parses.
        pass

    def vote_fields(self):
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields}

    def sponsorships(self):
        data = self.cleaned_data
        return [(a, VoteSponsor.Role.SPONSOR) for a in data["sponsors"]] + [
            (a, VoteSponsor.Role.CO_SPONSOR) for a in data["co_sponsors"]
        ]


class PastedVoteForm(forms.Form):
    text = forms.CharField(
        label="The lists as printed",
        max_length=PASTE_MAX,
        widget=forms.Textarea(
            attrs={"rows": 14, "spellcheck": "false", "class": "paste"}
        ),
        help_text="Paste from the meeting coverage: “In favour: Algeria, Angola, … "
        "Against: … Abstaining: …” (Absent: … is read as non-voting).",
        error_messages={"required": "Paste the lists of the vote first."},
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not names.parse_vote_lists(text):
            raise forms.ValidationError(
                "No list was found: the text needs headers such as “In favour:”, "
                "“Against:” and “Abstaining:” followed by the names."
            )
        return text


class TreatyActionForm(forms.ModelForm):
    actor = ActorNameField(
        max_length=200, help_text="A code, name or alias (e.g. RUS, Russia)."
    )
    sources = SourcesField(
        required=False, help_text="One URL a line; needed to publish."
    )

    class Meta:
        model = TreatyAction
        fields = [
            "treaty",
            "actor",
            "kind",
            "date",
            "date_precision",
            "text",
            "sources",
            "verification",
            "note",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {
                "actor": instance.actor.code,
                "sources": sources_initial(instance.sources),
                **initial,
            }
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        _treaty_field(self)

    def _post_clean(self):
        pass  # as VoteForm: the service validates

    def action_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AliasForm(forms.Form):
    """A name the preview could not match, and the actor it denotes."""

    alias = forms.CharField(max_length=200)
    actor = ActorNameField(
        max_length=200,
        error_messages={"required": "Type the actor this name denotes."},
    )
