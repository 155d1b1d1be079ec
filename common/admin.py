"""Admin pieces that send a ModelAdmin's saves through an app's services."""


def form_fields(form, *, changed_only):
    """The form's values for a service: {field name: value} of the model's own
    editable fields — not the primary key or an inline's DELETE box, and not
    many-to-many fields (passed by name) — and, when `changed_only`, only those the
    user changed."""
    model = form._meta.model
    own = {
        f.name for f in model._meta.concrete_fields if not f.primary_key and f.editable
    }
    names = form.changed_data if changed_only else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in own}


def adopt(obj, saved):
    """Make the admin's instance the row a service saved (its pk, timestamps), so the
    admin's inlines, log entry and redirect refer to it."""
    obj.__dict__.update(
        {k: v for k, v in saved.__dict__.items() if not k.startswith("_")}
    )
    obj._state.adding = False
    obj._state.db = saved._state.db


def save_inlines(formset, *, create, update, delete):
    """Save an inline formset row by row through services: `create(form)` and
    `update(form)` return the saved row, `delete(instance)`. Records what it did as
    formset.save() would, for the admin's change message."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = formset.deleted_forms
    for inline in formset.initial_forms:
        if inline in deleted:
            delete(inline.instance)
            formset.deleted_objects.append(inline.instance)
        elif inline.has_changed():
            formset.changed_objects.append((update(inline), inline.changed_data))
    for inline in formset.extra_forms:
        if inline.has_changed() and inline not in deleted:
            formset.new_objects.append(create(inline))


class DeskHistory:
    """A ModelAdmin whose change page's History button opens the record's history
    on the desk (/desk/history/<entity>/<id>/: field-level changes, restore)."""

    history_entity = ""

    def history_view(self, request, object_id, extra_context=None):
        from django.http import Http404
        from django.shortcuts import redirect

        if not str(object_id).isdigit():
            raise Http404("No such record.")
        return redirect("desk:history", self.history_entity, int(object_id))
