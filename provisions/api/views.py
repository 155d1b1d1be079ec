"""Viewsets of treaties, sessions, drafts, chapters, provisions and provision texts."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from common.viewsets import ApiViewSet
from provisions import diff, services
from provisions.api import serializers
from provisions.filters import (
    ChapterFilter,
    DraftFilter,
    ProvisionFilter,
    ProvisionTextFilter,
    SessionFilter,
)
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty


class TreatyViewSet(ApiViewSet):
    queryset = Treaty.objects.all()
    serializer_class = serializers.TreatySerializer
    lookup_field = "slug"
    ordering_fields = ["slug", "title", "updated_at"]


class CanCloseSession(permissions.BasePermission):
    message = "Closing a session needs the provisions.change_session permission."

    def has_permission(self, request, view):
        return request.user.has_perm("provisions.change_session")


class SessionViewSet(ApiViewSet):
    queryset = Session.objects.select_related("treaty")
    serializer_class = serializers.SessionSerializer
    filterset_class = SessionFilter
    ordering_fields = ["number", "start_date", "updated_at"]

    def perform_create(self, serializer):
        serializer.instance = services.session_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.session_update(
            session=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.session_delete(session=instance)

    @extend_schema(
        request=None,
        responses={202: serializers.SessionSerializer},
        description=(
            "Close the session and schedule the rebuild of its matrix snapshot. "
            "Closing a closed session changes nothing. Needs "
            "`provisions.change_session`."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanCloseSession],
    )
    def close(self, request, pk=None):
        session = services.session_close(session=self.get_object())
        return Response(
            self.get_serializer(session).data, status=status.HTTP_202_ACCEPTED
        )


class DraftViewSet(ApiViewSet):
    queryset = Draft.objects.select_related("treaty")
    serializer_class = serializers.DraftSerializer
    filterset_class = DraftFilter
    ordering_fields = ["published_on", "slug", "updated_at"]


class ChapterViewSet(ApiViewSet):
    queryset = Chapter.objects.select_related("treaty")
    serializer_class = serializers.ChapterSerializer
    filterset_class = ChapterFilter
    ordering_fields = ["order", "number", "updated_at"]


DRAFT_PARAM_HELP = "Draft id; the provision's text in it (null if it has none)."


class ProvisionViewSet(ApiViewSet):
    queryset = Provision.objects.select_related("treaty")
    serializer_class = serializers.ProvisionSerializer
    filterset_class = ProvisionFilter
    ordering_fields = ["order", "slug", "title", "updated_at"]
    extra_query_params = {"diff": {"from", "to"}}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.INT, required=True, description=DRAFT_PARAM_HELP
            ),
            OpenApiParameter(
                "to", OpenApiTypes.INT, required=True, description=DRAFT_PARAM_HELP
            ),
        ],
        responses={200: serializers.ProvisionDiffSerializer},
        description="The provision's text in two drafts and a word-level diff.",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def diff(self, request, pk=None):
        provision = self.get_object()
        drafts = {
            name: self._draft_param(name, provision.treaty_id)
            for name in ("from", "to")
        }
        texts = {
            text.draft_id: text
            for text in ProvisionText.objects.filter(
                provision=provision, draft__in=drafts.values()
            )
        }
        sides = {
            name: _diff_side(draft, texts.get(draft.pk))
            for name, draft in drafts.items()
        }
        chunks = diff.word_diff(sides["from"]["text"] or "", sides["to"]["text"] or "")
        return Response(
            {
                "provision": provision.pk,
                **sides,
                "diff": [{"op": op, "text": text} for op, text in chunks],
            }
        )

    def _draft_param(self, name, treaty_id):
        raw = self.request.query_params.get(name)
        if raw is None:
            raise exceptions.ValidationError({name: ["This parameter is required."]})
        try:
            return Draft.objects.get(pk=int(raw), treaty_id=treaty_id)
        except (ValueError, Draft.DoesNotExist):
            raise exceptions.ValidationError(
                {name: ["Not a draft of this provision's treaty."]}
            ) from None


def _diff_side(draft, text):
    return {
        "draft": draft.pk,
        "label": text.label if text else None,
        "heading": text.heading if text else None,
        "text": text.text if text else None,
    }


class ProvisionTextViewSet(ApiViewSet):
    queryset = ProvisionText.objects.select_related("provision", "draft")
    serializer_class = serializers.ProvisionTextSerializer
    filterset_class = ProvisionTextFilter
    ordering_fields = ["label", "updated_at"]


__all__ = [
    "ChapterViewSet",
    "DraftViewSet",
    "ProvisionTextViewSet",
    "ProvisionViewSet",
    "SessionViewSet",
    "TreatyViewSet",
]
