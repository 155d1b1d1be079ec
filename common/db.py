from django.core.exceptions import ValidationError
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


def set_fields(obj, fields):
    """Assign `fields` to a model instance for a service, refusing what a caller may
    not set (keys, timestamps) or that the model does not have."""
    for name, value in fields.items():
        if name in {"id", "pk", "created_at", "updated_at"}:
            raise ValidationError({name: "This field cannot be set."})
        try:
            obj._meta.get_field(name)
        except Exception as error:
            raise ValidationError({name: "Unknown field."}) from error
        setattr(obj, name, value)
