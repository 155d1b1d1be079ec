"""Serializers of actors, groups, memberships, statements and positions.

References use the public keys: actors by code, groups and treaties by slug, the rest
by id. Statement and position writes go through states.services (the viewsets call
them), so these only validate.
"""

from rest_framework import serializers

from common.viewsets import ModelCleanSerializer
from provisions.models import Provision, Session
from states.models import (
    URL_MAX,
    Actor,
    ChangeProposal,
    Group,
    Membership,
    Position,
    Statement,
    StatementSource,
)

READ_ONLY = ["id", "created_at", "updated_at"]
ACTOR_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{1,11}$"


def _actor_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Actor.objects.all(), **kwargs
    )


def _group_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), **kwargs
    )


class ActorSerializer(ModelCleanSerializer):
    code = serializers.RegexField(
        ACTOR_CODE_PATTERN,
        max_length=12,
        help_text="ISO 3166-1 alpha-3 for states (CHN); else an upper-case code.",
    )

    aliases = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="alias",
        help_text="Other names the actor is known by.",
    )

    class Meta:
        model = Actor
        fields = [*READ_ONLY, "code", "name", "kind", "aliases"]
        read_only_fields = READ_ONLY

    def validate_code(self, value):
        queryset = Actor.objects.filter(code=value)
        if self.instance is not None:
            queryset = queryset.exclude(pk=self.instance.pk)
        if queryset.exists():
            raise serializers.ValidationError("An actor with this code exists.")
        return value


class GroupSerializer(ModelCleanSerializer):
    members = serializers.SerializerMethodField(
        help_text="Codes of the actors whose membership covers today."
    )

    class Meta:
        model = Group
        fields = [*READ_ONLY, "slug", "name", "kind", "members"]
        read_only_fields = READ_ONLY

    def get_members(self, group) -> list[str]:
        # Filled by the viewset's Prefetch (current memberships only).
        memberships = getattr(group, "current_memberships", None)
        if memberships is None:
            return []
        return sorted(membership.actor.code for membership in memberships)


class MembershipSerializer(ModelCleanSerializer):
    actor = _actor_field(help_text="Actor code.")
    group = _group_field(help_text="Group slug.")

    class Meta:
        model = Membership
        fields = [*READ_ONLY, "actor", "group", "start_date", "end_date"]
        read_only_fields = READ_ONLY


class SourceSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=URL_MAX)
    kind = serializers.ChoiceField(
        choices=StatementSource.Kind.choices,
        default=StatementSource.Kind.OFFICIAL_RECORD,
    )


class StatementSerializer(ModelCleanSerializer):
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.select_related("treaty"), help_text="Session id."
    )
    treaty = serializers.SlugRelatedField(
        source="session.treaty", slug_field="slug", read_only=True
    )
    actor = _actor_field(help_text="Actor code of the speaker.")
    on_behalf_of = _group_field(
        required=False, allow_null=True, help_text="Group slug, if any."
    )
    co_signers = _actor_field(many=True, required=False, help_text="Actor codes.")
    supporters = _actor_field(
        many=True,
        required=False,
        help_text='Actor codes of those who backed it ("backed by", "aligned with").',
    )
    sources = SourceSerializer(
        many=True,
        required=False,
        help_text="In order; the first is source_url.",
    )

    class Meta:
        model = Statement
        fields = [
            *READ_ONLY,
            "treaty",
            "session",
            "actor",
            "on_behalf_of",
            "co_signers",
            "supporters",
            "also_for",
            "date",
            "kind",
            "title",
            "text",
            "source_url",
            "sources",
            "verification",
            "document_symbol",
            "language",
            "status",
        ]
        read_only_fields = READ_ONLY

    def validate_co_signers(self, value):
        return _listed_once(value)

    def validate_supporters(self, value):
        return _listed_once(value)

    def validate_sources(self, value):
        urls = [source["url"] for source in value]
        if len(set(urls)) != len(urls):
            raise serializers.ValidationError("A source is listed twice.")
        return value

    def validate(self, attrs):
        # Sources are rows of their own: the model check sees only the first, as
        # source_url.
        sources = attrs.pop("sources", None)
        if sources is not None:
            attrs["source_url"] = sources[0]["url"] if sources else ""
        attrs = super().validate(attrs)
        if sources is not None:
            attrs["sources"] = sources
        return attrs


def _listed_once(actors):
    codes = [actor.code for actor in actors]
    if len(set(codes)) != len(codes):
        raise serializers.ValidationError("An actor is listed twice.")
    return actors


class PositionSerializer(ModelCleanSerializer):
    statement = serializers.PrimaryKeyRelatedField(
        queryset=Statement.objects.select_related("session"),
        help_text="Statement id.",
    )
    provision = serializers.PrimaryKeyRelatedField(
        queryset=Provision.objects.all(), help_text="Provision id."
    )
    actor = serializers.SlugRelatedField(
        source="statement.actor",
        slug_field="code",
        read_only=True,
        help_text="The statement's speaker.",
    )
    session = serializers.PrimaryKeyRelatedField(
        source="statement.session", read_only=True
    )

    class Meta:
        model = Position
        fields = [
            *READ_ONLY,
            "statement",
            "provision",
            "actor",
            "session",
            "stance",
            "wants",
            "quote",
            "note",
            "status",
        ]
        read_only_fields = READ_ONLY
        extra_kwargs = {
            "note": {"help_text": "For editors; only readers who see drafts get it."}
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The note is the editors' (DESIGN §2): never shown to the public.
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.has_perm("states.view_position"):
            data.pop("note", None)
        return data


class ChangeProposalSerializer(serializers.ModelSerializer):
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChangeProposal
        fields = [
            *READ_ONLY,
            "entity",
            "object_id",
            "data",
            "status",
            "proposed_by",
            "reviewed_by",
            "reviewed_at",
            "comment",
        ]
        read_only_fields = fields
