"""One FilterSet per resource, shared by the API and the HTML views.

References use the public keys of API.md: a treaty by slug, everything else by id.
An unknown value is a form error naming the parameter (400 in the API).
"""

import django_filters

from provisions import selectors
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty


class TreatyFilterMixin(django_filters.FilterSet):
    treaty = django_filters.ModelChoiceFilter(
        queryset=Treaty.objects.all(),
        to_field_name="slug",
        help_text="Treaty slug.",
    )


class SessionFilter(TreatyFilterMixin):
    status = django_filters.ChoiceFilter(choices=Session.Status.choices)

    class Meta:
        model = Session
        fields = ["treaty", "status"]


class DraftFilter(TreatyFilterMixin):
    class Meta:
        model = Draft
        fields = ["treaty"]


class ChapterFilter(TreatyFilterMixin):
    class Meta:
        model = Chapter
        fields = ["treaty"]


class ProvisionFilter(TreatyFilterMixin):
    chapter = django_filters.ModelChoiceFilter(
        queryset=Chapter.objects.all(), help_text="Chapter id."
    )
    kind = django_filters.ChoiceFilter(choices=Provision.Kind.choices)
    parent = django_filters.ModelChoiceFilter(
        queryset=Provision.objects.all(), help_text="Parent provision id."
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=(
            "Words in the title, proposition or any text of the provision; results "
            "are ranked by relevance unless `ordering` is given."
        ),
    )

    class Meta:
        model = Provision
        fields = ["treaty", "chapter", "kind", "parent", "search"]

    def filter_search(self, queryset, name, value):
        return selectors.search_provisions(value, queryset=queryset)


class ProvisionTextFilter(django_filters.FilterSet):
    provision = django_filters.ModelChoiceFilter(
        queryset=Provision.objects.all(), help_text="Provision id."
    )
    draft = django_filters.ModelChoiceFilter(
        queryset=Draft.objects.all(), help_text="Draft id."
    )

    class Meta:
        model = ProvisionText
        fields = ["provision", "draft"]
