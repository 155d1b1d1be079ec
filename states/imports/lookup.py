"""What a positions file's names refer to in one treaty: sessions by number, actors
by code, name or alias, groups by slug or name, provisions by slug, title or label.

Built once per import (or per desk submit) in a fixed number of queries, then looked
up in memory. ProvisionIndex is the one lookup of a provision by what an editor
types, for the import and for the desk's positions grid alike.
"""

import re
from collections import defaultdict

from provisions.models import Draft, Provision, ProvisionText, Session
from states.models import Actor, ActorAlias, Group
from states.names import NameIndex, normalise

_ARTICLE_WORDS = re.compile(r"^(article|art\.?|para(graph)?\.?)\s*", re.IGNORECASE)


def label_key(label):
    """ "Art. 14(3)", "Article 14 (3)" and "14(3)" all give "14(3)"."""
    return _ARTICLE_WORDS.sub("", label.strip()).replace(" ", "").lower()


SUGGESTED = 12


class Ambiguous(Exception):
    """A label that names different provisions in different drafts."""

    def __init__(self, texts):
        super().__init__(texts)
        self.texts = texts  # [ProvisionText], one or more per provision


class ProvisionIndex:
    """One treaty's provisions by slug, by title and by label as printed in any of
    its drafts (texts), in two queries; its drafts in one more, when asked."""

    def __init__(self, treaty):
        self.treaty = treaty
        self._by_slug, self._by_title, self._by_id = {}, {}, {}
        self._texts_by_label = defaultdict(list)
        self._texts_by_provision = defaultdict(list)
        self._drafts = None
        for provision in Provision.objects.filter(treaty=treaty).order_by(
            "order", "id"
        ):
            self.remember(provision)
        texts = ProvisionText.objects.filter(provision__treaty=treaty).select_related(
            "draft"
        )
        for text in texts.only(
            "provision_id", "label", "draft__title", "draft__published_on"
        ).order_by("draft__published_on", "draft_id"):
            self.remember_text(text)

    def remember(self, provision):
        """Add a provision (one just created, say) so later look-ups find it."""
        self._by_slug[provision.slug.lower()] = provision
        self._by_title.setdefault(provision.title.lower(), provision)
        self._by_id[provision.pk] = provision

    def remember_text(self, text):
        self._texts_by_label[label_key(text.label)].append(text)
        self._texts_by_provision[text.provision_id].append(text)

    def provision(self, text, draft=None):
        """The provision `text` names, or None. A label printed for different
        provisions in different drafts is read in `draft`'s numbering when that draft
        prints it for one; otherwise it raises Ambiguous."""
        key = text.strip().lower()
        if key in self._by_slug:
            return self._by_slug[key]
        texts = self._texts_by_label.get(label_key(text), [])
        provision_ids = {t.provision_id for t in texts}
        if len(provision_ids) > 1 and draft is not None:
            in_draft = {t.provision_id for t in texts if t.draft_id == draft.pk}
            if len(in_draft) == 1:
                provision_ids = in_draft
        if len(provision_ids) > 1:
            raise Ambiguous(texts)
        if provision_ids:
            return self._by_id[provision_ids.pop()]
        return self._by_title.get(key)

    def provision_by_id(self, provision_id):
        return self._by_id[provision_id]

    def numbering_draft(self, session):
        """The draft whose numbering a statement of `session` follows: the latest one
        prepared for that session, else the latest one prepared for an earlier
        session or published by the session's end; None when there is none."""
        if self._drafts is None:
            self._drafts = list(
                Draft.objects.filter(treaty=self.treaty).select_related("session")
            )

        def when(draft):
            return (draft.published_on or draft.session.start_date, draft.pk)

        def at_or_before(draft):
            if draft.session is not None:
                return draft.session.number <= session.number
            return draft.published_on is not None and (
                draft.published_on <= session.end_date
            )

        own = [d for d in self._drafts if d.session_id == session.pk]
        earlier = [d for d in self._drafts if at_or_before(d)]
        candidates = own or earlier
        return max(candidates, key=when) if candidates else None

    def label_of(self, provision, draft=None):
        """The provision's label as printed in `draft`, else in its latest draft."""
        texts = self._texts_by_provision.get(provision.pk, [])
        in_draft = [t for t in texts if draft is not None and t.draft_id == draft.pk]
        chosen = (in_draft or texts[-1:] or [None])[0]
        return chosen.label if chosen is not None else ""

    def draft_printing(self, provision, label, draft=None):
        """The draft that prints `provision` as `label` ("14" for Article 14):
        `draft` when it does, else the latest that does; None when none does."""
        key = label_key(label)
        drafts = [
            t.draft
            for t in self._texts_by_provision.get(provision.pk, [])
            if label_key(t.label) == key
        ]
        if draft is not None and any(d.pk == draft.pk for d in drafts):
            return draft
        return drafts[-1] if drafts else None

    def suggestions(self, text, draft=None, limit=SUGGESTED):
        """Up to `limit` (provision, text) pairs: provisions whose label begins as
        `text` does, with the text (label in a draft) that matched, or whose slug or
        title holds it (text None). A label as `draft` prints it comes first, then
        one as another draft prints it, a label's beginning, a slug or title."""
        key, words = label_key(text), text.strip().lower()
        if not key:
            return []
        ranked = []
        for provision in self._by_id.values():
            rank, matched = self._match(provision, key, words, draft)
            if rank is not None:
                ranked.append((rank, provision.order, provision.pk, provision, matched))
        return [(row[3], row[4]) for row in sorted(ranked)[:limit]]

    def _match(self, provision, key, words, draft):
        texts = self._texts_by_provision[provision.pk]
        exact = [t for t in texts if label_key(t.label) == key]
        if draft is not None and any(t.draft_id == draft.pk for t in exact):
            return 0, None
        if exact:
            return 1, exact[-1]
        begun = [t for t in texts if label_key(t.label).startswith(key)]
        if begun:
            return 2, begun[-1]
        if words in provision.slug.lower() or words in provision.title.lower():
            return 3, None
        return None, None

    def typed_as(self, provision, draft=None):
        """What to type for `provision` so that it is found again: its label when
        that names it alone (in `draft`'s numbering), else its slug."""
        label = self.label_of(provision, draft)
        try:
            if label and self.provision(label, draft) == provision:
                return label
        except Ambiguous:
            pass
        return provision.slug


class TreatyIndex:
    def __init__(self, treaty):
        self.treaty = treaty
        self.sessions = {s.number: s for s in Session.objects.filter(treaty=treaty)}
        actors = list(Actor.objects.all())
        by_id = {actor.pk: actor for actor in actors}
        aliases = [
            (alias, by_id[actor_id])
            for alias, actor_id in ActorAlias.objects.values_list("alias", "actor_id")
        ]
        self.actors = NameIndex(actors, extra_aliases=aliases)
        self.groups = {}
        for group in Group.objects.all():
            self.groups.setdefault(group.slug.lower(), group)
            self.groups.setdefault(normalise(group.name), group)
        self.provisions = ProvisionIndex(treaty)

    def actor(self, name):
        return self.actors.find(name)

    def group(self, name):
        return self.groups.get(name.strip().lower()) or self.groups.get(normalise(name))

    def provision(self, text):
        """The provision `text` names, or None; raises Ambiguous."""
        return self.provisions.provision(text)

    def provision_by_id(self, provision_id):
        return self.provisions.provision_by_id(provision_id)
