"""The base of every resource's viewset and serializer.

Strict query parameters (an unknown one is a 400, never silently ignored), ETags on
detail responses, If-Match checked under a row lock inside the write's transaction,
and model validation (`full_clean`) on every serializer.
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.http import parse_etags, quote_etag
from rest_framework import exceptions, renderers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from common import spreadsheet
from common.api import (
    COMMON_QUERY_PARAMS,
    LIST_QUERY_PARAMS,
    CSVRenderer,
    django_error_detail,
)
from common.db import retry_on_conflict
from common.errors import ParameterError


def _wrong_type(field, value):
    """Why `value` is not of the JSON type `field` documents, or None."""
    if value is None:
        return None
    integer = isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field, serializers.ManyRelatedField):
        return None  # checks its own list, and each item by its child
    if isinstance(field, serializers.PrimaryKeyRelatedField | serializers.IntegerField):
        return None if integer else "Must be an integer."
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.SlugRelatedField
        | serializers.DateField,
    ):
        return None if isinstance(value, str) else "Must be a string."
    return None


class ModelCleanSerializer(serializers.ModelSerializer):
    """Validates the would-be row with the model's `full_clean()`.

    That covers `clean()`, uniqueness and the database constraints, so a bad write is
    a 400 naming the field instead of an IntegrityError.
    """

    def to_internal_value(self, data):
        # DRF would turn 0 into "0" and "5" into 5; the schema promises types, so a
        # value of the wrong JSON type is refused rather than coerced.
        wrong_types = {}
        if isinstance(data, dict):
            wrong_types = {
                name: [message]
                for name, field in self.fields.items()
                if name in data and not field.read_only
                for message in [_wrong_type(field, data[name])]
                if message
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                raise serializers.ValidationError(
                    {**exc.detail, **wrong_types}
                ) from None
            raise
        if wrong_types:
            raise serializers.ValidationError(wrong_types)
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_error_detail(exc)) from None
        return attrs

    def current(self, attrs, name):
        """The value `name` will have after this write (PATCH keeps the stored one)."""
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name, None)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it (If-Match); reload it."
    default_code = "precondition_failed"


def etag_for(instance):
    """Strong ETag of a stored row: its pk and the microsecond of its last update."""
    stamp = instance.updated_at.strftime("%Y%m%d%H%M%S%f")
    return quote_etag(f"{instance.pk}-{stamp}")


def _has_nul(value):
    return "\x00" in value


class JsonErrors:
    """For a view that also renders CSV: its errors are JSON all the same."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = request.accepted_renderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ApiViewSet(JsonErrors, viewsets.ModelViewSet):
    """Base of every resource: strict query parameters, ETags, atomic checked writes.

    Subclasses may set `extra_query_params = {"action": {"param", ...}}` for actions
    that read query parameters of their own.
    """

    renderer_classes = [
        renderers.JSONRenderer,
        renderers.BrowsableAPIRenderer,
        CSVRenderer,
    ]
    extra_query_params = {}
    # Any path segment reaches get_object (a JSON 404), none falls through to the
    # HTML 404 of an unmatched URL.
    lookup_value_regex = "[^/]+"

    def allowed_query_params(self):
        allowed = set(COMMON_QUERY_PARAMS)
        allowed |= self.extra_query_params.get(self.action, set())
        if self.action == "list":
            allowed |= LIST_QUERY_PARAMS
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # NUL bytes reach PostgreSQL as an error, not as a miss.
        for value in self.kwargs.values():
            if isinstance(value, str) and _has_nul(value):
                raise exceptions.NotFound()
        allowed = self.allowed_query_params()
        for name, values in request.query_params.lists():
            if name not in allowed:
                raise exceptions.ValidationError(
                    {name: ["Unknown query parameter for this endpoint."]}
                )
            if any(_has_nul(value) for value in values):
                raise exceptions.ValidationError(
                    {name: ["Null characters are not allowed."]}
                )
            # An empty value would silently mean "no filter".
            if not all(values):
                raise exceptions.ValidationError({name: ["May not be empty."]})
        self.check_bom(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self.check_body(request.data)

    def check_bom(self, request):
        """`bom=1` only, and only for CSV (it would be silently ignored otherwise)."""
        try:
            bom = spreadsheet.wants_bom(request.query_params)
        except ParameterError as error:
            raise exceptions.ValidationError({error.param: [error.message]}) from None
        if bom and not isinstance(request.accepted_renderer, CSVRenderer):
            raise exceptions.ValidationError(
                {spreadsheet.BOM_PARAM: ["Only with format=csv."]}
            )

    def check_body(self, data, path=()):
        """400 for a NUL byte or an unencodable character anywhere in the body."""
        if isinstance(data, dict):
            for key, value in data.items():
                self.check_body(value, (*path, str(key)))
        elif isinstance(data, list):
            for value in data:
                self.check_body(value, path)
        elif isinstance(data, str):
            problem = None
            if _has_nul(data):
                problem = "Null characters are not allowed."
            else:
                try:
                    data.encode("utf-8")
                except UnicodeEncodeError:
                    problem = "Not valid Unicode text."
            if problem:
                name = path[0] if path else api_settings.NON_FIELD_ERRORS_KEY
                raise exceptions.ValidationError({name: [problem]})

    def get_object(self, *, for_update=False):
        """The row of the URL; `for_update` (only inside the write's transaction)
        locks it, so the If-Match check and the write see the same row version and
        a concurrent writer waits. Other callers, such as the metadata of an OPTIONS
        request, read without a lock."""
        queryset = self.filter_queryset(self.get_queryset())
        if for_update:
            queryset = queryset.select_for_update(of=("self",))
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = queryset.get(**{self.lookup_field: self.kwargs[lookup_url_kwarg]})
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise exceptions.NotFound() from None
        self.check_object_permissions(self.request, obj)
        return obj

    def check_if_match(self, instance):
        header = self.request.headers.get("If-Match")
        if not header:
            return
        etags = parse_etags(header)
        if "*" not in etags and etag_for(instance) not in etags:
            raise PreconditionFailed()

    def with_etag(self, response, instance):
        if instance is not None and instance.pk is not None:
            response["ETag"] = etag_for(instance)
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        return self.with_etag(Response(serializer.data), instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        retry_on_conflict(lambda: self.perform_create(serializer))
        response = Response(serializer.data, status=status.HTTP_201_CREATED)
        return self.with_etag(response, serializer.instance)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)

        def write():
            instance = self.get_object(for_update=True)
            self.check_if_match(instance)
            serializer = self.get_serializer(
                instance, data=request.data, partial=partial
            )
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
            return serializer

        serializer = retry_on_conflict(write)
        instance = serializer.instance
        if getattr(instance, "_prefetched_objects_cache", None):
            instance._prefetched_objects_cache = {}
        # Read back through the viewset's queryset, so related data is fresh and
        # prefetched; a writer who may not read the result gets what it wrote.
        instance = self.get_queryset().filter(pk=instance.pk).first() or instance
        serializer = self.get_serializer(instance)
        return self.with_etag(Response(serializer.data), instance)

    def destroy(self, request, *args, **kwargs):
        def write():
            instance = self.get_object(for_update=True)
            self.check_if_match(instance)
            self.perform_destroy(instance)

        retry_on_conflict(write)
        return Response(status=status.HTTP_204_NO_CONTENT)
