"""Statements and the positions they express, as the two sources report them.

Sources: the first-session article (Human Rights Watch, 28 April 2022, first published
in Just Security) and the position tables of the research notes (ahc-facts.md §3 and
§3.1, cited below as "notes §3 row N"). A quote is the source's own words where the
source text was at hand; where only the notes' summary of a source was, the position's
note says the quote is that summary. Positions are coded against each provision's
proposition (see negotiation.py).

A statement belongs to a session. Where the source reports something said or
published outside a Committee session (at the General Assembly, or as a letter between
sessions), it is recorded under the first Committee session at or after the event, has
no date, and its note says where and when it really was.
"""

import datetime

from demo.data import state_positions
from demo.data.records import (
    OPPOSE,
    PARTLY_VERIFIED,
    SUPPORT,
    UNDECIDED,
    WITH_CHANGES,
)
from demo.data.records import statement as _statement

D = datetime.date

# --- sources -----------------------------------------------------------------------

ARTICLE_URL = (
    "https://www.hrw.org/news/2022/04/28/"
    "opening-stages-un-cybercrime-treaty-talks-reflect-human-rights-risks"
)
EFF_SPEECH_OFFENCES_URL = (
    "https://eff.org/deeplinks/2022/06/"
    "speech-related-offenses-should-be-excluded-proposed-un-cybercrime-treaty"
)
DIG_SECOND_SESSION_URL = (
    "https://dig.watch/event/cybercrime-ad-hoc-committee-2nd-substantive-session"
)
DIG_CND_URL = (
    "https://dig.watch/updates/"
    "new-consolidated-negotiating-document-of-the-cybercrime-ad-hoc-committee"
)
CCG_URL = "https://ccgnludelhi.wordpress.com/tag/united-nations/"
DIG_SIXTH_SESSION_URL = (
    "https://dig.watch/updates/"
    "key-takeaways-from-the-sixth-un-session-on-cybercrime-treaty-negotiations"
)
RUSSIAUN_URL = "https://russiaun.ru/en/news/o_021023"
# The notes cite this page with its path cut short; this is its full address.
IRAN_S1_URL = (
    "https://newyork.mfa.gov.ir/portal/product/8668/451/"
    "Statement-on-Countering-the-Use-of-ICT-for-Criminal-Purposes-Ad-hoc-Com"
)
KBS_74_247_URL = "https://world.kbs.co.kr/service/news_view.htm?Seq_Code=150323&lang=e"
# Cut short in ahc-facts.md; ahc-facts-2.md §1 rows 5-7 give the full address.
UDAYAVANI_74_247_URL = (
    "https://english.udayavani.com/article/english-news/"
    "un-gives-green-light-to-draft-treaty-to-combat-cybercrime/761316"
)
APC_LETTER_URL = (
    "https://apc.org/index.php/en/pubs/"
    "over-100-public-interest-organisations-and-experts-urge-un-include-human-"
    "rights-safeguards"
)
# The notes cite this page with its path cut short; this is its full address.
HRW_SUBMISSION_URL = (
    "https://www.hrw.org/news/2022/04/28/"
    "submission-human-rights-watch-united-nations-ad-hoc-committee-elaborate"
)
EFF_CND_URL = (
    "https://kittens.eff.org/deeplinks/2023/01/"
    "eff-and-partners-call-out-threats-free-expression-draft-text-un-cybersecurity"
)
HRW_A19_ZERO_DRAFT_URL = (
    "https://hrw.org/news/2023/08/30/"
    "article-19-and-human-rights-watchs-comments-draft-text-un-cybercrime-convention"
)
A19_AFTER_CS_URL = (
    "https://article19.org/resources/"
    "un-cybercrime-convention-still-deeply-flawed-after-seven-sessions"
)
A19_AFTER_RCS_URL = (
    "https://article19.org/resources/"
    "un-cybercrime-convention-a-blueprint-for-human-rights-violations"
)
# The notes read OHCHR's note on a mirror (web.test.ohchr.un-icc.cloud) with the same
# path; this is the page on ohchr.org.
OHCHR_NOTE_URL = (
    "https://www.ohchr.org/en/documents/tools-and-resources/"
    "human-rights-and-draft-cybercrime-convention"
)
GPD_URL = (
    "https://gp-digital.org/publication/"
    "ad-hoc-committee-seventh-session-analysis-of-draft-text-of-the-un-cybercrime-"
    "convention/"
)
ACCESS_NOW_URL = "https://nextjs-hn-feed.vercel.app/post/45760328"

NOTES_SUMMARY = (
    "The quote is the research notes' summary of the source (notes §3 row {row}), "
    "not the source's own words."
)
NOTES_SUMMARY_CS = (
    "The quote is the research notes' summary of the source (notes §3.1), not the "
    "source's own words."
)

# The kind of each source, by its site (DESIGN §2); any other site is news.
SOURCE_KINDS = {
    "dig.watch": "meeting_summary",
    "wp.dig.watch": "meeting_summary",
    "otter.ai": "unofficial_transcript",
    "www.ohchr.org": "actor_statement",
    "russiaun.ru": "actor_statement",
    "newyork.mfa.gov.ir": "actor_statement",
    # Governments' own sites (ahc-facts-2.md §1).
    "usun.usmission.gov": "actor_statement",
    "vienna.usmission.gov": "actor_statement",
    "state.gov": "actor_statement",
    "mid.ru": "actor_statement",
    "ny.mission.qa": "actor_statement",
    "dpmc.govt.nz": "actor_statement",
    "mfat.govt.nz": "actor_statement",
    "pminewyork.gov.in": "actor_statement",
    "dfat.gov.au": "actor_statement",
    "gov.uk": "actor_statement",
    "eeas.europa.eu": "actor_statement",
    "eda.admin.ch": "actor_statement",
    "leidenasiacentre.nl": "ngo_report",
    "apc.org": "ngo_report",
    "article19.org": "ngo_report",
    "ccgnludelhi.wordpress.com": "ngo_report",
    "eff.org": "ngo_report",
    "kittens.eff.org": "ngo_report",
    "gp-digital.org": "ngo_report",
    "hrw.org": "ngo_report",
    "www.hrw.org": "ngo_report",
}


def source_kind(url):
    """The kind of source `url` is, by its site."""
    host = url.split("/")[2] if "//" in url else ""
    return SOURCE_KINDS.get(host, "news")


def statement_sources(data):
    """[(url, kind)] of a statement's sources in order, the first its `source_url`."""
    listed = data.get("sources") or (
        (data["source_url"],) if data["source_url"] else ()
    )
    sources = [
        (source, source_kind(source)) if isinstance(source, str) else tuple(source)
        for source in listed
    ]
    if sources and sources[0][0] != data["source_url"]:
        raise ValueError(f"{data['title']!r}: its first source is not its source_url.")
    return sources


# --- first session (28 Feb - 11 Mar 2022): the first-session article ---------------

Q_TERRORISM = (
    "Worrying examples include provisions on incitement to terrorism, supported "
    "among others by China, Russia, India, Turkey, and Syria"
)
Q_DISINFORMATION = (
    "disinformation, favored by, among others, China, Indonesia, and India"
)
Q_HATE_SPEECH = "hate speech, put forward, among others, by Pakistan, Kuwait, China"
Q_COPYRIGHT = (
    "copyright infringement, supported by countries such as China, Eritrea, "
    "Jamaica, Ghana, Indonesia, Liechtenstein, Mexico, Norway, Russia, and the "
    "United States."
)
Q_GENDER = (
    "Australia, Chile, Costa Rica, Colombia, Ecuador, Germany, Honduras, Mexico, "
    "South Africa, and the UK also supported paying special attention to the "
    "gendered nature of cybercrime."
)
Q_EU_HUMAN_RIGHTS = (
    "the European Union argued for including the same protections and promotions "
    "of human rights and fundamental freedoms as those enshrined in international "
    "human rights instruments. It also favored recognizing individual states’ "
    "obligations to protect privacy and personal data, as well as adherence to the "
    "principles of legality, necessity, and proportionality."
)
Q_GHANA_HUMAN_RIGHTS = (
    "Ghana supported adding explicit safeguards for human rights, including "
    "protecting privacy as part of the objectives and scope of the proposed "
    "convention."
)
Q_US_HUMAN_RIGHTS = (
    "The United States echoed these prominent statements, saying that protecting "
    "human rights and ensuring safeguards should be at the core of the treaty."
)
Q_CANADA = (
    "Canada called for a human rights-based approach, in compliance with "
    "international obligations, paying special attention to the impact of "
    "cybercrimes on women and girls."
)
Q_RUSSIA_HUMAN_RIGHTS = (
    "Overwhelming support for including human rights came from enough delegations "
    "that the Russian Federation remarked that it had the impression that States "
    "were negotiating a new human rights treaty instead of one on cybercrimes."
)
Q_INDIA_METADATA = (
    "India, for example, said that the convention should facilitate sharing of "
    "metadata with speed and efficacy, bypassing existing mutual legal assistance "
    "treaties (MLATs) that are time-consuming and ineffective. It also contended "
    "that access to metadata does not raise privacy concerns."
)
Q_ENCRYPTION = (
    "India and Sri Lanka also made reference to the use of encrypted communications "
    "by people they allege to be “terrorists” and “criminals.”"
)
Q_CIVIL_SOCIETY = (
    "In our interventions (Privacy International, Human Rights Watch, Electronic "
    "Frontier Foundation), we told the committee that when regulating core "
    "cybercrimes, safeguards such as a public interest defense need to be put in "
    "place to ensure that laws don’t lead to prosecuting whistleblowers, activists, "
    "and journalists. Moreover, core crimes need to include the element of "
    "malicious intent and to define access “without authorization” narrowly, to "
    "exclude legitimate activities such as those by security researchers and "
    "journalists."
)
Q_OHCHR_CONTENT = (
    "The U.N. Office of the High Commissioner for Human Rights (OHCHR) has "
    "emphasized that content offenses have been problematic for human rights and "
    "should not be included in the proposed treaty."
)

ENCRYPTION_NOTE = (
    "Coded undecided: the article reports only that the delegation referred to "
    "encrypted communications used by alleged terrorists and criminals, not that it "
    "proposed limits on encryption."
)

# actor → positions (provision slug, stance, quote, note), in the article's order.
FIRST_SESSION_POSITIONS = {
    "CHN": (
        ("terrorism-offence", SUPPORT, Q_TERRORISM, ""),
        ("disinformation-offence", SUPPORT, Q_DISINFORMATION, ""),
        ("hate-speech-offence", SUPPORT, Q_HATE_SPEECH, ""),
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
    ),
    "RUS": (
        ("terrorism-offence", SUPPORT, Q_TERRORISM, ""),
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
    ),
    "IND": (
        ("terrorism-offence", SUPPORT, Q_TERRORISM, ""),
        ("disinformation-offence", SUPPORT, Q_DISINFORMATION, ""),
        ("metadata-sharing-outside-mla", SUPPORT, Q_INDIA_METADATA, ""),
        ("limits-on-encryption", UNDECIDED, Q_ENCRYPTION, ENCRYPTION_NOTE),
    ),
    "TUR": (("terrorism-offence", SUPPORT, Q_TERRORISM, ""),),
    "SYR": (("terrorism-offence", SUPPORT, Q_TERRORISM, ""),),
    "IDN": (
        ("disinformation-offence", SUPPORT, Q_DISINFORMATION, ""),
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
    ),
    "PAK": (("hate-speech-offence", SUPPORT, Q_HATE_SPEECH, ""),),
    "KWT": (("hate-speech-offence", SUPPORT, Q_HATE_SPEECH, ""),),
    "ERI": (("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),),
    "JAM": (("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),),
    "GHA": (
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
        ("human-rights-in-objectives", SUPPORT, Q_GHANA_HUMAN_RIGHTS, ""),
    ),
    "LIE": (("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),),
    "MEX": (
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
        ("gender-perspective", SUPPORT, Q_GENDER, ""),
    ),
    "NOR": (("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),),
    "USA": (
        ("copyright-infringement-offence", SUPPORT, Q_COPYRIGHT, ""),
        ("human-rights-in-objectives", SUPPORT, Q_US_HUMAN_RIGHTS, ""),
    ),
    "EU": (("human-rights-in-objectives", SUPPORT, Q_EU_HUMAN_RIGHTS, ""),),
    "CAN": (
        ("human-rights-in-objectives", SUPPORT, Q_CANADA, ""),
        ("gender-perspective", SUPPORT, Q_CANADA, ""),
    ),
    "AUS": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "CHL": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "CRI": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "COL": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "ECU": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "DEU": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "HND": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "ZAF": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "GBR": (("gender-perspective", SUPPORT, Q_GENDER, ""),),
    "LKA": (("limits-on-encryption", UNDECIDED, Q_ENCRYPTION, ENCRYPTION_NOTE),),
}

FIRST_SESSION_TITLE = "Views at the first session, as reported by Human Rights Watch"
FIRST_SESSION_NOTE = (
    "Reported in Human Rights Watch's article on the first session (28 April 2022, "
    "first published in Just Security), not the delegation's own text."
)


def _first_session_statements():
    for actor, positions in FIRST_SESSION_POSITIONS.items():
        text = " … ".join(dict.fromkeys(quote for _s, _st, quote, _n in positions))
        if actor == "RUS":
            text = f"{text} … {Q_RUSSIA_HUMAN_RIGHTS}"
        yield _statement(
            1,
            actor,
            FIRST_SESSION_TITLE,
            text,
            ARTICLE_URL,
            positions,
            note=FIRST_SESSION_NOTE
            + (
                " Russia's remark on human rights is not coded: it shows scepticism "
                "but states no position on the objectives."
                if actor == "RUS"
                else ""
            ),
        )
    yield _statement(
        1,
        "HRW",
        "Joint interventions with Privacy International and EFF",
        Q_CIVIL_SOCIETY,
        ARTICLE_URL,
        (
            ("public-interest-defence", SUPPORT, Q_CIVIL_SOCIETY, ""),
            ("narrow-without-authorization", SUPPORT, Q_CIVIL_SOCIETY, ""),
        ),
        kind="joint",
        co_signers=("PI", "EFF"),
        note="Reported by Human Rights Watch, one of the three organizations.",
    )
    yield _statement(
        1,
        "OHCHR",
        "Content offences should not be included",
        Q_OHCHR_CONTENT,
        ARTICLE_URL,
        (
            ("disinformation-offence", OPPOSE, Q_OHCHR_CONTENT, ""),
            ("terrorism-offence", OPPOSE, Q_OHCHR_CONTENT, ""),
            ("hate-speech-offence", OPPOSE, Q_OHCHR_CONTENT, ""),
        ),
        kind="written",
        note=(
            "Reported in Human Rights Watch's article on the first session; the "
            "article does not say when or where OHCHR said it. Recorded under the "
            "first session."
        ),
    )
    yield _statement(
        1,
        "IRN",
        "General debate statement",
        (
            "Despite the proclivity of few for negating the dire need for an "
            "international convention in this area, the Islamic Republic of Iran "
            "has long been among the strongest advocates for this overdue and vital "
            "framework. We co-sponsored resolution 74/247 … we highly commend the "
            "invaluable efforts of Russia and China in proposing a draft convention."
        ),
        IRAN_S1_URL,
        (
            (
                "un-cybercrime-convention",
                SUPPORT,
                "the Islamic Republic of Iran has long been among the strongest "
                "advocates for this overdue and vital framework. We co-sponsored "
                "resolution 74/247",
                "",
            ),
        ),
        date=D(2022, 2, 28),
        note="Notes §3 row 38. The notes cite this page with its address cut short.",
    )


# --- General Assembly, 27 Dec 2019: resolution 74/247 (recorded under session 0) ----

GA_74_247_TITLE = "Before the General Assembly vote on resolution 74/247"
GA_74_247_NOTE = (
    "Said in the General Assembly before the recorded vote on resolution 74/247 "
    "(27 December 2019; 79 in favour, 60 against, 33 abstentions), not at a session "
    "of the Committee; recorded under its first meeting. The notes (§1.1 and §3 row "
    "39) rest the speeches on soooreal9ja.com (Xinhua) and english.udayavani.com, "
    "whose addresses are cut short there; the cited KBS report covers the same vote."
)
Q_KBS_OPPOSED = (
    "The resolution, however, has been disapproved by the United States and the "
    "European Union as many fear the resolution will allow for crackdowns on "
    "expression."
)


GA_74_247_SOURCES = (KBS_74_247_URL, UDAYAVANI_74_247_URL)
GA_74_247_MORE = (
    " ahc-facts-2.md §1 row {row}. That row adds what the delegation said, from "
    "english.udayavani.com (the second source)."
)
# What ahc-facts-2.md §1 rows 5-7 add to these speeches (udayavani.com).
GA_74_247_MORE_TEXT = {
    "RUS": (
        " It said the resolution requires the new committee to take the results of "
        "the expert group on cybercrime (IEG) into account, and that substantive "
        "drafting would start in 2021.",
        7,
    ),
    "CHN": ("", None),
}


def _general_assembly_2019_statements():
    yield _statement(
        0,
        "FIN",
        GA_74_247_TITLE,
        "Finland, speaking for the European Union, called for votes against the "
        "draft resolution that became 74/247. Like the United States, it stressed "
        "that the open-ended Intergovernmental Expert Group on cybercrime (IEG) was "
        "already examining whether a new treaty is needed.",
        KBS_74_247_URL,
        (("un-cybercrime-convention", OPPOSE, Q_KBS_OPPOSED, ""),),
        on_behalf_of="eu-member-states",
        sources=GA_74_247_SOURCES,
        note=GA_74_247_NOTE + GA_74_247_MORE.format(row=6),
    )
    yield _statement(
        0,
        "USA",
        GA_74_247_TITLE,
        'The United States called for votes against the resolution, saying it "would '
        'undermine international cooperation". Ambassador Cherith Norman Chalet said '
        "member states had no consensus on whether a new treaty is needed or useful, "
        "and that a political decision taken before the expert group (IEG) reported "
        "would prejudge and undermine the experts' work.",
        KBS_74_247_URL,
        (("un-cybercrime-convention", OPPOSE, Q_KBS_OPPOSED, ""),),
        sources=GA_74_247_SOURCES,
        note=GA_74_247_NOTE + GA_74_247_MORE.format(row=5),
    )
    for actor, name in (("RUS", "Russia"), ("CHN", "China")):
        more, row = GA_74_247_MORE_TEXT[actor]
        yield _statement(
            0,
            actor,
            GA_74_247_TITLE,
            f"{name} asked for support for the resolution.{more}",
            KBS_74_247_URL,
            (
                (
                    "un-cybercrime-convention",
                    SUPPORT,
                    "Before the vote, Finland (for the EU) and the US called for "
                    '"no" votes; Russia and China asked for support',
                    "The quote is the research notes' summary (§1.1), not the "
                    "source's own words.",
                ),
            ),
            sources=GA_74_247_SOURCES if row else (KBS_74_247_URL,),
            note=GA_74_247_NOTE + (GA_74_247_MORE.format(row=row) if row else ""),
        )


# --- second session (30 May - 10 Jun 2022) -----------------------------------------

Q_JOINT_CONTENT = (
    'Proposed criminalizing "distribution of materials that call for illegal acts '
    "motivated by political, ideological, social, racial, ethnic, or religious "
    'hatred…" and "humiliation by means of ICT of a person or group…"'
)
Q_HATE_PROPOSALS = "Made proposals targeting online hate speech"
Q_RACIST = "Proposed offences on racist and xenophobic material"
Q_JORDAN = (
    'Proposed criminalizing "hate speech or actions related to the insulting of '
    'religions or States using information networks or websites"'
)
Q_EGYPT = 'Proposed prohibiting "spreading of strife, sedition, hatred or racism"'

JOINT_PROPOSAL_STATES = ("RUS", "BLR", "BDI", "CHN", "NIC", "TJK")
HATE_SPEECH_PROPOSERS = (
    "EGY",
    "JOR",
    "RUS",
    "BLR",
    "BDI",
    "CHN",
    "NIC",
    "TJK",
    "KWT",
    "PAK",
    "DZA",
    "SDN",
)
RACIST_MATERIAL_PROPOSERS = (
    "DZA",
    "PAK",
    "SDN",
    "BFA",
    "BDI",
    "IND",
    "EGY",
    "TZA",
    "JOR",
    "RUS",
    "BLR",
    "CHN",
    "NIC",
    "TJK",
)
SPECIFIC_HATE_QUOTES = {"JOR": (Q_JORDAN, 4), "EGY": (Q_EGYPT, 5)}


def _second_session_statements():
    yield _statement(
        2,
        "RUS",
        "Joint proposal on offences of hatred and humiliation by means of ICT",
        Q_JOINT_CONTENT,
        EFF_SPEECH_OFFENCES_URL,
        (
            (
                "hate-speech-offence",
                SUPPORT,
                Q_JOINT_CONTENT,
                NOTES_SUMMARY.format(row=1) + " The inner quotes are EFF's.",
            ),
        ),
        kind="joint",
        co_signers=JOINT_PROPOSAL_STATES[1:],
        note="Notes §3 row 1. Reported by EFF.",
    )
    # One statement per state for the proposals EFF lists state by state; hate
    # speech for the six joint sponsors is carried by their joint proposal above.
    proposers = dict.fromkeys(HATE_SPEECH_PROPOSERS + RACIST_MATERIAL_PROPOSERS)
    for actor in proposers:
        positions = []
        if actor in HATE_SPEECH_PROPOSERS and actor not in JOINT_PROPOSAL_STATES:
            quote, row = SPECIFIC_HATE_QUOTES.get(actor, (Q_HATE_PROPOSALS, 2))
            positions.append(
                ("hate-speech-offence", SUPPORT, quote, NOTES_SUMMARY.format(row=row))
            )
        if actor in RACIST_MATERIAL_PROPOSERS:
            positions.append(
                (
                    "racist-xenophobic-material-offence",
                    SUPPORT,
                    Q_RACIST,
                    NOTES_SUMMARY.format(row=3),
                )
            )
        yield _statement(
            2,
            actor,
            "Proposals on content offences, as reported by EFF",
            " … ".join(quote for _s, _st, quote, _n in positions),
            EFF_SPEECH_OFFENCES_URL,
            positions,
            kind="written",
            note="Notes §3 rows 2-5. Reported by EFF, not the delegation's own text.",
        )
    yield _statement(
        2,
        "AUS",
        "Submissions on criminalization",
        "Australia provided two separate documents about the criminalisation of "
        "ICTs. … It stated that the criminalisation of offences should be consistent "
        "with the existing international instruments to avoid conflicts. "
        "Additionally, it stated that it remains open to broadening the convention "
        "beyond cyber-dependent and cyber-enabled crimes … The second document "
        "addressed the criminalisation of online child sexual abuse offences and "
        "exploitation.",
        DIG_SECOND_SESSION_URL,
        (
            (
                "broad-scope",
                UNDECIDED,
                "it stated that it remains open to broadening the convention beyond "
                "cyber-dependent and cyber-enabled crimes",
                "Coded undecided: open to a broader scope, on condition that the "
                "offences stay consistent with existing instruments, without asking "
                "for it.",
            ),
        ),
        kind="written",
        note="Notes §3 row 6. Reported by dig.watch.",
    )
    yield _statement(
        2,
        "ARG",
        "Drafting suggestions on procedural measures",
        "Argentina stated that conditions and safeguards should align with the "
        "International Covenant on Civil and Political Rights (ICCPR) and other "
        "international human rights law instruments. It referred to Budapest "
        "Convention articles 14, 15 and 21 and stressed sovereignty and "
        "non-intervention in domestic affairs.",
        DIG_SECOND_SESSION_URL,
        (
            (
                "conditions-and-safeguards",
                SUPPORT,
                "Argentina stated that conditions and safeguards should align with "
                "the International Covenant on Civil and Political Rights (ICCPR) "
                "and other international human rights law instruments.",
                "",
            ),
        ),
        kind="written",
        note="Notes §3 row 7. Reported by dig.watch.",
    )


# --- fourth to sixth sessions -------------------------------------------------------

Q_GENERAL_PROVISIONS = (
    'Put human rights into the general provisions; parties "shall carry out their '
    'obligations under IHRL treaties"'
)
Q_TRANSFER = (
    "A number of developing countries including, Iran, China, Nigeria, South Africa "
    "provided suggestions such as inclusion of “transfer of technology” and "
    "“technical assistance” to the existing text of the provisions in order to "
    "effectively broaden the scope of the chapter"
)
Q_RUSSIA_TERRORISM = (
    "Complained that the secretariat ignored its proposed article on using ICTs for "
    "extremist and terrorist purposes; said the draft did not fit the mandate"
)
Q_DIGITAL_ASSETS_FOR = (
    'Supported adding "digital assets" to the laundering article (Art. 16 in that '
    "draft)"
)
Q_DIGITAL_ASSETS_AGAINST = "Opposed digital assets as outside scope"
# The source excerpt is cut off after "keep the scope": said in the note, not here.
Q_NARROW_SCOPE = "Wanted to keep the scope [narrow]."
NARROW_SCOPE_NOTE = (
    "Partly verified: the source excerpt the notes read is cut off after “keep the "
    "scope” (notes §3 row 14)."
)


def _fourth_to_sixth_session_statements():
    yield _statement(
        4,
        "EU",
        "Proposal on human rights in the general provisions",
        "The EU and its member states, Canada and the United Kingdom proposed "
        "putting human rights into the general provisions: parties “shall carry out "
        "their obligations under IHRL treaties”.",
        DIG_CND_URL,
        (
            (
                "respect-for-human-rights",
                SUPPORT,
                Q_GENERAL_PROVISIONS,
                NOTES_SUMMARY.format(row=8),
            ),
        ),
        kind="joint",
        on_behalf_of="eu-member-states",
        co_signers=("CAN", "GBR"),
        note="Notes §3 row 8. Reported by dig.watch.",
    )
    for actor in ("IRN", "CHN", "NGA", "ZAF"):
        yield _statement(
            5,
            actor,
            "Suggestions on technical assistance",
            Q_TRANSFER,
            CCG_URL,
            (("transfer-of-technology", SUPPORT, Q_TRANSFER, ""),),
            note="Notes §3 row 9. Reported by the Centre for Communication "
            "Governance (NLU Delhi).",
        )
    sixth = "Positions at the sixth session, as reported by dig.watch"
    sixth_note = "Notes §3 rows {rows}. Reported by dig.watch."
    yield _statement(
        6,
        "RUS",
        sixth,
        f"{Q_RUSSIA_TERRORISM}. {Q_DIGITAL_ASSETS_FOR}.",
        DIG_SIXTH_SESSION_URL,
        (
            (
                "terrorism-offence",
                SUPPORT,
                Q_RUSSIA_TERRORISM,
                NOTES_SUMMARY.format(row=11),
            ),
            (
                "digital-assets-in-laundering",
                SUPPORT,
                Q_DIGITAL_ASSETS_FOR,
                NOTES_SUMMARY.format(row=12),
            ),
        ),
        note=sixth_note.format(rows="11-12"),
    )
    for actor in ("CHN", "NAM", "MYS", "SAU"):
        yield _statement(
            6,
            actor,
            sixth,
            Q_DIGITAL_ASSETS_FOR,
            DIG_SIXTH_SESSION_URL,
            (
                (
                    "digital-assets-in-laundering",
                    SUPPORT,
                    Q_DIGITAL_ASSETS_FOR,
                    NOTES_SUMMARY.format(row=12),
                ),
            ),
            note=sixth_note.format(rows="12"),
        )
    for actor in ("GBR", "TZA", "AUS"):
        yield _statement(
            6,
            actor,
            sixth,
            Q_DIGITAL_ASSETS_AGAINST,
            DIG_SIXTH_SESSION_URL,
            (
                (
                    "digital-assets-in-laundering",
                    OPPOSE,
                    Q_DIGITAL_ASSETS_AGAINST,
                    NOTES_SUMMARY.format(row=13),
                ),
            ),
            note=sixth_note.format(rows="13"),
        )
    for actor, on_behalf_of in (
        ("CAN", None),
        ("USA", None),
        ("EU", "eu-member-states"),
    ):
        yield _statement(
            6,
            actor,
            sixth,
            Q_NARROW_SCOPE,
            DIG_SIXTH_SESSION_URL,
            (
                (
                    "broad-scope",
                    OPPOSE,
                    Q_NARROW_SCOPE,
                    NARROW_SCOPE_NOTE + " " + NOTES_SUMMARY.format(row=14),
                ),
            ),
            on_behalf_of=on_behalf_of,
            note=NARROW_SCOPE_NOTE,
            verification=PARTLY_VERIFIED,
        )
    yield _statement(
        6,
        "MICROSOFT",
        "Comment on the draft text",
        'Said the September 2023 draft could be "disastrous for human rights".',
        DIG_SIXTH_SESSION_URL,
        (),
        note="Notes §3.1. Reported by dig.watch. Not coded: it names no provision.",
    )


# --- UN General Assembly Third Committee, October 2023 (recorded under session 7) ----

Q_BROAD = (
    'Joint statement: a comprehensive treaty with "broad criminalization", '
    'e-evidence exchange "on a wide range of offences", and protection of state '
    "sovereignty"
)


def _third_committee_2023_statements():
    yield _statement(
        7,
        "RUS",
        "Joint statement at the Third Committee on a comprehensive convention",
        Q_BROAD,
        RUSSIAUN_URL,
        (("broad-scope", SUPPORT, Q_BROAD, NOTES_SUMMARY.format(row=15)),),
        kind="joint",
        co_signers=(
            "BLR",
            "ZWE",
            "PRK",
            "CUB",
            "MLI",
            "NER",
            "NIC",
            "SYR",
            "TJK",
            "AZE",
        ),
        verification=PARTLY_VERIFIED,
        note=(
            "Notes §3 row 15. Delivered at the General Assembly's Third Committee in "
            "October 2023 (partly verified: the date is read from the source URL, "
            "o_021023), between the sixth and the concluding sessions; recorded under "
            "the concluding session, the first Committee session after it."
        ),
    )


# --- civil society and OHCHR (notes §3.1) --------------------------------------------


def _civil_society_statements():
    yield _statement(
        1,
        "HRW",
        "Joint letter of over 100 organizations and experts to the Committee",
        "Human Rights Watch, with EFF, APC and about 134 organizations and experts, "
        "asked for a narrow scope, strong human-rights safeguards and civil-society "
        "participation.",
        APC_LETTER_URL,
        (
            (
                "broad-scope",
                OPPOSE,
                "Narrow scope, strong safeguards, civil-society participation",
                NOTES_SUMMARY_CS,
            ),
            (
                "conditions-and-safeguards",
                SUPPORT,
                "Narrow scope, strong safeguards, civil-society participation",
                NOTES_SUMMARY_CS,
            ),
        ),
        kind="joint",
        co_signers=("EFF", "APC"),
        note=(
            "Letter of 22 December 2021, sent before the first session and recorded "
            "under it."
        ),
    )
    yield _statement(
        2,
        "HRW",
        "Submission to the Ad Hoc Committee",
        "Human Rights Watch is not convinced a global cybercrime treaty is necessary "
        "and is concerned that it risks eroding human rights protections and States’ "
        "obligations under international rights law.",
        HRW_SUBMISSION_URL,
        (
            (
                "un-cybercrime-convention",
                OPPOSE,
                "Human Rights Watch is not convinced a global cybercrime treaty is "
                "necessary",
                "",
            ),
        ),
        kind="written",
        note=(
            "Submitted on 28 April 2022, between the first and second sessions; "
            "recorded under the second session. The notes cite this page with its "
            "address cut short."
        ),
    )
    yield _statement(
        4,
        "EFF",
        "Joint submission with Privacy International",
        "Limit the offences to crimes where ICT is the object or the instrument; "
        "oppose content crimes and anything that weakens encryption.",
        EFF_CND_URL,
        (
            (slug, OPPOSE, quote, NOTES_SUMMARY_CS)
            for slug, quote in (
                (
                    "broad-scope",
                    "limit offences to crimes where ICT is the object or instrument",
                ),
                ("disinformation-offence", "oppose content crimes"),
                ("terrorism-offence", "oppose content crimes"),
                ("hate-speech-offence", "oppose content crimes"),
                ("limits-on-encryption", "oppose … anything that weakens encryption"),
            )
        ),
        kind="joint",
        co_signers=("PI",),
        note=(
            "Submitted in December 2022, before the fourth session; recorded under it."
        ),
    )
    yield _statement(
        4,
        "EFF",
        "Letter of EFF and 74 organizations on the draft text",
        "The text of 7 November 2022 criminalizes protected speech.",
        EFF_CND_URL,
        (),
        kind="written",
        note="Notes §3.1. Not coded: the notes do not say which offences it names.",
    )
    q_zero_draft = (
        "Analysis of the zero draft: delete Art. 17, narrow Art. 22, strengthen "
        "Arts 5, 21, 23, 24, 35"
    )
    yield _statement(
        6,
        "ARTICLE19",
        "Comments on the draft text of the convention",
        q_zero_draft + " (article numbers of the zero draft).",
        HRW_A19_ZERO_DRAFT_URL,
        (
            (
                "respect-for-human-rights",
                WITH_CHANGES,
                q_zero_draft,
                NOTES_SUMMARY_CS + " Article 5 of the zero draft is this provision.",
            ),
            (
                "jurisdiction",
                WITH_CHANGES,
                q_zero_draft,
                NOTES_SUMMARY_CS + " Article 22 of the zero draft is this provision.",
            ),
        ),
        kind="joint",
        co_signers=("HRW",),
        date=D(2023, 8, 30),
        note=(
            "Not coded: Article 17 (offences under other treaties) and Articles 21, "
            "23, 24 and 35, whose final-text counterparts the notes do not give."
        ),
    )
    yield _statement(
        7,
        "GPD",
        "Analysis of the revised draft text",
        "Global Partners Digital's analysis of the revised draft for the concluding "
        "session.",
        GPD_URL,
        (),
        kind="written",
        note="Published on 16 January 2024, before the concluding session; recorded "
        "under it. Not coded: the notes give no stance.",
    )
    yield _statement(
        7,
        "ARTICLE19",
        "Still deeply flawed after seven sessions",
        "ARTICLE 19 asked states to reject the draft and opposed extending the "
        "Committee's mandate.",
        A19_AFTER_CS_URL,
        (
            (
                "un-cybercrime-convention",
                OPPOSE,
                "Reject the draft and oppose extending the mandate",
                NOTES_SUMMARY_CS,
            ),
        ),
        kind="written",
        note="Published after the concluding session (February 2024).",
    )
    q_ohchr = (
        "name specific human-rights treaties explicitly, narrow the scope, require "
        "criminal intent"
    )
    yield _statement(
        8,
        "OHCHR",
        "Information note: human rights and the draft Cybercrime Convention",
        "OHCHR's information note (25 July 2024) on the further revised draft of "
        f"February 2024: {q_ohchr}.",
        OHCHR_NOTE_URL,
        (
            ("respect-for-human-rights", WITH_CHANGES, q_ohchr, NOTES_SUMMARY_CS),
            ("broad-scope", OPPOSE, q_ohchr, NOTES_SUMMARY_CS),
        ),
        kind="written",
        note=(
            "Published on 25 July 2024, before the reconvened session; recorded "
            "under it. The notes read it on a mirror with the same path "
            "(web.test.ohchr.un-icc.cloud)."
        ),
    )
    q_a19 = "ARTICLE 19 urges UN member states to not sign and ratify this Convention"
    yield _statement(
        8,
        "ARTICLE19",
        "A blueprint for human rights violations",
        q_a19 + ".",
        A19_AFTER_RCS_URL,
        (("un-cybercrime-convention", OPPOSE, q_a19, ""),),
        kind="written",
        note="Published after the reconvened concluding session (2024).",
    )
    q_access = (
        "States should not sign or ratify; “cyber authoritarianism at home and "
        "transnational repression across borders”"
    )
    yield _statement(
        9,
        "ACCESSNOW",
        "Do not sign or ratify",
        "Access Now (Raman Jit Singh Chima) and a joint NGO statement at the Hanoi "
        f"signing: {q_access}.",
        ACCESS_NOW_URL,
        (("un-cybercrime-convention", OPPOSE, q_access, NOTES_SUMMARY_CS),),
        kind="written",
        note=(
            "Partly verified: secondary source (a news feed quoting The Record). "
            "Said in October 2025 at the signing in Hanoi; recorded under the next "
            "Committee session."
        ),
    )


STATEMENTS = (
    *_general_assembly_2019_statements(),
    *_first_session_statements(),
    *_second_session_statements(),
    *_fourth_to_sixth_session_statements(),
    *_third_committee_2023_statements(),
    *_civil_society_statements(),
    *state_positions.STATEMENTS,
)
