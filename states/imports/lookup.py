"""What a positions file's names refer to in one treaty: sessions by number, actors
by code, name or alias, groups by slug or name, provisions by slug, title or label.

Built once per import in a fixed number of queries, then looked up in memory.
"""

import re
from collections import defaultdict

from provisions.models import Provision, ProvisionText, Session
from states.models import Actor, ActorAlias, Group
from states.names import NameIndex, normalise

_ARTICLE_WORDS = re.compile(r"^(article|art\.?|para(graph)?\.?)\s*", re.IGNORECASE)


def label_key(label):
    """ "Art. 14(3)", "Article 14 (3)" and "14(3)" all give "14(3)"."""
    return _ARTICLE_WORDS.sub("", label.strip()).replace(" ", "").lower()


class Ambiguous(Exception):
    """A label that names different provisions in different drafts."""

    def __init__(self, texts):
        super().__init__(texts)
        self.texts = texts  # [ProvisionText], one or more per provision


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
        self._provisions_by_slug = {}
        self._provisions_by_title = {}
        for provision in Provision.objects.filter(treaty=treaty):
            self._provisions_by_slug[provision.slug.lower()] = provision
            self._provisions_by_title.setdefault(provision.title.lower(), provision)
        self._provisions_by_id = {p.pk: p for p in self._provisions_by_slug.values()}
        self._texts_by_label = defaultdict(list)
        texts = ProvisionText.objects.filter(provision__treaty=treaty).select_related(
            "draft"
        )
        for text in texts.only("provision_id", "label", "draft__title"):
            self._texts_by_label[label_key(text.label)].append(text)

    def actor(self, name):
        return self.actors.find(name)

    def group(self, name):
        return self.groups.get(name.strip().lower()) or self.groups.get(normalise(name))

    def provision(self, text):
        """The provision `text` names, or None; raises Ambiguous."""
        key = text.strip().lower()
        if key in self._provisions_by_slug:
            return self._provisions_by_slug[key]
        texts = self._texts_by_label.get(label_key(text), [])
        provision_ids = {t.provision_id for t in texts}
        if len(provision_ids) > 1:
            raise Ambiguous(texts)
        if provision_ids:
            return self._provisions_by_id[provision_ids.pop()]
        return self._provisions_by_title.get(key)

    def provision_by_id(self, provision_id):
        return self._provisions_by_id[provision_id]
