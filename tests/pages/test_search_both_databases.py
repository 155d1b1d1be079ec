"""The search page gives the same hits on PostgreSQL (full-text search) and on the
embedded SQLite default (FTS5): the queries below run on the configured database,
and again on SQLite in a subprocess (the last test)."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from states.models import ActorAlias, Statement
from tests.factories import (
    ActorFactory,
    DraftFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
    StatementFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

TEXTS = {
    "encrypted": "Encrypted communications must stay protected from backdoors.",
    "phrase": "We want human rights safeguards in every article.",
    "apart": "The rights of humans come first, and we say so again.",
    "eu": "The EU calls for strong human rights safeguards.",
    "other": "Jurisdiction over offences committed at sea.",
}


@pytest.fixture
def corpus():
    treaty = TreatyFactory(slug="search-con")
    sessions = [
        SessionFactory(
            treaty=treaty,
            number=1,
            title="First session",
            start_date=datetime.date(2023, 1, 9),
            end_date=datetime.date(2023, 1, 20),
        ),
        SessionFactory(
            treaty=treaty,
            number=2,
            title="Second session",
            start_date=datetime.date(2024, 1, 29),
            end_date=datetime.date(2024, 2, 9),
        ),
    ]
    speaker = ActorFactory(code="EU", name="European Union", kind="regional_org")
    korea = ActorFactory(code="KOR", name="Republic of Korea")
    dprk = ActorFactory(code="PRK", name="Democratic People's Republic of Korea")
    ActorAlias.objects.create(actor=korea, alias="South Korea")
    ActorAlias.objects.create(actor=dprk, alias="DPRK")
    ActorAlias.objects.create(actor=speaker, alias="Union européenne")
    ActorFactory(code="VEN", name="Venezuela")
    statements = {
        key: StatementFactory(
            session=sessions[i % 2], actor=speaker, title=f"Statement {key}", text=text
        )
        for i, (key, text) in enumerate(TEXTS.items())
    }
    zero, final = (
        DraftFactory(treaty=treaty, slug=slug, title=title, published_on=day)
        for slug, title, day in (
            ("zero", "Zero draft", datetime.date(2023, 5, 1)),
            ("final", "Final text", datetime.date(2024, 8, 8)),
        )
    )
    rights = ProvisionFactory(treaty=treaty, slug="rights", title="Human rights")
    entry = ProvisionFactory(treaty=treaty, slug="entry", title="Entry into force")
    for provision, draft, label, text in (
        (rights, zero, "Article 5", "Safeguards for human rights apply."),
        (rights, final, "Article 6", "Respect for human rights under law."),
        (entry, zero, "Article 62", "This Convention enters into force."),
        (entry, final, "Article 65", "This Convention shall enter into force."),
    ):
        ProvisionTextFactory(provision=provision, draft=draft, label=label, text=text)
    return statements


def hits(client, q):
    """What the search page shows for `q`: statement keys, provision slugs, actor
    codes, the numbered provisions with their labels and session titles."""
    body = client.get(reverse("search"), {"q": q}).content.decode()

    def section(name):
        parts = body.split(f'data-testid="search-{name}"')
        return parts[1].split("</ul>")[0] if len(parts) > 1 else ""

    return {
        "statements": sorted(
            re.findall(
                r">Statement (\w+)</a></h3>",
                section("statements").replace("<mark>", "").replace("</mark>", ""),
            )
        ),
        "provisions": sorted(re.findall(r"/provisions/(\w+)/", section("provisions"))),
        "actors": sorted(re.findall(r"/actors/(\w+)/", section("actors"))),
        "numbered": sorted(re.findall(r"/provisions/(\w+)/", section("numbered"))),
        "sessions": sorted(re.findall(r">(\w+ session)</a>", section("sessions"))),
    }


STATEMENT_QUERIES = [
    ("encryption", ["encrypted"]),  # stemmed: encryption ~ encrypted
    ('"human rights"', ["eu", "phrase"]),  # a phrase: together only
    ("human rights", ["apart", "eu", "phrase"]),  # several words, any order
    ("EU human rights", ["eu"]),
    ("safeguard", ["eu", "phrase"]),
    ("encryption or safeguards", ["encrypted", "eu", "phrase"]),
    ("human rights -EU", ["apart", "phrase"]),
    ("the of", []),  # only words PostgreSQL ignores
    ("rights * ^ (", ["apart", "eu", "phrase"]),
    ('"unbalanced quote', []),
    ("rights * ^ ( NEAR", []),  # FTS5 syntax is read as words
]


@pytest.mark.parametrize(("q", "statements"), STATEMENT_QUERIES)
def test_statement_search_finds_words_in_any_form_phrases_and_several_words(
    client, corpus, q, statements
):
    assert hits(client, q)["statements"] == statements


def test_provisions_are_found_by_their_words_and_their_number_in_any_draft(
    client, corpus
):
    assert hits(client, "human rights")["provisions"] == ["rights"]
    assert hits(client, "enters force")["provisions"] == ["entry"]
    for q in ("65", "Article 65", "art. 62", "ARTICLE 62"):
        assert hits(client, q)["numbered"] == ["entry"], q
    for q in ("Art. 6(2)", "6", "article 5 (b)"):
        assert hits(client, q)["numbered"] == ["rights"], q
    assert hits(client, "Article 66")["numbered"] == []
    body = client.get(reverse("search"), {"q": "65"}).content.decode()
    assert "Article 62 in Zero draft; Article 65 in Final text" in body


def test_actors_are_found_by_name_or_code(client, corpus):
    assert hits(client, "EU")["actors"] == ["EU"]
    assert hits(client, "european")["actors"] == ["EU"]
    assert hits(client, "korea")["actors"] == ["KOR", "PRK"]
    assert hits(client, "kor")["actors"] == ["KOR", "PRK"]
    assert hits(client, "x")["actors"] == []


def test_actors_are_found_by_alias(client, corpus):
    assert hits(client, "DPRK")["actors"] == ["PRK"]
    assert hits(client, "dprk")["actors"] == ["PRK"]
    assert hits(client, "south korea")["actors"] == ["KOR"]
    assert hits(client, "européenne")["actors"] == ["EU"]
    body = client.get(reverse("search"), {"q": "korea"}).content.decode()
    # An actor matched by its name and its alias is listed once.
    assert body.count('href="/actors/KOR/"') == 1


def test_sessions_are_found_by_year_or_month(client, corpus):
    assert hits(client, "2023")["sessions"] == ["First session"]
    assert hits(client, "2024")["sessions"] == ["Second session"]
    assert hits(client, "February 2024")["sessions"] == ["Second session"]
    assert hits(client, "jan 2023")["sessions"] == ["First session"]
    assert hits(client, "2024-01")["sessions"] == ["Second session"]
    assert hits(client, "March 2024")["sessions"] == []
    assert hits(client, "Smarch 2024")["sessions"] == []


def test_search_follows_edits_and_deletions(client, corpus):
    statement = corpus["other"]
    assert hits(client, "lighthouse")["statements"] == []
    statement.text = "A lighthouse at sea."
    statement.save()
    assert hits(client, "lighthouses")["statements"] == ["other"]
    Statement.objects.filter(pk=statement.pk).delete()
    assert hits(client, "lighthouse")["statements"] == []
    StatementFactory(
        session=statement.session, title="Statement new", text="Lighthouse"
    )
    assert hits(client, "lighthouse")["statements"] == ["new"]


def test_search_help_says_what_works(client):
    body = client.get(reverse("search")).content.decode()
    help_text = body.split('data-testid="search-help"')[1]
    for example in ("encrypted", '"human rights"', "Art. 6(2)", "Jan 2024", "EU"):
        assert example.replace('"', "&quot;") in help_text or example in help_text


def test_the_embedded_sqlite_default_gives_the_same_hits():
    unset = {
        "DATABASE_URL",
        "REDIS_URL",
        "CELERY_BROKER_URL",
        "TRACKER_REQUIRE_SERVICES",
    }
    env = {k: v for k, v in os.environ.items() if k not in unset}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(Path(__file__).relative_to(ROOT)),
            "-k",
            "not embedded_sqlite",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    summary = result.stdout.strip().splitlines()[-1]
    # Every test of this module but this one ran there, none skipped.
    assert re.match(r"\d+ passed, 1 deselected", summary), summary
    others = [n for n in globals() if n.startswith("test_") and "embedded" not in n]
    expected = len(others) - 1 + len(STATEMENT_QUERIES)
    assert int(summary.split()[0]) == expected, summary
