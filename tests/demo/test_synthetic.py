"""The synthetic data set of the benchmark, at small scale (demo.synthetic)."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from demo.synthetic import SCALES, generate_synthetic, treaty_marker
from provisions.models import Provision, Session, Treaty
from states.models import MatrixStance, Membership, Position, Statement, Status
from states.services import matrix_rebuild

pytestmark = pytest.mark.django_db
SMALL = SCALES["small"]


def _stances(slug):
    return Counter(
        Position.objects.filter(statement__session__treaty__slug=slug).values_list(
            "statement__actor__code", "provision__slug", "stance", "status"
        )
    )


def _memberships():
    return Counter(
        Membership.objects.filter(group__slug__startswith="syn-").values_list(
            "actor__code", "group__slug", "start_date", "end_date"
        )
    )


def test_small_scale_has_the_promised_counts_and_shape():
    counts = generate_synthetic(scale="small", seed=7, treaty_slug="syn-small")

    treaty = Treaty.objects.get(slug="syn-small")
    assert treaty.description == treaty_marker("small", 7)
    statements = Statement.objects.filter(session__treaty=treaty)
    positions = Position.objects.filter(statement__session__treaty=treaty)
    assert statements.count() == counts["statements"] == SMALL.statements == 300
    assert positions.count() == counts["positions"] == SMALL.positions == 3000
    assert counts["actors"] == SMALL.actors == 30
    assert counts["groups"] == 15
    assert treaty.provisions.count() == SMALL.provisions == 40
    assert set(treaty.provisions.values_list("kind", flat=True)) >= {
        "article",
        "paragraph",
        "proposal",
    }
    assert not treaty.provisions.filter(kind="paragraph", parent=None).exists()
    statuses = list(treaty.sessions.order_by("number").values_list("status", flat=True))
    assert statuses == [Session.Status.CLOSED] * 3 + [Session.Status.IN_PROGRESS]
    published = positions.published().count() / positions.count()
    assert 0.8 < published < 0.97


def test_small_scale_has_joint_group_and_dated_statements():
    generate_synthetic(scale="small", seed=7, treaty_slug="syn-small")

    statements = Statement.objects.filter(session__treaty__slug="syn-small")
    joint = statements.filter(kind=Statement.Kind.JOINT)
    assert joint.exists()
    assert joint.annotate(n=Count("co_signers")).filter(n__gte=2).count() == (
        joint.count()
    )
    assert statements.exclude(on_behalf_of=None).exists()
    assert statements.filter(date=None).exists()
    assert statements.exclude(date=None).exists()
    # Positions on draft statements are drafts: the database refuses anything else.
    assert not Position.objects.filter(
        statement__in=statements.filter(status=Status.DRAFT), status=Status.PUBLISHED
    ).exists()
    sessions = Session.objects.filter(treaty__slug="syn-small").order_by("number")
    ending_mid_process = Membership.objects.filter(
        group__slug__startswith="syn-",
        end_date__gt=sessions.first().start_date,
        end_date__lt=sessions.last().start_date,
    )
    assert ending_mid_process.values("group").distinct().count() >= 3


def test_same_seed_gives_the_same_rows_and_another_seed_does_not():
    generate_synthetic(scale="small", seed=11, treaty_slug="syn-a")
    first, first_members = _stances("syn-a"), _memberships()
    generate_synthetic(scale="small", seed=11, treaty_slug="syn-a")
    second, second_members = _stances("syn-a"), _memberships()
    generate_synthetic(scale="small", seed=12, treaty_slug="syn-a")
    other = _stances("syn-a")

    assert sum(first.values()) == SMALL.positions
    assert first == second
    assert first_members == second_members
    assert other != first
    # Replaced, not added to.
    assert Treaty.objects.filter(slug="syn-a").count() == 1
    assert Provision.objects.filter(treaty__slug="syn-a").count() == SMALL.provisions


def test_generation_marks_the_matrix_stale():
    generate_synthetic(scale="small", seed=3, treaty_slug="syn-stale")

    treaty = Treaty.objects.get(slug="syn-stale")
    assert treaty.matrix_state.stale


def test_command_generates_and_reports(capsys):
    call_command(
        "generate_synthetic", "--scale", "small", "--seed", "5", "--treaty", "syn-cmd"
    )

    out = capsys.readouterr().out
    assert "Generated syn-cmd" in out
    assert "3,000 positions" in out
    assert Statement.objects.filter(session__treaty__slug="syn-cmd").count() == 300


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="Unknown scale"):
        generate_synthetic(scale="huge", treaty_slug="syn-x")


def _partitions_of(treaty_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE %s",
            [f"states\\_matrixstance\\_t{treaty_id}\\_g%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.services
def test_regenerating_replaces_the_materialized_cells_on_postgresql(
    django_capture_on_commit_callbacks,
):
    generate_synthetic(scale="small", seed=9, treaty_slug="syn-pg")
    old = Treaty.objects.get(slug="syn-pg")
    matrix_rebuild(treaty_id=old.id)
    assert MatrixStance.objects.filter(treaty_id=old.id).exists()
    assert _partitions_of(old.id)

    with django_capture_on_commit_callbacks(execute=True):
        generate_synthetic(scale="small", seed=9, treaty_slug="syn-pg")

    new = Treaty.objects.get(slug="syn-pg")
    assert not MatrixStance.objects.filter(treaty_id=old.id).exists()
    assert _partitions_of(old.id) == []
    matrix_rebuild(treaty_id=new.id)
    cells = MatrixStance.objects.filter(treaty_id=new.id)
    assert cells.count() > SMALL.provisions
