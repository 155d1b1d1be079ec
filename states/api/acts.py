"""The formal acts over the API: votes, ballots, treaty actions and a treaty's status.

Writes go through states.acts. Votes and ballots are public records of a body, so
they have no draft state; treaty actions are drafts until a reviewer publishes them,
and drafts are visible only to those who may view them (as statements are). A vote's
ballots are written as a whole (PUT votes/{id}/ballots/), never one by one, so its
totals are never half-entered.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import CSVRenderer, django_error_detail
from common.viewsets import ApiViewSet, JsonErrors, ModelCleanSerializer
from provisions.models import Treaty
from states import acts, names, treaty_status
from states.api.views import PUBLISH_DOC, PublishingViewSet
from states.filters import BallotFilter, TreatyActionFilter, VoteFilter
from states.models import Actor, Ballot, TreatyAction, Vote, VoteSponsor

READ_ONLY = ["id", "created_at", "updated_at"]


def _sources_field():
    return serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=False),
        required=False,
        help_text="Source URLs, as the research notes give them.",
    )


class VoteSponsorSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = VoteSponsor
        fields = ["actor", "role"]


class VoteSerializer(ModelCleanSerializer):
    treaty = serializers.SlugRelatedField(
        slug_field="slug", queryset=Treaty.objects.all(), help_text="Treaty slug."
    )
    sources = _sources_field()
    sponsors = VoteSponsorSerializer(source="sponsorships", many=True, read_only=True)
    totals = serializers.SerializerMethodField(
        help_text="Ballots per choice (yes, no, abstain, non_voting)."
    )

    class Meta:
        model = Vote
        fields = [
            *READ_ONLY,
            "treaty",
            "body",
            "date",
            "document_symbol",
            "title",
            "question",
            "sources",
            "verification",
            "note",
            "sponsors",
            "totals",
        ]
        read_only_fields = READ_ONLY
        # The model's full_clean checks the unique constraint (a 400 naming it);
        # DRF's own validator would make every field in it required.
        validators = []

    def get_totals(self, vote) -> dict[str, int]:
        counts = dict.fromkeys(Ballot.Choice.values, 0)
        for ballot in vote.ballots.all():
            counts[ballot.choice] += 1
        return counts


class BallotSerializer(serializers.ModelSerializer):
    vote = serializers.PrimaryKeyRelatedField(read_only=True)
    actor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Ballot
        fields = [*READ_ONLY, "vote", "actor", "choice"]
        read_only_fields = fields


class BallotEntrySerializer(serializers.Serializer):
    actor = serializers.SlugRelatedField(
        slug_field="code", queryset=Actor.objects.all(), help_text="Actor code."
    )
    choice = serializers.ChoiceField(choices=Ballot.Choice.choices)


class BallotsWriteSerializer(serializers.Serializer):
    ballots = BallotEntrySerializer(many=True, allow_empty=True)

    def validate_ballots(self, value):
        codes = [entry["actor"].code for entry in value]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError("An actor is listed twice.")
        return value


class VoteTextSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=100_000,
        help_text='The lists as printed: "In favour: Algeria, Angola, … Against: … '
        'Abstaining: …".',
    )


MATCH_RESPONSE = inline_serializer(
    "VoteMatch",
    {
        "ballots": inline_serializer(
            "MatchedBallot",
            {
                "actor": serializers.CharField(),
                "choice": serializers.CharField(),
                "printed": serializers.CharField(),
            },
            many=True,
        ),
        "unmatched": inline_serializer(
            "UnmatchedName",
            {"choice": serializers.CharField(), "printed": serializers.CharField()},
            many=True,
        ),
        "conflicts": inline_serializer(
            "ConflictingBallot",
            {
                "actor": serializers.CharField(),
                "choices": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
        "duplicates": inline_serializer(
            "DuplicateBallot",
            {
                "actor": serializers.CharField(),
                "printed": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        ),
        "non_voting": serializers.ListField(child=serializers.CharField()),
        "totals": serializers.DictField(child=serializers.IntegerField()),
        "ok": serializers.BooleanField(),
    },
)


def match_payload(match):
    return {
        "ballots": [
            {"actor": a.code, "choice": c, "printed": match.printed[a]}
            for a, c in match.ballots.items()
        ],
        "unmatched": [{"choice": c, "printed": n} for c, n in match.unmatched],
        "conflicts": [
            {"actor": a.code, "choices": list(cs)} for a, cs in match.conflicts
        ],
        "duplicates": [
            {"actor": a.code, "printed": list(ns)} for a, ns in match.duplicates
        ],
        "non_voting": [a.code for a in match.non_voting],
        "totals": match.totals,
        "ok": match.ok,
    }


class CanChangeBallots(permissions.BasePermission):
    message = "Entering ballots needs the states.change_ballot permission."

    def has_permission(self, request, view):
        return request.user.has_perm("states.change_ballot")


class VoteViewSet(ApiViewSet):
    serializer_class = VoteSerializer
    filterset_class = VoteFilter
    ordering_fields = ["date", "document_symbol", "updated_at", "id"]

    def get_queryset(self):
        return Vote.objects.select_related("treaty").prefetch_related(
            "sponsorships__actor", "ballots"
        )

    def perform_create(self, serializer):
        serializer.instance = acts.vote_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = acts.vote_update(
            vote=serializer.instance,
            user=self.request.user,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance):
        acts.vote_delete(vote=instance)

    @extend_schema(
        request=BallotsWriteSerializer,
        responses={200: VoteSerializer},
        description=(
            "Replace the vote's ballots with these, in one step (actors left out "
            "lose their ballot). Needs `states.change_ballot`; once a vote has "
            "ballots, re-entering them (or editing the vote) is for reviewers "
            "(`states.publish_treatyaction`): 403 otherwise."
        ),
    )
    @action(
        detail=True,
        methods=["put"],
        permission_classes=[permissions.IsAuthenticated, CanChangeBallots],
    )
    def ballots(self, request, pk=None):
        entries = BallotsWriteSerializer(data=request.data)
        entries.is_valid(raise_exception=True)
        choices = {
            entry["actor"]: entry["choice"]
            for entry in entries.validated_data["ballots"]
        }
        with transaction.atomic():
            vote = self.get_object()
            try:
                acts.ballots_set(vote=vote, choices=choices, user=request.user)
            except DjangoValidationError as error:
                raise exceptions.ValidationError(django_error_detail(error)) from None
        vote = self.get_queryset().get(pk=vote.pk)
        return self.with_etag(Response(self.get_serializer(vote).data), vote)

    @extend_schema(
        request=VoteTextSerializer,
        responses={200: MATCH_RESPONSE},
        description=(
            "Preview a pasted vote: each printed name matched to an actor (names, "
            "codes, stored aliases and common variants), the names no actor matches, "
            "actors listed under two choices or twice under one, and the member "
            "states with no ballot (non-voting). "
            "Writes nothing; save with PUT votes/{id}/ballots/. Needs "
            "`states.change_ballot`."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanChangeBallots],
    )
    def match(self, request, pk=None):
        self.get_object()  # 404 for an unknown vote
        body = VoteTextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            match_payload(names.match_vote_lists(body.validated_data["text"]))
        )


class BallotViewSet(ApiViewSet):
    """Read only: ballots are written as a whole through PUT votes/{id}/ballots/."""

    serializer_class = BallotSerializer
    filterset_class = BallotFilter
    ordering_fields = ["actor__name", "choice", "updated_at", "id"]
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Ballot.objects.select_related("actor").order_by("vote", "actor__name")


class TreatyActionSerializer(ModelCleanSerializer):
    treaty = serializers.SlugRelatedField(
        slug_field="slug", queryset=Treaty.objects.all(), help_text="Treaty slug."
    )
    actor = serializers.SlugRelatedField(
        slug_field="code", queryset=Actor.objects.all(), help_text="Actor code."
    )
    sources = _sources_field()

    class Meta:
        model = TreatyAction
        fields = [
            *READ_ONLY,
            "treaty",
            "actor",
            "kind",
            "date",
            "date_precision",
            "text",
            "sources",
            "verification",
            "note",
            "status",
        ]
        read_only_fields = READ_ONLY
        validators = []  # as for votes: full_clean checks the constraint


class CanPublishTreatyActions(permissions.BasePermission):
    message = "Publishing needs the states.publish_treatyaction permission."

    def has_permission(self, request, view):
        return request.user.has_perm("states.publish_treatyaction")


class TreatyActionViewSet(PublishingViewSet):
    serializer_class = TreatyActionSerializer
    filterset_class = TreatyActionFilter
    ordering_fields = ["date", "kind", "updated_at", "id"]
    view_permission = "states.view_treatyaction"
    publish_permission = "states.publish_treatyaction"

    def create_record(self, *, user, **data):
        data.pop("status", None)
        return acts.treaty_action_create(user=user, **data)

    def update_record(self, record, *, user, **data):
        data.pop("status", None)
        return acts.treaty_action_update(action=record, user=user, **data)

    def publish_record(self, record, *, user):
        return acts.treaty_action_publish(action=record, user=user)

    def unpublish_record(self, record, *, user):
        return acts.treaty_action_unpublish(action=record, user=user)

    def delete_record(self, record, *, user):
        acts.treaty_action_delete(action=record, user=user)

    def get_queryset(self):
        queryset = TreatyAction.objects.select_related("treaty", "actor")
        if not self.may_see_drafts():
            queryset = queryset.published()
        return queryset

    @extend_schema(
        request=None,
        description=PUBLISH_DOC.format(
            perm="states.publish_treatyaction", what="treaty action"
        )
        + " It needs a source.",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishTreatyActions],
    )
    def publish(self, request, pk=None):
        return self.respond_with(
            self.publish_record(self.get_object(), user=request.user)
        )

    @extend_schema(
        request=None,
        description=PUBLISH_DOC.format(
            perm="states.publish_treatyaction", what="treaty action"
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated, CanPublishTreatyActions],
    )
    def unpublish(self, request, pk=None):
        return self.respond_with(
            self.unpublish_record(self.get_object(), user=request.user)
        )


STATUS_RESPONSE = inline_serializer(
    "TreatyStatus",
    {
        "treaty": serializers.CharField(),
        "as_of": serializers.DateField(),
        "adopted_on": serializers.DateField(allow_null=True),
        "signature_opens_on": serializers.DateField(allow_null=True),
        "signature_closes_on": serializers.DateField(allow_null=True),
        "days_left_to_sign": serializers.IntegerField(allow_null=True),
        "signatories": serializers.IntegerField(),
        "domestic_approvals": serializers.IntegerField(),
        "parties": serializers.IntegerField(),
        "counted_instruments": serializers.IntegerField(),
        "threshold": serializers.IntegerField(allow_null=True),
        "remaining_to_threshold": serializers.IntegerField(allow_null=True),
        "entry_into_force_delay_days": serializers.IntegerField(allow_null=True),
        "regional_orgs_count": serializers.BooleanField(),
        "projected_entry_into_force": serializers.DateField(allow_null=True),
    },
)


def status_payload(status_):
    return {
        "treaty": status_.treaty_slug,
        "as_of": status_.today,
        "adopted_on": status_.adopted_on,
        "signature_opens_on": status_.signature_opens_on,
        "signature_closes_on": status_.signature_closes_on,
        "days_left_to_sign": status_.days_left_to_sign,
        "signatories": len(status_.signatories),
        "domestic_approvals": len(status_.domestic_approvals),
        "parties": len(status_.parties),
        "counted_instruments": status_.counted_count,
        "threshold": status_.threshold,
        "remaining_to_threshold": status_.remaining_to_threshold,
        "entry_into_force_delay_days": status_.delay_days,
        "regional_orgs_count": status_.regional_orgs_count,
        "projected_entry_into_force": status_.projected_entry_into_force,
    }


class TreatyStatusView(JsonErrors, APIView):
    """Where the treaty stands today, from its published treaty actions: signatories,
    parties, the instruments counted toward entry into force (regional
    organizations' only if the treaty counts them), the threshold, the projected
    date (the threshold-th counted instrument plus the delay; null until then) and
    the days left to sign (today and the closing day included)."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer]

    @extend_schema(responses={200: STATUS_RESPONSE}, operation_id="treaties_status")
    def get(self, request, slug):
        for name in request.query_params:
            if name != "format":
                raise exceptions.ValidationError(
                    {name: ["Unknown query parameter for this endpoint."]}
                )
        if "\x00" in slug:
            raise exceptions.NotFound()
        treaty = get_object_or_404(Treaty, slug=slug)
        return Response(
            status_payload(treaty_status.treaty_status(treaty)),
            status=status.HTTP_200_OK,
        )
