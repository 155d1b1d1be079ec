"""Member states, a recorded vote and a treaty to enter formal acts into on the desk."""

import datetime

from states import acts
from states.models import Actor, ActorAlias
from tests.factories import ActorFactory, TreatyFactory

MEMBERS = [
    ("DZA", "Algeria"),
    ("AGO", "Angola"),
    ("RUS", "Russian Federation"),
    ("TUR", "Türkiye"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("USA", "United States of America"),
    ("CZE", "Czechia"),
    ("VNM", "Viet Nam"),
    ("FRA", "France"),
    ("JPN", "Japan"),
]
SOURCE = "https://press.un.org/en/2019/ga12235.doc.htm"

# As the meeting coverage prints it, with a common variant ("Russia", "Turkey",
# "DPRK", "United States") and an alias stored in the database ("Nippon").
COVERAGE = """The draft resolution was adopted by a recorded vote of 4 in favour to 3
against, with 2 abstentions, as follows:

In favour: Algeria, Angola, Russia, DPRK.

Against: United States, Czechia, Nippon.

Abstaining: Turkey, Viet Nam.
"""


def acts_world():
    """(treaty, {code: member}, vote with no ballots); an observer state that is not
    a member, so never listed as non-voting; "Nippon" stored as Japan's alias."""
    treaty = TreatyFactory(slug="cybercrime", short_title="Cybercrime convention")
    members = {
        code: ActorFactory(code=code, name=name, kind=Actor.Kind.MEMBER_STATE)
        for code, name in MEMBERS
    }
    ActorFactory(code="VAT", name="Holy See", kind=Actor.Kind.OBSERVER_STATE)
    ActorAlias.objects.create(actor=members["JPN"], alias="Nippon")
    vote = acts.vote_create(
        treaty=treaty,
        body="General Assembly",
        date=datetime.date(2019, 12, 27),
        document_symbol="A/RES/74/247",
        title="Countering the use of ICTs for criminal purposes",
        question="Set up the ad hoc committee.",
        sources=[SOURCE],
        verification="verified",
    )
    return treaty, members, vote


def vote_form_data(treaty, **overrides):
    return {
        "treaty": str(treaty.pk),
        "body": "Third Committee",
        "document_symbol": "A/C.3/74/L.11/Rev.1",
        "date": "2019-11-18",
        "title": "Countering the use of ICTs for criminal purposes",
        "question": "Recommend the draft resolution to the General Assembly.",
        "sources": SOURCE,
        "verification": "partly_verified",
        "note": "",
        "sponsors": "Russia, DPRK",
        "co_sponsors": "Nippon; Viet Nam",
        **overrides,
    }


def action_form_data(treaty, **overrides):
    return {
        "treaty": str(treaty.pk),
        "actor": "Russia",
        "kind": "signature",
        "date": "2025-10-25",
        "date_precision": "day",
        "text": "",
        "sources": "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY",
        "verification": "verified",
        "note": "",
        **overrides,
    }
