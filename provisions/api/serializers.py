"""Serializers of the provisions resources; references by slug (treaty) or id."""

from rest_framework import serializers

from common.viewsets import ModelCleanSerializer
from provisions.models import Chapter, Draft, Provision, ProvisionText, Session, Treaty

READ_ONLY = ["id", "created_at", "updated_at"]


def _treaty_field():
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Treaty.objects.all(), help_text="Treaty slug."
    )


def _same_treaty(errors, field, related, treaty):
    if related is not None and treaty is not None and related.treaty_id != treaty.pk:
        errors[field] = [f"Belongs to another treaty than {treaty.slug}."]


class TreatySerializer(ModelCleanSerializer):
    class Meta:
        model = Treaty
        fields = [
            *READ_ONLY,
            "slug",
            "title",
            "short_title",
            "negotiating_body",
            "description",
            "adopted_on",
            "signature_opens_on",
            "signature_closes_on",
            "entry_into_force_threshold",
            "entry_into_force_delay_days",
            "regional_orgs_count",
        ]
        read_only_fields = READ_ONLY


class SessionSerializer(ModelCleanSerializer):
    treaty = _treaty_field()

    class Meta:
        model = Session
        fields = [
            *READ_ONLY,
            "treaty",
            "number",
            "title",
            "start_date",
            "end_date",
            "venue",
            "status",
        ]
        read_only_fields = READ_ONLY


class DraftSerializer(ModelCleanSerializer):
    treaty = _treaty_field()

    class Meta:
        model = Draft
        fields = [
            *READ_ONLY,
            "treaty",
            "slug",
            "title",
            "symbol",
            "published_on",
            "session",
        ]
        read_only_fields = READ_ONLY

    def validate(self, attrs):
        errors = {}
        _same_treaty(
            errors,
            "session",
            self.current(attrs, "session"),
            self.current(attrs, "treaty"),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return super().validate(attrs)


class ChapterSerializer(ModelCleanSerializer):
    treaty = _treaty_field()

    class Meta:
        model = Chapter
        fields = [*READ_ONLY, "treaty", "number", "title", "order"]
        read_only_fields = READ_ONLY


class ProvisionSerializer(ModelCleanSerializer):
    treaty = _treaty_field()

    class Meta:
        model = Provision
        fields = [
            *READ_ONLY,
            "treaty",
            "slug",
            "title",
            "kind",
            "chapter",
            "parent",
            "order",
            "proposition",
        ]
        read_only_fields = READ_ONLY

    def validate(self, attrs):
        treaty = self.current(attrs, "treaty")
        parent = self.current(attrs, "parent")
        errors = {}
        _same_treaty(errors, "chapter", self.current(attrs, "chapter"), treaty)
        _same_treaty(errors, "parent", parent, treaty)
        if parent is not None and self.instance is not None:
            if self.instance.pk in _ancestor_ids(parent):
                errors["parent"] = ["A provision cannot be inside itself."]
        if errors:
            raise serializers.ValidationError(errors)
        return super().validate(attrs)


def _ancestor_ids(provision):
    """`provision` and its ancestors' ids (bounded, as trees here are shallow)."""
    seen = []
    while provision is not None and provision.pk not in seen and len(seen) < 100:
        seen.append(provision.pk)
        provision = provision.parent
    return seen


class ProvisionTextSerializer(ModelCleanSerializer):
    class Meta:
        model = ProvisionText
        fields = [*READ_ONLY, "provision", "draft", "label", "heading", "text"]
        read_only_fields = READ_ONLY

    def validate(self, attrs):
        provision = self.current(attrs, "provision")
        draft = self.current(attrs, "draft")
        if provision is not None and draft is not None:
            if provision.treaty_id != draft.treaty_id:
                raise serializers.ValidationError(
                    {"draft": ["The draft belongs to another treaty."]}
                )
        return super().validate(attrs)


class DiffSideSerializer(serializers.Serializer):
    draft = serializers.IntegerField()
    label = serializers.CharField(allow_null=True)
    heading = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_null=True)


class DiffChunkSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class ProvisionDiffSerializer(serializers.Serializer):
    """A provision's text in two drafts (null where it has none) and the word diff."""

    provision = serializers.IntegerField()
    from_ = DiffSideSerializer()
    to = DiffSideSerializer()
    diff = DiffChunkSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields
