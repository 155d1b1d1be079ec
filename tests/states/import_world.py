"""A treaty to import positions into, and spreadsheets built in the test."""

import csv
import datetime
import io

import openpyxl

from states.models import ActorAlias
from tests.factories import (
    ActorFactory,
    DraftFactory,
    GroupFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    TreatyFactory,
)

SOURCE = "https://example.org/ahc7/japan"
COLUMNS = [
    "session",
    "date",
    "speaker",
    "co_signers",
    "title",
    "text",
    "source_url",
    "verification",
    "provision",
    "stance",
    "wants",
]


def import_world():
    """Session 7 (29 Jan–9 Feb 2024) of treaty "ahc", two drafts whose "Article 5"
    are different provisions, and actors with an alias in the database."""
    treaty = TreatyFactory(slug="ahc", short_title="The convention")
    session = SessionFactory(
        treaty=treaty,
        number=7,
        title="Seventh session",
        start_date=datetime.date(2024, 1, 29),
        end_date=datetime.date(2024, 2, 9),
    )
    first = DraftFactory(treaty=treaty, title="Zero draft")
    final = DraftFactory(treaty=treaty, title="Final text")
    provisions = {
        slug: ProvisionFactory(treaty=treaty, slug=slug, title=title)
        for slug, title in [
            ("illegal-access", "Illegal access"),
            ("illegal-access-3", "Illegal access, paragraph 3"),
            ("scope", "Scope of application"),
            ("human-rights", "Respect for human rights"),
        ]
    }
    for slug, draft, label in [
        ("illegal-access", first, "Article 14"),
        ("illegal-access", final, "Article 14"),
        ("illegal-access-3", final, "Art. 14(3)"),
        ("scope", first, "Article 5"),
        ("human-rights", final, "Article 5"),
    ]:
        ProvisionTextFactory(provision=provisions[slug], draft=draft, label=label)
    actors = {
        code: ActorFactory(code=code, name=name)
        for code, name in [
            ("JPN", "Japan"),
            ("AUS", "Australia"),
            ("CAN", "Canada"),
            ("NZL", "New Zealand"),
        ]
    }
    ActorAlias.objects.create(actor=actors["JPN"], alias="Nippon")
    GroupFactory(slug="jcanz", name="JCANZ")
    return treaty, session, provisions, actors


def good_rows():
    """Two statements: Japan's (three positions; the speaker named by alias and by
    code) and Canada's (one)."""
    japan = {
        "session": "7",
        "date": "2024-02-05",
        "speaker": "Nippon",
        "co_signers": "Australia; NZL",
        "title": "Statement on criminalization",
        "text": "Japan supports a narrow list of offences.",
        "source_url": SOURCE,
        "verification": "partly_verified",
    }
    return [
        {
            **japan,
            "provision": "Art. 14",
            "stance": "support_with_changes",
            "wants": "delete 'without right'",
        },
        {
            **japan,
            "speaker": "JPN",
            "co_signers": "",
            "text": "",
            "provision": "14(3)",
            "stance": "Oppose",
            "wants": "",
        },
        {**japan, "provision": "human-rights", "stance": "support", "wants": ""},
        {
            "session": "7",
            "date": "",
            "speaker": "Canada",
            "co_signers": "",
            "title": "Canada on scope",
            "text": "Canada wants a narrow scope.",
            "source_url": "https://example.org/ahc7/canada",
            "verification": "",
            "provision": "Scope of application",
            "stance": "undecided",
            "wants": "",
        },
    ]


def csv_bytes(rows, columns=COLUMNS, bom=True):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows, columns=COLUMNS):
    """A workbook as a person saves it: numbers as numbers, dates as dates."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column == "session" and value.isdigit():
                value = int(value)
            elif column == "date" and value[:4].isdigit():
                value = datetime.date.fromisoformat(value)
            cells.append(value or None)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
