"""A small treaty whose text looks like spreadsheet formulas, for the CSV exports."""

import datetime
from types import SimpleNamespace

from states import services
from states.models import Membership
from tests.factories import (
    ActorFactory,
    ChapterFactory,
    DraftFactory,
    GroupFactory,
    PositionFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
    TreatyFactory,
)

EVIL = '=HYPERLINK("http://evil")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_treaty():
    """Two sessions, an actor named EVIL in a group, formula-looking text everywhere
    a person can type it, and a built matrix."""
    treaty = TreatyFactory(slug="csv-convention", title="@Convention")
    first = SessionFactory(treaty=treaty, number=1, status="closed", title="-First")
    second = SessionFactory(treaty=treaty, number=2, status="in_progress")
    chapter = ChapterFactory(treaty=treaty, number="II", title="+Criminalization")
    offence = ProvisionFactory(
        treaty=treaty, slug="offence", title="=1+1", chapter=chapter, order=1
    )
    safeguards = ProvisionFactory(
        treaty=treaty, slug="safeguards", title="Safeguards", order=2
    )
    old = DraftFactory(
        treaty=treaty, slug="zero", title="\tZero draft", symbol="A/AC.291/22"
    )
    new = DraftFactory(
        treaty=treaty,
        slug="final",
        title="Final",
        published_on=datetime.date(2024, 8, 8),
    )
    ProvisionTextFactory(provision=offence, draft=old, label="Art. 5", text="-x")
    ProvisionTextFactory(provision=offence, draft=new, label="Article 7", text="")
    evil = ActorFactory(code="EVL", name=EVIL)
    plain = ActorFactory(code="PLN", name="Côte d'Ivoire")
    group = GroupFactory(slug="evil-bloc", name="@Bloc")
    Membership.objects.create(
        actor=plain, group=group, start_date=datetime.date(2000, 1, 1)
    )
    spoken = StatementFactory(
        session=first,
        actor=evil,
        title="+cmd|' /C calc'!A0",
        text="\rhidden",
        source_url="https://example.org/evil",
    )
    PositionFactory(statement=spoken, provision=offence, quote="=2*3", stance="oppose")
    joint = StatementFactory(
        session=second, actor=evil, on_behalf_of=group, title="Joint", text="ok"
    )
    PositionFactory(statement=joint, provision=safeguards, stance="support")
    services.matrix_rebuild(treaty_id=treaty.id)
    return SimpleNamespace(
        treaty=treaty,
        first=first,
        second=second,
        chapter=chapter,
        offence=offence,
        safeguards=safeguards,
        group=group,
        old=old,
        new=new,
        evil=evil,
        plain=plain,
    )


def formula_cells(rows):
    """The cells of parsed CSV rows that a spreadsheet would run as formulas."""
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
