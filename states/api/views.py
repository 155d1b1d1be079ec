"""Viewsets of actors, groups, memberships, statements and positions.

Statement, position, membership and group writes go through states.services. Drafts
are visible only to users who may view them (editors and reviewers); the public reads
what is published. Publishing, unpublishing, and any change to something published,
needs the publish permission: editors write drafts, reviewers publish.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import django_error_detail
from common.db import retry_on_conflict
from common.viewsets import ApiViewSet
from states import proposals, services
from states.api import serializers
from states.filters import (
    ActorFilter,
    GroupFilter,
    MembershipFilter,
    PositionFilter,
    StatementFilter,
)
from states.models import Actor, Group, Membership, Position, Statement, Status


class ActorViewSet(ApiViewSet):
    queryset = Actor.objects.prefetch_related("aliases")
    serializer_class = serializers.ActorSerializer
    filterset_class = ActorFilter
    lookup_field = "code"
    ordering_fields = ["code", "name", "kind", "updated_at"]


class GroupViewSet(ApiViewSet):
    serializer_class = serializers.GroupSerializer
    filterset_class = GroupFilter
    lookup_field = "slug"
    ordering_fields = ["slug", "name", "updated_at"]

    def get_queryset(self):
        current = Membership.objects.covering(timezone.localdate()).select_related(
            "actor"
        )
        return Group.objects.prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships")
        )

    def perform_destroy(self, instance):
        services.group_delete(group=instance)


class MembershipViewSet(ApiViewSet):
    queryset = Membership.objects.select_related("actor", "group")
    serializer_class = serializers.MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["start_date", "end_date", "updated_at"]

    def perform_create(self, serializer):
        serializer.instance = services.membership_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.membership_update(
            membership=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.membership_delete(membership=instance)


class PublishingViewSet(ApiViewSet):
    """Statements and positions: drafts for editors, publishing for reviewers."""

    # (The docstring is the OpenAPI description of every operation.) Each subclass
    # names the service of states.services that each write calls.

    view_permission = ""
    publish_permission = ""

    def create_record(self, *, user, **data):
        raise NotImplementedError

    def update_record(self, record, *, user, **data):
        raise NotImplementedError

    def publish_record(self, record, *, user):
        raise NotImplementedError

    def unpublish_record(self, record, *, user):
        raise NotImplementedError

    def delete_record(self, record, *, user):
        raise NotImplementedError

    def may_see_drafts(self):
        return self.request.user.has_perm(self.view_permission)

    def require_publish_permission(self, why):
        if not self.request.user.has_perm(self.publish_permission):
            raise exceptions.PermissionDenied(
                f"{why} needs the {self.publish_permission} permission."
            )

    def status_change(self, instance, validated_data):
        """The status asked for (popped from the data), after checking who asks."""
        new_status = validated_data.pop("status", instance.status)
        if new_status != instance.status:
            self.require_publish_permission("Changing the status")
        elif instance.status == Status.PUBLISHED:
            self.require_publish_permission("Editing something published")
        return new_status

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        publish = data.pop("status", Status.DRAFT) == Status.PUBLISHED
        if publish:
            self.require_publish_permission("Publishing")
        user = self.request.user
        instance = self.create_record(user=user, **data)
        if publish:
            instance = self.publish_record(instance, user=user)
        serializer.instance = instance

    def perform_update(self, serializer):
        instance, user = serializer.instance, self.request.user
        data = dict(serializer.validated_data)
        new_status = self.status_change(instance, data)
        if new_status == Status.DRAFT and instance.status == Status.PUBLISHED:
            instance = self.unpublish_record(instance, user=user)
        instance = self.update_record(instance, user=user, **data)
        if new_status == Status.PUBLISHED and instance.status != Status.PUBLISHED:
            instance = self.publish_record(instance, user=user)
        serializer.instance = instance

    def perform_destroy(self, instance):
        if instance.status == Status.PUBLISHED:
            self.require_publish_permission("Deleting something published")
        self.delete_record(instance, user=self.request.user)

    def propose_change(self, request):
        """An editor's change of a published record, held for a reviewer: 201."""
        if not self.may_see_drafts():
            raise exceptions.PermissionDenied("Proposing a change needs editor rights.")
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if "status" in fields:
            raise exceptions.ValidationError(
                {"status": "Publishing is a reviewer's action, not a proposal."}
            )
        if "on_behalf_of" in fields:
            group = fields.pop("on_behalf_of")
            fields["on_behalf_of_id"] = group.pk if group else None
        try:
            proposal = proposals.change_propose(
                user=request.user, record=record, **fields
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(django_error_detail(error)) from None
        return Response(serializers.ChangeProposalSerializer(proposal).data, status=201)

    def respond_with(self, instance):
        instance = self.get_queryset().filter(pk=instance.pk).first() or instance
        return self.with_etag(Response(self.get_serializer(instance).data), instance)


class CanPublishStatements(permissions.BasePermission):
    message = "Publishing needs the states.publish_statement permission."

    def has_permission(self, request, view):
        return request.user.has_perm("states.publish_statement")


class CanPublishPositions(permissions.BasePermission):
    message = "Publishing needs the states.publish_position permission."

    def has_permission(self, request, view):
        return request.user.has_perm("states.publish_position")


PUBLISH_DOC = "Needs the {perm} permission; answers with the {what} as now stored."


class StatementViewSet(PublishingViewSet):
    serializer_class = serializers.StatementSerializer
    filterset_class = StatementFilter
    ordering_fields = ["date", "session__number", "title", "updated_at", "id"]
    # By id unless asked otherwise: an index order, so a page costs the same at any
    # depth (common.api.Pagination's keyset links); the model's order joins tables.
    ordering = ["id"]
    view_permission = "states.view_statement"
    publish_permission = "states.publish_statement"

    def create_record(self, *, user, **data):
        return services.statement_create(user=user, **data)

    def update_record(self, record, *, user, **data):
        return services.statement_update(statement=record, user=user, **data)

    def publish_record(self, record, *, user):
        return services.statement_publish(statement=record, user=user)

    def unpublish_record(self, record, *, user):
        return services.statement_unpublish(statement=record, user=user)

    def delete_record(self, record, *, user):
        services.statement_delete(statement=record, user=user)

    def get_queryset(self):
        queryset = Statement.objects.select_related(
            "session__treaty", "actor", "on_behalf_of"
        ).prefetch_related("co_signers", "supporters", "sources")
        if not self.may_see_drafts():
            queryset = queryset.published()
        return queryset

    @extend_schema(
        request=None,
        description=PUBLISH_DOC.format(
            perm="states.publish_statement", what="statement"
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishStatements],
    )
    def publish(self, request, pk=None):
        return self.respond_with(
            retry_on_conflict(
                lambda: self.publish_record(self.get_object(), user=request.user)
            )
        )

    @extend_schema(
        request=None,
        description="Back to draft, with its published positions. "
        + PUBLISH_DOC.format(perm="states.publish_statement", what="statement"),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishStatements],
    )
    def unpublish(self, request, pk=None):
        return self.respond_with(
            retry_on_conflict(
                lambda: self.unpublish_record(self.get_object(), user=request.user)
            )
        )

    @extend_schema(
        request=serializers.StatementSerializer,
        responses={201: serializers.ChangeProposalSerializer},
        description="Propose a change of a published statement (editors): it is held "
        "for a reviewer, who accepts or rejects it on the desk.",
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        return self.propose_change(request)


class PositionViewSet(PublishingViewSet):
    serializer_class = serializers.PositionSerializer
    filterset_class = PositionFilter
    ordering_fields = ["stance", "statement__session__number", "updated_at", "id"]
    ordering = ["id"]  # as statements
    view_permission = "states.view_position"
    publish_permission = "states.publish_position"

    def create_record(self, *, user, **data):
        return services.position_create(user=user, **data)

    def update_record(self, record, *, user, **data):
        return services.position_update(position=record, user=user, **data)

    def publish_record(self, record, *, user):
        return services.position_publish(position=record, user=user)

    def unpublish_record(self, record, *, user):
        return services.position_unpublish(position=record, user=user)

    def delete_record(self, record, *, user):
        services.position_delete(position=record, user=user)

    def get_queryset(self):
        queryset = Position.objects.select_related("statement__actor")
        if not self.may_see_drafts():
            queryset = queryset.published()
        return queryset

    @extend_schema(
        request=None,
        description=PUBLISH_DOC.format(perm="states.publish_position", what="position")
        + " Its statement must be published.",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishPositions],
    )
    def publish(self, request, pk=None):
        return self.respond_with(
            retry_on_conflict(
                lambda: self.publish_record(self.get_object(), user=request.user)
            )
        )

    @extend_schema(
        request=None,
        description=PUBLISH_DOC.format(perm="states.publish_position", what="position"),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishPositions],
    )
    def unpublish(self, request, pk=None):
        return self.respond_with(
            retry_on_conflict(
                lambda: self.unpublish_record(self.get_object(), user=request.user)
            )
        )

    @extend_schema(
        request=serializers.PositionSerializer,
        responses={201: serializers.ChangeProposalSerializer},
        description="Propose a change of a published position (editors): it is held "
        "for a reviewer, who accepts or rejects it on the desk.",
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        return self.propose_change(request)
