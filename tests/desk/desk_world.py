"""A small treaty to enter statements into, and the form data that enters one."""

from tests.factories import (
    ActorFactory,
    DraftFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
)

SOURCE = "https://example.org/" + "s" * 250  # a long URL, typed once


def desk_world():
    session = SessionFactory(number=4, title="Fourth session")
    treaty = session.treaty
    draft = DraftFactory(treaty=treaty)
    provisions = {}
    for label, title in [
        ("Article 14", "Illegal access"),
        ("Art. 64", "Signature"),
        ("Article 5", "Respect for human rights"),
        ("Article 17", "Offences in other treaties"),
    ]:
        provision = ProvisionFactory(treaty=treaty, title=title)
        ProvisionTextFactory(provision=provision, draft=draft, label=label)
        provisions[label] = provision
    speaker = ActorFactory(code="JPN", name="Japan")
    others = [
        ActorFactory(code=code, name=name)
        for code, name in [
            ("AUS", "Australia"),
            ("CAN", "Canada"),
            ("NZL", "New Zealand"),
            ("NOR", "Norway"),
            ("CHE", "Switzerland"),
            ("GBR", "United Kingdom"),
        ]
    ]
    return session, provisions, speaker, others


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


ROWS = [
    ("14", "support_with_changes", "delete 'without right'", ""),
    ("Art. 64", "support", "", ""),
    ("Respect for human rights", "support", "keep paragraph 3", ""),
    ("Article 17", "oppose", "", ""),
    ("14(3)", "oppose", "delete paragraph 3", "paragraph"),
]


def entry_data(session, speaker, others, rows=ROWS, **overrides):
    data = {
        "session": str(session.pk),
        "date": session.start_date.isoformat(),
        "actor": speaker.code,
        "also_for": "and several other delegations",
        "kind": "joint",
        "verification": "partly_verified",
        "title": "Joint statement on criminalization",
        "text": "We support a narrow scope.",
        "language": "en",
        "document_symbol": "",
        "note": "",
        **management("others", len(others)),
        **management("sources", 2),
        **management("rows", len(rows)),
        "sources-0-url": SOURCE,
        "sources-0-kind": "official_record",
        "sources-1-url": "https://ngo.example.org/report",
        "sources-1-kind": "ngo_report",
    }
    for index, actor in enumerate(others):
        data[f"others-{index}-actor"] = actor.name if index == 0 else actor.code
        data[f"others-{index}-role"] = "co_signer" if index < 3 else "supporter"
    for index, (provision, stance, wants, create_as) in enumerate(rows):
        data[f"rows-{index}-provision"] = provision
        data[f"rows-{index}-stance"] = stance
        data[f"rows-{index}-wants"] = wants
        data[f"rows-{index}-quote"] = ""
        data[f"rows-{index}-note"] = ""
        data[f"rows-{index}-create_as"] = create_as
        data[f"rows-{index}-new_title"] = ""
    data.update(overrides)
    return data
