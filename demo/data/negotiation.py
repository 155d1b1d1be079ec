"""The UN cybercrime negotiation: treaty, sessions, drafts, chapters and provisions.

Every fact comes from /work/shared/source/ahc-facts.md (the research notes, with
their confidence tags [V] verified, [P] partly verified, [U] unverified) or from the
first-session article (HRW / Just Security, 28 April 2022). Symbols and dates the notes
mark [U] are left out; [P] ones are kept and said to be partly verified where the model
has room to say so.
"""

import datetime

D = datetime.date

TREATY = {
    "slug": "un-cybercrime",
    "title": (
        "United Nations Convention against Cybercrime; Strengthening International "
        "Cooperation for Combating Certain Crimes Committed by Means of Information "
        "and Communications Technology Systems and for the Sharing of Evidence in "
        "Electronic Form of Serious Crimes"
    ),
    "short_title": "UN Convention against Cybercrime",
    "negotiating_body": (
        "Ad Hoc Committee to Elaborate a Comprehensive International Convention on "
        "Countering the Use of Information and Communications Technologies for "
        "Criminal Purposes"
    ),
    "description": (
        "Negotiated by an Ad Hoc Committee set up by General Assembly resolution "
        "74/247 (27 December 2019, recorded vote 79-60-33). The Committee approved "
        "the draft convention at its reconvened concluding session in August 2024; "
        "the General Assembly adopted it without a vote on 24 December 2024 "
        "(resolution 79/243). It was opened for signature in Hanoi on 25-26 October "
        "2025 (72 signatories at the close) and enters into force on the 90th day "
        "after the 40th instrument of ratification (article 65). Informally called "
        "the Hanoi Convention."
    ),
}

# Sessions as listed on the UNODC Ad Hoc Committee home page (all dates and venues
# [V]). The Committee counted its sessions 0 (organizational matters) to 7
# (concluding). The reconvened concluding session and the 2026 post-adoption session
# carry no number of their own, so they are numbered 8 and 9 here: the number only
# orders sessions. The titles say what each one was.
SESSIONS = (
    {
        "number": 0,
        "title": "Session on organizational matters",
        "start_date": D(2022, 2, 24),
        "end_date": D(2022, 2, 24),
        "venue": "New York (General Assembly Hall)",
    },
    {
        "number": 1,
        "title": "First session",
        "start_date": D(2022, 2, 28),
        "end_date": D(2022, 3, 11),
        "venue": "New York",
    },
    {
        "number": 2,
        "title": "Second session",
        "start_date": D(2022, 5, 30),
        "end_date": D(2022, 6, 10),
        "venue": "Vienna",
    },
    {
        "number": 3,
        "title": "Third session",
        "start_date": D(2022, 8, 29),
        "end_date": D(2022, 9, 9),
        "venue": "New York",
    },
    {
        "number": 4,
        "title": "Fourth session",
        "start_date": D(2023, 1, 9),
        "end_date": D(2023, 1, 20),
        "venue": "Vienna",
    },
    {
        "number": 5,
        "title": "Fifth session",
        "start_date": D(2023, 4, 11),
        "end_date": D(2023, 4, 21),
        "venue": "Vienna",
    },
    {
        "number": 6,
        "title": "Sixth session",
        "start_date": D(2023, 8, 21),
        "end_date": D(2023, 9, 1),
        "venue": "New York",
    },
    {
        "number": 7,
        "title": "Concluding session (suspended without consensus)",
        "start_date": D(2024, 1, 29),
        "end_date": D(2024, 2, 9),
        "venue": "New York",
    },
    {
        "number": 8,
        "title": "Reconvened concluding session (GA decision 78/549)",
        "start_date": D(2024, 7, 29),
        "end_date": D(2024, 8, 9),
        "venue": "New York",
    },
    {
        "number": 9,
        "title": (
            "Post-adoption session: draft rules of procedure of the Conference of "
            "the States Parties"
        ),
        "start_date": D(2026, 1, 26),
        "end_date": D(2026, 1, 30),
        "venue": "Vienna",
    },
)

# Drafts in the order they appeared. `published_on` only where the notes give the
# day; a month alone is said in the title (the field has no month precision).
# Symbols the notes mark [U] (A/AC.291/22, /22/Rev.1, /22/Rev.2, the CND symbols) are
# left blank; the CRP.13 symbol is [P] and kept.
DRAFTS = (
    {
        "slug": "russian-draft-2021",
        "title": "Russian draft convention (unofficial translation)",
        "symbol": "",
        "published_on": D(2021, 6, 29),
        "session": None,
    },
    {
        "slug": "compilation-criminalization-2022",
        "title": (
            "Compilation of proposals and contributions submitted by Member States "
            "on the provisions on criminalization, the general provisions and the "
            "provisions on procedural measures and law enforcement"
        ),
        "symbol": "",
        "published_on": None,
        "session": 2,
    },
    {
        "slug": "compilation-cooperation-2022",
        "title": (
            "Compilation of proposals and comments on international cooperation, "
            "technical assistance, preventive measures, mechanism of implementation, "
            "final provisions and preamble"
        ),
        "symbol": "A/AC.291/CRP.13",
        "published_on": None,
        "session": 3,
    },
    {
        "slug": "cnd-criminalization-2022",
        "title": (
            "Consolidated negotiating document on the general provisions and the "
            "provisions on criminalization and on procedural measures and law "
            "enforcement"
        ),
        "symbol": "",
        "published_on": D(2022, 11, 7),
        "session": 4,
    },
    {
        "slug": "cnd-cooperation-2023",
        "title": (
            "Consolidated negotiating document on the preamble, international "
            "cooperation, preventive measures, technical assistance, mechanism of "
            "implementation and final provisions"
        ),
        "symbol": "",
        "published_on": None,
        "session": 5,
    },
    {
        "slug": "zero-draft-2023",
        "title": 'Draft text of the convention ("zero draft", released June 2023)',
        "symbol": "",
        "published_on": None,
        "session": 6,
    },
    {
        "slug": "revised-draft-2024",
        "title": "Revised draft text of the convention (January 2024)",
        "symbol": "",
        "published_on": None,
        "session": 7,
    },
    {
        "slug": "further-revised-draft-2024",
        "title": "Further revised draft text of the convention (February 2024)",
        "symbol": "",
        "published_on": None,
        "session": 7,
    },
    {
        "slug": "updated-draft-rev3-2024",
        "title": "Updated draft text of the convention",
        "symbol": "A/AC.291/22/Rev.3",
        "published_on": None,
        "session": 8,
    },
    {
        "slug": "draft-convention-l15-2024",
        "title": "Draft convention (final text approved by the Committee, August 2024)",
        "symbol": "A/AC.291/L.15",
        "published_on": None,
        "session": 8,
    },
    {
        "slug": "final-convention-2024",
        "title": (
            "United Nations Convention against Cybercrime (annex to General "
            "Assembly resolution 79/243)"
        ),
        "symbol": "A/RES/79/243",
        "published_on": D(2024, 12, 24),
        "session": None,
    },
)

# The preamble plus nine chapters of the September 2023 draft and of the final text
# (dig.watch process page [V]; c4ir.vn [V]).
CHAPTERS = (
    ("I", "General provisions"),
    ("II", "Criminalization"),
    ("III", "Jurisdiction"),
    ("IV", "Procedural measures and law enforcement"),
    ("V", "International cooperation"),
    ("VI", "Preventive measures"),
    ("VII", "Technical assistance and information exchange"),
    ("VIII", "Mechanism of implementation"),
    ("IX", "Final provisions"),
)

# A text is stored only when it is the draft's own text, and the notes quote no article
# in full: every text below is empty (the pages say the text is not on record and give
# the draft's symbol). Labels and headings are kept where a source gives them; where
# they come from is said here, for editors (this is not loaded).
LABEL_SOURCES = {}


def _article(slug, number, title, chapter, proposition, conf, extra_texts=()):
    """An article of the final convention, with its final-text label and heading."""
    LABEL_SOURCES[slug] = f"Final-text number and title: {conf}."
    final_text = ("final-convention-2024", f"Article {number}", title, "")
    return {
        "slug": slug,
        "title": title,
        "kind": "article",
        "chapter": chapter,
        "order": number * 10,
        "proposition": proposition,
        "texts": (*extra_texts, final_text),
    }


# Articles of the final text that the notes name, with their final numbers (§2.3).
# Articles whose title the notes mark [U] (1, 3, 5, 13, 15, 20, 25-30, 35-41, 47-52,
# 57-58, 63, 66-68) are left out.
ARTICLES = (
    _article(
        "use-of-terms",
        2,
        "Use of terms",
        "I",
        "Include an article defining the terms the convention uses.",
        "partly verified: c4ir.vn",
    ),
    _article(
        "offences-under-other-conventions",
        4,
        "Offences established in accordance with other United Nations conventions "
        "and protocols",
        "I",
        "Include an article making offences under other UN conventions and "
        "protocols subject to the convention when committed by means of ICT.",
        "partly verified: dig.watch 29 Jul 2024; EFF letter",
    ),
    {
        "slug": "respect-for-human-rights",
        "title": "Respect for human rights",
        "kind": "article",
        "chapter": "I",
        "order": 60,
        "proposition": (
            "Include a general article requiring States Parties to implement the "
            "convention consistently with their obligations under international "
            "human rights law."
        ),
        # The human-rights article was Article 5 in the 2023 drafts and became
        # Article 6 in the final text (notes §2.3, [V] for the drafts). The drafts'
        # headings are not reported, so they are left empty.
        "texts": (
            ("zero-draft-2023", "Article 5", "", ""),
            ("revised-draft-2024", "Article 5", "", ""),
            ("final-convention-2024", "Article 6", "Respect for human rights", ""),
        ),
    },
    _article(
        "illegal-access",
        7,
        "Illegal access",
        "II",
        "Include an offence of illegal access to an ICT system.",
        "partly verified: EFF range Articles 7-11; title per article unverified",
    ),
    _article(
        "illegal-interception",
        8,
        "Illegal interception",
        "II",
        "Include an offence of illegal interception of data.",
        "partly verified: SynQanun README",
    ),
    _article(
        "interference-with-electronic-data",
        9,
        "Interference with electronic data",
        "II",
        "Include an offence of interference with electronic data.",
        "partly verified: SynQanun README",
    ),
    _article(
        "interference-with-ict-system",
        10,
        "Interference with an ICT system",
        "II",
        "Include an offence of interference with an ICT system.",
        "partly verified: EFF range Articles 7-11",
    ),
    _article(
        "misuse-of-devices",
        11,
        "Misuse of devices",
        "II",
        "Include an offence of misuse of devices.",
        "partly verified: EFF range Articles 7-11; digitalpolicyalert",
    ),
    _article(
        "ict-forgery",
        12,
        "ICT-system-related forgery",
        "II",
        "Include an offence of forgery related to an ICT system.",
        "partly verified: SynQanun README",
    ),
    _article(
        "child-sexual-abuse-material",
        14,
        "Offences related to online child sexual abuse or child sexual "
        "exploitation material",
        "II",
        "Include offences on online child sexual abuse or child sexual "
        "exploitation material.",
        "partly verified: apnaqanoon.com; dig.watch 29 Jul 2024",
    ),
    _article(
        "non-consensual-intimate-images",
        16,
        "Non-consensual dissemination of intimate images",
        "II",
        "Include an offence of non-consensual dissemination of intimate images.",
        "partly verified: dig.watch; UN press",
    ),
    _article(
        "laundering-of-proceeds",
        17,
        "Laundering of proceeds of crime",
        "II",
        "Include an offence of laundering the proceeds of crime.",
        "partly verified: c4ir.vn; dig.watch 31 Jul 2024",
        # dig.watch's key takeaways from the sixth session call the laundering
        # article Article 16 of the draft then under negotiation.
        extra_texts=(("zero-draft-2023", "Article 16", "", ""),),
    ),
    _article(
        "liability-of-legal-persons",
        18,
        "Liability of legal persons",
        "II",
        "Include an article on the liability of legal persons.",
        "partly verified: EFF letter",
    ),
    _article(
        "participation-and-attempt",
        19,
        "Participation and attempt",
        "II",
        "Include an article on participation in and attempt of the offences.",
        "partly verified: EFF letter",
    ),
    _article(
        "prosecution-adjudication-sanctions",
        21,
        "Prosecution, adjudication and sanctions",
        "II",
        "Include an article on prosecution, adjudication and sanctions.",
        "partly verified: dig.watch 31 Jul 2024",
    ),
    _article(
        "jurisdiction",
        22,
        "Jurisdiction",
        "III",
        "Include an article setting out when a State Party has jurisdiction over "
        "the convention's offences.",
        "verified: dig.watch 31 Jul 2024",
        # ARTICLE 19 and Human Rights Watch's analysis of the zero draft names
        # Article 22 as its jurisdiction article.
        extra_texts=(("zero-draft-2023", "Article 22", "", ""),),
    ),
    _article(
        "scope-of-procedural-measures",
        23,
        "Scope of procedural measures",
        "IV",
        "Include an article setting the scope of the procedural measures.",
        "partly verified: EFF; dig.watch 5 Aug 2024",
    ),
    _article(
        "conditions-and-safeguards",
        24,
        "Conditions and safeguards",
        "IV",
        "Make the convention's procedural powers subject to conditions and "
        "safeguards that protect human rights.",
        "verified: wp.dig.watch/?p=160496",
    ),
    _article(
        "mla-real-time-traffic-data",
        45,
        "Mutual legal assistance in the real-time collection of traffic data",
        "V",
        "Include an article on mutual legal assistance in the real-time collection "
        "of traffic data.",
        "verified: dig.watch 31 Jul 2024",
    ),
    _article(
        "mla-interception-content-data",
        46,
        "Mutual legal assistance in the interception of content data",
        "V",
        "Include an article on mutual legal assistance in the interception of "
        "content data.",
        "verified: dig.watch 31 Jul 2024",
    ),
    _article(
        "preventive-measures",
        53,
        "Preventive measures",
        "VI",
        "Include an article on measures to prevent cybercrime.",
        "verified: dig.watch 31 Jul 2024",
    ),
    _article(
        "technical-assistance",
        54,
        "Technical assistance and capacity-building",
        "VII",
        "Include an article committing States Parties to technical assistance and "
        "capacity-building.",
        "verified: dig.watch 31 Jul 2024",
    ),
    _article(
        "signature-ratification",
        64,
        "Signature, ratification, acceptance, approval and accession",
        "IX",
        "Include an article on signature, ratification, acceptance, approval and "
        "accession.",
        "verified: UNTC XVIII-16",
    ),
    {
        "slug": "entry-into-force",
        "title": "Entry into force",
        "kind": "article",
        "chapter": "IX",
        "order": 650,
        "proposition": (
            "Include an article setting the conditions for the convention's entry "
            "into force."
        ),
        # UN Treaty Collection (XVIII-16): in force on the 90th day after the 40th
        # instrument of ratification, acceptance, approval or accession (65(1)).
        "texts": (("final-convention-2024", "Article 65", "Entry into force", ""),),
    },
)


def _proposal(slug, title, order, proposition, chapter=None, kind="proposal"):
    return {
        "slug": slug,
        "title": title,
        "kind": kind,
        "chapter": chapter,
        "order": order,
        "proposition": proposition,
        "texts": (),
    }


# Offences some actors wanted added and cross-cutting questions, from the
# first-session article and the position tables of the notes (§3). None has text in
# a draft that the sources quote, so none has a ProvisionText.
PROPOSALS = (
    _proposal(
        "disinformation-offence",
        "Offence of spreading disinformation",
        901,
        "Include an offence of disseminating false information (disinformation, "
        '"fake news") by means of ICT.',
        chapter="II",
    ),
    _proposal(
        "terrorism-offence",
        "Offences on incitement to terrorism and extremism",
        902,
        "Include offences on the use of ICT for terrorist or extremist purposes, "
        "such as incitement to terrorism.",
        chapter="II",
    ),
    _proposal(
        "hate-speech-offence",
        "Offences on hate speech",
        903,
        "Include offences on hate speech disseminated by means of ICT.",
        chapter="II",
    ),
    _proposal(
        "racist-xenophobic-material-offence",
        "Offences on racist and xenophobic material",
        904,
        "Include offences on racist and xenophobic material disseminated by means "
        "of ICT.",
        chapter="II",
    ),
    _proposal(
        "copyright-infringement-offence",
        "Offence of copyright infringement",
        905,
        "Include an offence of copyright infringement committed by means of ICT.",
        chapter="II",
    ),
    _proposal(
        "digital-assets-in-laundering",
        "Digital assets in the laundering offence",
        906,
        'Add "digital assets" to the article on laundering of proceeds of crime.',
        chapter="II",
    ),
    _proposal(
        "public-interest-defence",
        "Public-interest defence for the core offences",
        907,
        "Provide a public-interest defence so that whistleblowers, activists, "
        "journalists and security researchers are not prosecuted under the core "
        "cybercrime offences.",
        chapter="II",
    ),
    _proposal(
        "narrow-without-authorization",
        'Narrow definition of access "without authorization"',
        908,
        'Define access "without authorization" narrowly, so that legitimate '
        "activities such as security research and journalism are not crimes.",
        chapter="II",
    ),
    _proposal(
        "metadata-sharing-outside-mla",
        "Sharing metadata outside mutual legal assistance",
        909,
        "Let States share metadata with each other quickly, bypassing the existing "
        "mutual legal assistance treaties.",
        chapter="V",
    ),
    _proposal(
        "transfer-of-technology",
        "Transfer of technology in technical assistance",
        910,
        'Add "transfer of technology" to the provisions on technical assistance.',
        chapter="VII",
    ),
    _proposal(
        "un-cybercrime-convention",
        "A new UN cybercrime convention",
        1001,
        "Negotiate and adopt a comprehensive UN convention on countering the use "
        "of ICT for criminal purposes.",
        kind="issue",
    ),
    _proposal(
        "broad-scope",
        "Broad scope of criminalization and cooperation",
        1002,
        "Give the convention a broad scope: criminalize a wide range of ICT-related "
        "conduct beyond core cybercrimes and share evidence on a wide range of "
        "offences.",
        kind="issue",
    ),
    _proposal(
        "human-rights-in-objectives",
        "Human-rights safeguards among the objectives",
        1003,
        "Make the protection of human rights and fundamental freedoms, with "
        "explicit safeguards, one of the convention's objectives.",
        kind="issue",
    ),
    _proposal(
        "gender-perspective",
        "Gender perspective",
        1004,
        "Give the convention a gender perspective, with special attention to the "
        "gendered nature and impact of cybercrime.",
        kind="issue",
    ),
    _proposal(
        "limits-on-encryption",
        "Limits on encryption",
        1005,
        "Include measures that limit encrypted or anonymous communications or let "
        "law enforcement get around encryption.",
        kind="issue",
    ),
)

PROVISIONS = ARTICLES + PROPOSALS
