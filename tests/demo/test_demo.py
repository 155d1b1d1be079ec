"""The demo data: the UN cybercrime negotiation as the sources report it."""

import csv
import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from demo import data
from demo.loader import demo_load, model_counts
from provisions.models import Chapter, Provision, ProvisionText, Session
from states.models import Actor, Group, Membership, Position, Statement

pytestmark = pytest.mark.django_db

UN_GROUPS = [
    group["slug"]
    for group in data.rows("groups.csv")
    if group["kind"] == Group.Kind.UN_REGIONAL_GROUP
]

# What the demo holds: the first-session article and ahc-facts.md §3 (80 statements,
# 105 positions) plus ahc-facts-2.md §1 (51 statements, 30 positions; 3 sources added
# to the General Assembly statements of 2019).
DEMO_COUNTS = {
    "states.Actor": 205,
    "states.ActorAlias": 12,
    "provisions.Provision": 39,
    "states.Statement": 131,
    "states.Statement_co_signers": 28,
    "states.Statement_supporters": 19,
    "states.StatementSource": 134,
    "states.Position": 135,
}


def test_every_member_state_is_in_exactly_one_un_regional_group(demo):
    members = Actor.objects.filter(kind=Actor.Kind.MEMBER_STATE).annotate(
        groups=Count(
            "memberships",
            filter=Q(memberships__group__kind=Group.Kind.UN_REGIONAL_GROUP),
        )
    )
    assert members.count() == 193
    assert sorted({m.groups for m in members}) == [1]
    assert Group.objects.filter(kind=Group.Kind.UN_REGIONAL_GROUP).count() == 5
    sizes = dict(
        Membership.objects.filter(group__slug__in=UN_GROUPS)
        .values_list("group__slug")
        .annotate(n=Count("id"))
    )
    assert sizes == {
        "african-states": 54,
        "asia-pacific-states": 54,
        "eastern-european-states": 23,
        "latin-american-and-caribbean-states": 33,
        "western-european-and-other-states": 29,
    }


def test_dual_status_states_sit_where_the_brief_puts_them(demo):
    def group_of(code):
        return Membership.objects.get(
            actor__code=code, group__kind=Group.Kind.UN_REGIONAL_GROUP
        ).group.slug

    assert group_of("TUR") == "western-european-and-other-states"
    assert group_of("USA") == "western-european-and-other-states"
    assert group_of("ISR") == "western-european-and-other-states"
    assert group_of("KIR") == "asia-pacific-states"


def test_two_observer_states_in_no_group(demo):
    observers = Actor.objects.filter(kind=Actor.Kind.OBSERVER_STATE)
    assert sorted(observers.values_list("code", flat=True)) == ["PSE", "VAT"]
    assert not Membership.objects.filter(actor__in=observers).exists()


def test_eu_group_has_27_current_members_and_the_uk_until_brexit(demo):
    eu = Group.objects.get(slug="eu-member-states")
    assert eu.kind == Group.Kind.ORGANIZATION_MEMBERS
    today = datetime.date(2026, 11, 27)
    assert eu.memberships.covering(today).count() == 27
    uk = eu.memberships.get(actor__code="GBR")
    assert uk.end_date == datetime.date(2020, 1, 31)
    assert eu.memberships.covering(datetime.date(2019, 12, 27)).count() == 28
    assert Actor.objects.get(code="EU").kind == Actor.Kind.REGIONAL_ORG


def test_sessions_are_numbered_0_to_9_with_the_facts_dates_and_venues(demo):
    sessions = {
        s.number: s for s in Session.objects.filter(treaty__slug="un-cybercrime")
    }
    assert sorted(sessions) == list(range(10))
    assert {s.status for s in sessions.values()} == {Session.Status.CLOSED}
    first = sessions[1]
    assert (first.start_date, first.end_date, first.venue) == (
        datetime.date(2022, 2, 28),
        datetime.date(2022, 3, 11),
        "New York",
    )
    assert sessions[2].venue == "Vienna"
    reconvened = sessions[8]
    assert reconvened.title.startswith("Reconvened concluding session")
    assert (reconvened.start_date, reconvened.end_date) == (
        datetime.date(2024, 7, 29),
        datetime.date(2024, 8, 9),
    )
    assert sessions[9].start_date == datetime.date(2026, 1, 26)
    assert sessions[9].venue == "Vienna"
    assert sessions[0].start_date == sessions[0].end_date == datetime.date(2022, 2, 24)


def test_human_rights_article_is_article_5_in_drafts_and_article_6_in_final(demo):
    texts = ProvisionText.objects.filter(
        provision__slug="respect-for-human-rights"
    ).select_related("draft")
    labels = {t.draft.slug: t.label for t in texts}
    assert labels == {
        "zero-draft-2023": "Article 5",
        "revised-draft-2024": "Article 5",
        "final-convention-2024": "Article 6",
    }


def test_nine_chapters_and_the_listed_cross_cutting_issues(demo):
    provisions = Provision.objects.filter(treaty__slug="un-cybercrime")
    assert Chapter.objects.filter(treaty__slug="un-cybercrime").count() == 9
    assert not provisions.filter(kind=Provision.Kind.ARTICLE, chapter=None).exists()
    slugs = set(provisions.values_list("slug", flat=True))
    assert {
        "disinformation-offence",
        "terrorism-offence",
        "hate-speech-offence",
        "copyright-infringement-offence",
        "human-rights-in-objectives",
        "gender-perspective",
        "metadata-sharing-outside-mla",
        "limits-on-encryption",
        "public-interest-defence",
        "narrow-without-authorization",
    } <= slugs
    assert all(p.proposition.strip() for p in provisions)


def test_every_published_statement_has_a_source(demo):
    published = Statement.objects.published()
    assert published.exists()
    assert not published.filter(source_url="").exists()
    assert all(s.source_url.startswith("https://") for s in published)


def test_every_position_is_on_a_provision_of_its_statements_treaty(demo):
    positions = Position.objects.select_related("statement__session", "provision")
    assert positions.exists()
    for position in positions:
        assert position.provision.treaty_id == position.statement.session.treaty_id
        assert position.quote.strip()


def test_every_demo_row_passes_model_validation(demo):
    # Uniqueness and constraints are the database's job; this checks the fields
    # (URLs, choices, lengths) and each model's clean().
    querysets = (
        Session.objects.all(),
        Provision.objects.all(),
        ProvisionText.objects.all(),
        Actor.objects.all(),
        Statement.objects.select_related("session"),
        Position.objects.select_related("statement__session", "provision"),
    )
    for queryset in querysets:
        for row in queryset:
            row.full_clean(validate_unique=False, validate_constraints=False)


def test_unverified_or_partly_verified_statements_say_so(demo):
    partly = Statement.objects.filter(note__icontains="partly verified")
    assert partly.filter(actor__code="ACCESSNOW").exists()
    assert (
        partly.filter(session__number=6, actor__code__in=["CAN", "USA", "EU"]).count()
        == 3
    )


def test_group_statements_and_joint_proposals(demo):
    eu = Statement.objects.get(session__number=4, actor__code="EU")
    assert eu.on_behalf_of.slug == "eu-member-states"
    assert sorted(eu.co_signers.values_list("code", flat=True)) == ["CAN", "GBR"]
    joint = Statement.objects.get(session__number=2, actor__code="RUS", kind="joint")
    assert sorted(joint.co_signers.values_list("code", flat=True)) == [
        "BDI",
        "BLR",
        "CHN",
        "NIC",
        "TJK",
    ]
    assert joint.positions.get().provision.slug == "hate-speech-offence"


def test_first_session_article_positions(demo):
    copyright_supporters = Position.objects.filter(
        provision__slug="copyright-infringement-offence", statement__session__number=1
    ).values_list("statement__actor__code", flat=True)
    assert sorted(copyright_supporters) == sorted(
        ["CHN", "ERI", "JAM", "GHA", "IDN", "LIE", "MEX", "NOR", "RUS", "USA"]
    )
    india = Position.objects.get(
        statement__actor__code="IND", provision__slug="limits-on-encryption"
    )
    assert india.stance == Position.Stance.UNDECIDED


def test_positions_are_published_only_on_published_statements(demo):
    assert (
        not Position.objects.filter(status="published")
        .exclude(statement__status="published")
        .exists()
    )


def test_the_demo_counts(demo):
    assert {label: demo[label] for label in DEMO_COUNTS} == DEMO_COUNTS
    assert Position.objects.exclude(wants="").count() == 4
    # Three statements whose source the notes cut short stay drafts.
    assert Statement.objects.filter(status="draft").count() == 3


def _snapshot():
    return (
        list(Statement.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
    )


def test_loading_twice_changes_no_counts(demo):
    first = dict(demo)
    before = _snapshot()
    second = demo_load()
    assert second == first
    assert _snapshot() == before
    assert first["states.Statement_co_signers"] > 0
    assert first["states.Statement_supporters"] > 0
    assert first["states.Membership"] == 193 + 28


def test_command_prints_a_summary(capsys):
    call_command("load_demo", skip_checks=True)
    out = capsys.readouterr().out
    assert "states.Actor" in out
    assert model_counts()["states.Actor"] > 195


def test_reload_repairs_edited_rows_without_duplicating_them(demo):
    Actor.objects.filter(code="FRA").update(name="Somewhere else")
    joint = Statement.objects.get(session__number=2, actor__code="RUS", kind="joint")
    joint.co_signers.remove(Actor.objects.get(code="CHN"))
    Membership.objects.filter(actor__code="GBR", group__slug="eu-member-states").update(
        end_date=None
    )
    assert demo_load() == demo
    assert Actor.objects.get(code="FRA").name == "France"
    assert joint.co_signers.filter(code="CHN").exists()
    uk = Membership.objects.get(actor__code="GBR", group__slug="eu-member-states")
    assert uk.end_date == datetime.date(2020, 1, 31)


def test_reload_applies_an_edited_statement_file_through_the_import(
    demo, tmp_path, monkeypatch
):
    """The statements file is a positions file: an edited cell updates the record
    on the next load, the rest stays as it was."""
    for path in data.DIR.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    rows = data.rows("statements.csv")
    row = next(r for r in rows if r["speaker"] == "ACCESSNOW" and r["provision"])
    row["text"] = "Access Now's letter, as edited."
    row["stance"] = "undecided"
    with (tmp_path / "statements.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(data, "DIR", tmp_path)
    before = _snapshot()
    assert demo_load() == demo
    statement = Statement.objects.get(actor__code="ACCESSNOW")
    assert statement.text == "Access Now's letter, as edited."
    assert statement.status == "published"
    position = statement.positions.get(provision__slug=row["provision"])
    assert (position.stance, position.status) == ("undecided", "published")
    # Only that statement and that position were written.
    after = _snapshot()
    for old, new in zip(before, after, strict=True):
        assert sum(a != b for a, b in zip(old, new, strict=True)) == 1
