"""The desk's import: upload → dry-run report → confirm → result, for editors only,
with refusals in the page and the confirmed rows taken from the server's session."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from states import imports
from states.models import Position, Statement
from tests.api_helpers import make_user
from tests.states.import_world import csv_bytes, good_rows, import_world, xlsx_bytes

pytestmark = pytest.mark.django_db

# The dry run's page: the session and user, the treaty list, the import's own plan
# reads (tests/states/test_imports.py's PLAN_QUERY_BUDGET) and saving the session.
UPLOAD_QUERY_BUDGET = 25


@pytest.fixture
def world():
    return import_world()


def upload(client, treaty, content, name="positions.csv", **extra):
    return client.post(
        reverse("desk:import"),
        {"treaty": treaty.pk, "file": SimpleUploadedFile(name, content), **extra},
    )


def test_the_desk_links_the_import_and_its_templates(client, editor):
    client.force_login(editor)
    assert reverse("desk:import") in client.get(reverse("desk:home")).content.decode()
    page = client.get(reverse("desk:import")).content.decode()
    assert reverse("desk:import-template", args=["xlsx"]) in page
    assert 'data-testid="column-guide"' in page and "<code>co_signers</code>" in page
    assert "Publish what is imported" not in page  # reviewers only


def test_upload_shows_the_dry_run_then_confirm_writes_drafts(client, editor, world):
    treaty = world[0]
    client.force_login(editor)
    report = upload(client, treaty, csv_bytes(good_rows()))
    assert report.status_code == 200
    page = report.content.decode()
    assert 'data-testid="statements-create">2<' in page
    assert 'data-testid="positions-create">4<' in page
    assert Statement.objects.count() == 0
    digest = client.session["desk_import_pending"]["digest"]
    assert f'value="{digest}"' in page
    result = client.post(reverse("desk:import-confirm"), {"digest": digest})
    assert result.status_code == 200
    assert 'data-testid="import-done"' in result.content.decode()
    assert Statement.objects.filter(status="draft", created_by=editor).count() == 2
    assert Position.objects.count() == 4
    again = client.post(reverse("desk:import-confirm"), {"digest": digest})
    assert again.status_code == 302 and Statement.objects.count() == 2


def test_the_confirmed_rows_come_from_the_session_not_the_browser(
    client, editor, world
):
    treaty = world[0]
    client.force_login(editor)
    upload(client, treaty, csv_bytes(good_rows()))
    forged = client.post(
        reverse("desk:import-confirm"), {"digest": "0" * 64, "rows": "[]"}
    )
    assert forged.status_code == 302 and Statement.objects.count() == 0
    assert (
        "upload the file again" in client.get(reverse("desk:import")).content.decode()
    )


def test_a_file_with_issues_lists_them_and_offers_no_confirm(client, editor, world):
    treaty = world[0]
    rows = good_rows()
    rows[0]["provision"] = "Art. 99"
    rows[3]["speaker"] = "<script>alert(1)</script>"
    client.force_login(editor)
    page = upload(client, treaty, csv_bytes(rows)).content.decode()
    assert "Unknown provision “Art. 99”" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'data-testid="confirm-form"' not in page
    assert "desk_import_pending" not in client.session
    assert client.post(reverse("desk:import-confirm"), {"digest": ""}).status_code == (
        302
    )
    assert Statement.objects.count() == 0


def test_an_xlsx_upload_imports(client, editor, world):
    treaty = world[0]
    client.force_login(editor)
    upload(client, treaty, xlsx_bytes(good_rows()), "positions.xlsx")
    digest = client.session["desk_import_pending"]["digest"]
    client.post(reverse("desk:import-confirm"), {"digest": digest})
    assert Statement.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4", "positions.pdf", "Upload a .csv or an .xlsx file."),
        ("speaker,é".encode("latin-1"), "positions.csv", "not UTF-8"),
        (b"", "positions.csv", "The submitted file is empty."),
        (b"PK\x03\x04junk", "positions.xlsx", "cannot be read as an Excel workbook"),
        (b"a" * (imports.MAX_BYTES + 1), "positions.csv", "at most 2 MB"),
        (b"session,mood\n7,happy\n", "positions.csv", "Unknown column(s): “mood”"),
    ],
)
def test_a_bad_file_gets_a_message_in_the_page(
    client, editor, world, content, name, message
):
    client.force_login(editor)
    response = upload(client, world[0], content, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_editors_only_and_publishing_for_reviewers_only(client, editor, world):
    treaty = world[0]
    assert client.get(reverse("desk:import")).status_code == 302  # to log in
    reader = make_user("rob")
    client.force_login(reader)
    assert client.get(reverse("desk:import")).status_code == 403
    assert upload(client, treaty, csv_bytes(good_rows())).status_code == 403
    assert client.get(reverse("desk:import-template", args=["csv"])).status_code == (
        403
    )
    client.force_login(editor)
    refused = upload(client, treaty, csv_bytes(good_rows()), publish="on")
    assert refused.status_code == 403 and Statement.objects.count() == 0


def test_a_reviewer_publishes_an_import(client, reviewer, world):
    treaty = world[0]
    client.force_login(reviewer)
    assert (
        "Publish what is imported"
        in client.get(reverse("desk:import")).content.decode()
    )
    upload(client, treaty, csv_bytes(good_rows()), publish="on")
    digest = client.session["desk_import_pending"]["digest"]
    client.post(reverse("desk:import-confirm"), {"digest": digest})
    assert set(Statement.objects.values_list("status", flat=True)) == {"published"}


def test_posts_need_the_csrf_token(editor, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert upload(client, world[0], csv_bytes(good_rows())).status_code == 403
    assert client.post(reverse("desk:import-confirm"), {"digest": "x"}).status_code == (
        403
    )


def test_the_templates_hold_the_columns_and_an_example_that_imports(
    client, editor, world
):
    client.force_login(editor)
    csv_response = client.get(reverse("desk:import-template", args=["csv"]))
    assert csv_response["Content-Disposition"].endswith('.csv"')
    table = imports.read_table(csv_response.content, "template.csv")
    assert table.columns[:3] == ["session", "date", "speaker"] and len(table.rows) == 1
    xlsx = client.get(reverse("desk:import-template", args=["xlsx"])).content
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert workbook.sheetnames == ["positions", "column guide"]
    assert workbook["column guide"]["A2"].value == "session"
    assert imports.read_table(xlsx, "template.xlsx").rows == table.rows
    assert client.get("/desk/import/template.pdf").status_code == 404


def test_the_dry_run_page_stays_within_its_query_budget(
    client, editor, world, django_assert_max_num_queries
):
    rows = [
        {**good_rows()[0], "title": f"Statement {n}", "provision": p}
        for n in range(15)
        for p in ("Art. 14", "14(3)", "human-rights")
    ]
    client.force_login(editor)
    content = csv_bytes(rows)
    with django_assert_max_num_queries(UPLOAD_QUERY_BUDGET):
        response = upload(client, world[0], content)
    assert 'data-testid="positions-create">45<' in response.content.decode()
