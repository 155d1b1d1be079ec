"""Matching names as sources print them to actors: for pasted vote lists, imports and
search.

A name matches an actor when, normalised (case, accents, punctuation, a leading
"the", a trailing parenthesis such as "(Islamic Republic of)"), it equals the actor's
name, its code, or an alias. The aliases are a small table of common variants here,
and the ActorAlias rows editors keep in the database: `name_index_for()` builds the
index with both, and is what callers use; `NameIndex(actors, extra_aliases=…)` stays
for callers that bring their own (alias, actor) pairs.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db import transaction

from states.models import Actor, ActorAlias, Ballot

# Common variants → the UN name of the member state (as demo/data/actors.csv and
# the UN's own lists spell it).
ALIASES = {
    "Russia": "Russian Federation",
    "Turkey": "Türkiye",
    "Turkiye": "Türkiye",
    "DPRK": "Democratic People's Republic of Korea",
    "North Korea": "Democratic People's Republic of Korea",
    "Korea, DPR": "Democratic People's Republic of Korea",
    "South Korea": "Republic of Korea",
    "Korea, Republic of": "Republic of Korea",
    "Iran": "Iran (Islamic Republic of)",
    "Syria": "Syrian Arab Republic",
    "Venezuela": "Venezuela (Bolivarian Republic of)",
    "Bolivia": "Bolivia (Plurinational State of)",
    "Tanzania": "United Republic of Tanzania",
    "Moldova": "Republic of Moldova",
    "Vietnam": "Viet Nam",
    "Lao": "Lao People's Democratic Republic",
    "Laos": "Lao People's Democratic Republic",
    "Lao PDR": "Lao People's Democratic Republic",
    "Micronesia": "Micronesia (Federated States of)",
    "Ivory Coast": "Côte d'Ivoire",
    "United States": "United States of America",
    "USA": "United States of America",
    "US": "United States of America",
    "United Kingdom": "United Kingdom of Great Britain and Northern Ireland",
    "UK": "United Kingdom of Great Britain and Northern Ireland",
    "Britain": "United Kingdom of Great Britain and Northern Ireland",
    "Czech Republic": "Czechia",
    "DR Congo": "Democratic Republic of the Congo",
    "DRC": "Democratic Republic of the Congo",
    "Democratic Republic of Congo": "Democratic Republic of the Congo",
    "Congo, Democratic Republic of the": "Democratic Republic of the Congo",
    "Republic of the Congo": "Congo",
    "Brunei": "Brunei Darussalam",
    "Cape Verde": "Cabo Verde",
    "Swaziland": "Eswatini",
    "Macedonia": "North Macedonia",
    "East Timor": "Timor-Leste",
    "Netherlands": "Netherlands (Kingdom of the)",
    "Holland": "Netherlands (Kingdom of the)",
    "Sao Tome": "Sao Tome and Principe",
    "St Kitts and Nevis": "Saint Kitts and Nevis",
    "St Lucia": "Saint Lucia",
    "St Vincent and the Grenadines": "Saint Vincent and the Grenadines",
    "Palestine": "State of Palestine",
    "EU": "European Union",
}

_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")


def normalise(name):
    """A name's matching key: no accents, case, punctuation or leading "the"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("’", "'").replace("'", "")
    text = _PUNCTUATION.sub(" ", text.casefold())
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ")


def keys_of(name):
    """The keys a name matches under: itself, and without a trailing parenthesis."""
    keys = {normalise(name)}
    short = _TRAILING_PARENTHESIS.sub("", name)
    if short and short != name:
        keys.add(normalise(short))
    return keys - {""}


class NameIndex:
    """Names, codes and aliases of a set of actors, for lookups by printed name."""

    def __init__(self, actors, *, aliases=ALIASES, extra_aliases=()):
        self._index = {}
        by_name = {}
        for actor in actors:
            by_name.update(dict.fromkeys(keys_of(actor.name), actor))
        # Names first, then codes, then the stored aliases, then the module's table:
        # a real name is never shadowed, and an alias an editor entered on purpose
        # wins over a common variant guessed here.
        for key, actor in by_name.items():
            self._index.setdefault(key, actor)
        for actor in actors:
            self._index.setdefault(normalise(actor.code), actor)
        for alias, actor in extra_aliases:
            for key in keys_of(alias):
                self._index.setdefault(key, actor)
        for alias, target in aliases.items():
            actor = next((by_name[k] for k in keys_of(target) if k in by_name), None)
            if actor is not None:
                for key in keys_of(alias):
                    self._index.setdefault(key, actor)

    def find(self, name):
        """The actor `name` denotes, or None."""
        for key in sorted(keys_of(name), key=len, reverse=True):
            actor = self._index.get(key)
            if actor is not None:
                return actor
        return None


def stored_aliases(actors):
    """(alias, actor) for every ActorAlias row of `actors`, in one query; the actor
    is the caller's own instance, so a match is one of the actors it passed."""
    by_pk = {actor.pk: actor for actor in actors}
    rows = ActorAlias.objects.filter(actor_id__in=list(by_pk)).order_by("alias", "pk")
    return [
        (alias, by_pk[actor_id])
        for alias, actor_id in rows.values_list("alias", "actor_id")
    ]


def name_index_for(actors=None):
    """The standard index: the actors' names and codes, every alias stored for them
    and the common variants (default: every actor; two queries)."""
    if actors is None:
        actors = list(Actor.objects.all())
    actors = list(actors)
    return NameIndex(actors, extra_aliases=stored_aliases(actors))


@transaction.atomic
def actor_alias_create(*, actor, alias) -> ActorAlias:
    """Store another name of `actor`; every index built from then on matches it.
    Refused (ValidationError) when the alias already names an actor, in any case."""
    row = ActorAlias(actor=actor, alias=_SPACES.sub(" ", alias).strip())
    row.full_clean()
    row.save()
    return row


# Pasted vote lists ----------------------------------------------------------------

_HEADERS = {
    "in favour": Ballot.Choice.YES,
    "in favor": Ballot.Choice.YES,
    "against": Ballot.Choice.NO,
    "abstaining": Ballot.Choice.ABSTAIN,
    "abstentions": Ballot.Choice.ABSTAIN,
    "abstention": Ballot.Choice.ABSTAIN,
    "abstain": Ballot.Choice.ABSTAIN,
    "absent": Ballot.Choice.NON_VOTING,
    "non-voting": Ballot.Choice.NON_VOTING,
    "non voting": Ballot.Choice.NON_VOTING,
    "did not vote": Ballot.Choice.NON_VOTING,
}
_HEADER = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(h) for h in _HEADERS) + r")"
    r"\s*(?:\(\s*\d+\s*\))?[\s*]*:",
    re.IGNORECASE,
)


def parse_vote_lists(text):
    """[(choice, printed name)] from "In favour: A, B, … Against: … Abstaining: …".

    Names are separated by semicolons when the list uses them, else by commas; a
    count in brackets after a header ("In favour (79):") and Markdown stars are
    ignored.
    """
    headers = list(_HEADER.finditer(text))
    entries = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        body = text[header.end() : end].replace("*", " ")
        choice = _HEADERS[header.group(1).lower()]
        separator = ";" if ";" in body else ","
        for raw in body.split(separator):
            name = _SPACES.sub(" ", raw).strip(" .\n\t-–")
            if name:
                entries.append((choice, name))
    return entries


@dataclass
class VoteMatch:
    """A preview of a pasted vote: what matched, what did not, who cast no ballot."""

    ballots: dict = field(default_factory=dict)  # actor → choice
    printed: dict = field(default_factory=dict)  # actor → the name as printed
    unmatched: list = field(default_factory=list)  # [(choice, printed name)]
    conflicts: list = field(default_factory=list)  # [(actor, [choices])]
    # An actor printed twice under one choice: harmless for its ballot, but two
    # names matching one actor may hide a state the index matched wrongly.
    duplicates: list = field(default_factory=list)  # [(actor, [printed names])]
    non_voting: list = field(default_factory=list)  # members with no ballot

    @property
    def totals(self):
        counts = dict.fromkeys(Ballot.Choice.values, 0)
        for choice in self.ballots.values():
            counts[choice] += 1
        counts[Ballot.Choice.NON_VOTING] += len(self.non_voting)
        return counts

    @property
    def ok(self):
        return not self.unmatched and not self.conflicts and not self.duplicates

    def choices_with_non_voting(self):
        """{actor: choice} for ballots_set: the matched ballots, and `non_voting`
        for every member that cast none."""
        return {
            **self.ballots,
            **dict.fromkeys(self.non_voting, Ballot.Choice.NON_VOTING),
        }


def match_vote_lists(text, *, index=None, members=None):
    """Match a pasted vote to actors.

    `index` is a NameIndex (default: name_index_for every actor, with the stored
    aliases and the module's);
    `members` are the actors expected to appear (default: the UN member states),
    those absent from every list are returned as non-voting.
    """
    if members is None:
        members = list(Actor.objects.filter(kind=Actor.Kind.MEMBER_STATE))
    if index is None:
        index = name_index_for()
    result = VoteMatch()
    seen, names = {}, {}
    for choice, name in parse_vote_lists(text):
        actor = index.find(name)
        if actor is None:
            result.unmatched.append((choice, name))
            continue
        seen.setdefault(actor, []).append(choice)
        names.setdefault(actor, []).append(name)
        result.ballots[actor] = choice
        result.printed[actor] = name
    result.conflicts = [
        (actor, choices) for actor, choices in seen.items() if len(set(choices)) > 1
    ]
    result.duplicates = [
        (actor, names[actor])
        for actor, choices in seen.items()
        if len(choices) > 1 and len(set(choices)) == 1
    ]
    result.non_voting = sorted(
        (m for m in members if m not in result.ballots), key=lambda a: a.name
    )
    return result
