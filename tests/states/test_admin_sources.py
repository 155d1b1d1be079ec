"""A statement's sources are edited in the admin as an ordered inline, saved as one
list through the services (the first becomes its source URL)."""

import pytest
from django.test import Client
from django.urls import reverse

from states.models import StatementSource
from tests.factories import StatementFactory

pytestmark = pytest.mark.django_db


def _form_data(response):
    """The change form's current values, the inlines' management forms included."""
    data = {}
    admin_form = response.context["adminform"].form
    for name, field in admin_form.fields.items():
        value = admin_form.initial.get(name, field.initial)
        if isinstance(value, list | tuple):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    return {k: v for k, v in data.items() if v is not None}


def test_an_editor_adds_and_reorders_the_sources_of_a_draft(editor):
    statement = StatementFactory(
        status="draft", created_by=editor, source_url="https://example.org/a"
    )
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)
    change = reverse("admin:states_statement_change", args=[statement.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b"sources-0-url" in page.content
    data = _form_data(page)
    prefix = "sources"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-order": "1",
            f"{prefix}-1-order": "0",
            f"{prefix}-1-url": "https://ngo.example.org/report",
            f"{prefix}-1-kind": "ngo_report",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [i.formset.errors for i in response.context["inline_admin_formsets"]],
    )
    statement.refresh_from_db()
    assert list(statement.sources.values_list("url", "kind")) == [
        ("https://ngo.example.org/report", "ngo_report"),
        ("https://example.org/a", "official_record"),
    ]
    assert statement.source_url == "https://ngo.example.org/report"
    assert StatementSource.objects.count() == 2


def test_a_published_statements_sources_are_locked_for_editors(editor):
    statement = StatementFactory(status="published", source_url="https://example.org/a")
    editor.is_staff = True
    editor.save()
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("admin:states_statement_change", args=[statement.pk]))
    assert page.status_code == 200
    assert b'name="sources-0-url"' not in page.content  # read-only rows
