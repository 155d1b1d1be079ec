"""GET /api/v1/revisions/: the history of every editable record, for editors and
reviewers only (states.view_revision): who changed what and when, the record after
the change (`data`) and the change itself, field by field, named as readers know
the records it refers to (`changes`)."""

import django_filters
from django import forms
from django.db.models import JSONField, OuterRef, Subquery
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers
from rest_framework.response import Response

from common.api import MAX_ID
from common.viewsets import ApiViewSet
from states import history
from states.models import Revision


class CanReadRevisions(permissions.BasePermission):
    message = "Revisions are for editors and reviewers (states.view_revision)."

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user and user.is_authenticated and user.has_perm("states.view_revision")
        )


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField


class RevisionFilter(django_filters.FilterSet):
    entity = django_filters.ChoiceFilter(choices=Revision.Entity.choices)
    object_id = IdFilter(
        min_value=1, max_value=MAX_ID, help_text="The record's id (with `entity`)."
    )
    action = django_filters.ChoiceFilter(choices=Revision.Action.choices)

    class Meta:
        model = Revision
        fields = ["entity", "object_id", "action"]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="The field, as readers name it.")
    before = serializers.CharField(help_text="Its value before, named (not an id).")
    after = serializers.CharField(help_text="Its value after, named (not an id).")


class RevisionSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="Null: the system."
    )
    data = serializers.JSONField(
        help_text="The record after the change (before it, for a deletion); related "
        "records as ids."
    )
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "id",
            "entity",
            "object_id",
            "action",
            "user",
            "created_at",
            "data",
            "changes",
        ]
        read_only_fields = fields

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, revision):
        names = self.context["names"][revision.entity]
        return [
            {"field": name, "before": before, "after": after}
            for name, before, after in history.changes(
                revision, revision.previous_data, names
            )
        ]


_REFUSED = {
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="Authentication required."),
    403: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Only editors and reviewers read revisions."
    ),
}


@extend_schema_view(
    list=extend_schema(responses={200: RevisionSerializer, **_REFUSED}),
    retrieve=extend_schema(responses={200: RevisionSerializer, **_REFUSED}),
)
class RevisionViewSet(ApiViewSet):
    """Revisions, newest first; `?entity=provision&object_id=12` for one record's."""

    serializer_class = RevisionSerializer
    filterset_class = RevisionFilter
    permission_classes = [CanReadRevisions]
    ordering_fields = ["id", "created_at"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        previous = Revision.objects.filter(
            entity=OuterRef("entity"),
            object_id=OuterRef("object_id"),
            id__lt=OuterRef("id"),
        ).order_by("-id")
        return (
            Revision.objects.select_related("user")
            .annotate(
                previous_data=Subquery(
                    previous.values("data")[:1], output_field=JSONField()
                )
            )
            .order_by("-id")
        )

    def retrieve(self, request, *args, **kwargs):
        # A revision never changes: no ETag of its (absent) last update.
        return Response(self.get_serializer(self.get_object()).data)

    def get_serializer(self, *args, **kwargs):
        revisions = args[0] if args else kwargs.get("instance")
        if revisions is not None:
            rows = list(revisions) if isinstance(revisions, list) else [revisions]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["names"] = _names(rows)
        return super().get_serializer(*args, **kwargs)


def _names(rows):
    """Names for a page of revisions: one set of reads per kind of record."""
    datas = {}
    for row in rows:
        datas.setdefault(row.entity, []).extend(
            [row.data, getattr(row, "previous_data", None) or {}]
        )
    return {entity: history.names_for(entity, found) for entity, found in datas.items()}
