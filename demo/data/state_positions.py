"""States' positions from 2018 to 2026: ahc-facts-2.md §1 (rows 1-62).

Each row of the notes' §1 tables that records what a state said becomes one statement
here, with the row's source and verification: [V] verified, [P] partly verified (and
the note says why). The note of each statement names its row ("ahc-facts-2.md §1 row
N"); rows 5-7 add to the General Assembly statements of 27 December 2019 already in
statements.py. Rows that are not a state's position, or that the notes mark [U], are
left out: LEFT_OUT says which and why.

A statement is recorded under the first Committee session at or after the day it was
made (the rule of statements.py), with no date unless that day falls within the
session; events after the last session on record (January 2026) are recorded under it.
Where the notes name several states taking the same stance, the first named is the
speaker and the others are supporters (the notes do not say they spoke jointly); a
joint text (row 24) has co-signers. A position is coded only where the row maps onto
a provision of negotiation.py and states a stance; otherwise the statement has no
position and the note says so.

Sources keep the address the notes give. Where the notes cut an address short ("…")
and no full one is known, the note gives it as the notes do; a statement with no
source at all stays a draft (the database refuses a published statement without one).
"""

import datetime

from demo.data.records import (
    DRAFT,
    OPPOSE,
    PARTLY_VERIFIED,
    SUPPORT,
    WITH_CHANGES,
)
from demo.data.records import statement as _statement

D = datetime.date

CONVENTION = "un-cybercrime-convention"
BROAD_SCOPE = "broad-scope"
HUMAN_RIGHTS = "respect-for-human-rights"
SAFEGUARDS = "conditions-and-safeguards"
CSAM = "child-sexual-abuse-material"

EU_MEMBERS = "eu-member-states"


def row(n):
    return f"ahc-facts-2.md §1 row {n}."


def summary(n):
    """The note of a position whose quote is the notes' paraphrase."""
    return (
        f"The quote is the research notes' summary of the source (ahc-facts-2.md §1 "
        f"row {n}), not the source's own words."
    )


def cut_source(address):
    return (
        f" The notes give its source with the address cut short: {address}. Kept as "
        "a draft until an editor finds the full address."
    )


BEFORE_COMMITTEE = (
    " Said before the Committee first met; recorded under its first meeting "
    "(session 0)."
)
DIG_AI = "Partly verified: dig.watch's meeting reports are AI-generated."
OTTER = "Partly verified: an unofficial transcript (otter.ai)."
NO_PROVISION = " Not coded: the demo has no provision for {what}."

# --- sources (ahc-facts-2.md §1), https:// added --------------------------------------

USUN_73_187_URL = (
    "https://usun.usmission.gov/explanation-of-vote-on-a-third-committee-resolution-"
    "on-countering-the-use-of-information-and-communication-technologies-for-"
    "criminal-purposes/"
)
XINHUA_COP9_URL = (
    "https://big5.www.gov.cn/gate/big5/www.gov.cn/xinwen/2018-10/16/content_5331199.htm"
)
# The notes cite this page as mid.ru/en/foreign_policy/…/content/id/3909516; §2.2
# row 6 gives its full address (the same page, id 3909516).
MID_74_247_URL = (
    "https://mid.ru/en/foreign_policy/international_safety/disarmament/-/"
    "asset_publisher/rp0fiUBmANaH/content/id/3909516"
)
TASS_74_247_URL = "https://tass.com/world/1091919"
QATAR_CCPCJ_URL = (
    "https://jaziranewswire.qa/qatar-affirms-importance-of-holding-international-"
    "conference-to-explore-ways-to-regulate-cybersecurity-in-international-law/"
)
TASS_KRUTSKIKH_URL = "https://tass.com/economy/1376549"
STATE_WALSH_URL = (
    "https://state.gov/principal-deputy-assistant-secretary-walsh-remarks-at-ad-hoc-"
    "committee-to-elaborate-un-cybercrime-convention"
)
EFF_S1_URL = (
    "https://eff.org/deeplinks/2022/03/"
    "negotiations-over-international-police-powers-agreement-must-keep-human-rights"
)
QATAR_S1_URL = (
    "https://ny.mission.qa/en/media/news/detail/1443/10/11/qatar-expresses-support-"
    "for-establishing-comprehensive-international-agreement-to-confront-cybercrime"
)
GLOBALSECURITY_S1_URL = (
    "https://globalsecurity.org/security/library/news/2022/03/"
    "sec-220312-russia-mfa01.htm"
)
NZ_FEEDBACK_URL = (
    "https://dpmc.govt.nz/our-programmes/national-security/cyber-security-strategy/"
    "united-nations-cybercrime-treaty/we-asked"
)
DIG_S3_URL = "https://wp.dig.watch/?p=111840"
US_IMPLEMENTATION_URL = (
    "https://vienna.usmission.gov/"
    "u-s-statement-as-delivered-under-agenda-item-7-implementation-vienna-austria/"
)
INDIA_TC22_URL = "https://pminewyork.gov.in/IndiaatUNGA?id=NDc3MA,,"
GLOBALSECURITY_S4_URL = (
    "https://globalsecurity.org/security/library/news/2023/01/"
    "sec-230123-russia-mfa01.htm"
)
LEIDEN_URL = "https://leidenasiacentre.nl/towards-a-un-centric-cybercrime-treaty/"
DIG_CS_URL = "https://wp.dig.watch/?p=160526"
OTTER_THIRD_READING_URL = "https://otter.ai/u/m037eNOTNFYz8lXxq4ssF2bOglI"
# The notes cite dig.watch's reports of the reconvened session's 8th, 13th, 14th and
# 19th meetings with their addresses cut short; the full address they give for those
# reports is the session's event page, under which dig.watch files them
# (ahc-facts.md §4).
DIG_RCS_EVENT_URL = (
    "https://dig.watch/event/reconvened-concluding-session-of-the-ad-hoc-committee"
)
DIG_RCS_10TH_URL = "https://dig.watch/?p=178818"
EFF_RCS_URL = (
    "https://eff.org/deeplinks/2024/08/"
    "un-general-assembly-and-fight-against-cybercrime-treaty"
)
DFAT_ADOPTION_URL = "https://dfat.gov.au/node/154262"
IEU_TC24_URL = (
    "https://ieu-monitoring.com/editorial/"
    "adoption-of-the-un-convention-against-cybercrime-eu-position/465306"
)
MFAT_TC24_URL = (
    "https://mfat.govt.nz/de/media-and-resources/"
    "united-nations-general-assembly-third-committee"
)
GOVUK_TC24_URL = (
    "https://gov.uk/government/speeches/"
    "human-rights-must-be-protected-uk-statement-at-the-un-third-committee"
)
UK_HANOI_URLS = (
    "https://thenewsintel.com/?p=124584",
    "https://solicitorsjournal.com/sjarticle/"
    "uk-signs-landmark-convention-against-cybercrime",
)
VOV_HANOI_URL = (
    "https://english.vov.vn/en/politics/diplomacy/"
    "un-member-states-pledge-to-turn-hanoi-convention-into-global-action-"
    "post1240832.vov"
)
EEAS_HANOI_URL = "https://eeas.europa.eu/hanoiconvention-eudeclaration_en"
QATAR_HANOI_URLS = (
    "https://qatarnewsupdate.com/qatar-signs-un-convention-against-cybercrime-in-hanoi",
    "https://gulf-times.com/article/662692",
)
VIETNAMPLUS_ROP_URL = (
    "https://en.vietnamplus.vn/"
    "vietnam-calls-on-countries-to-soon-sign-ratify-hanoi-convention-post336805.vnp"
)
# An EEAS release, read on a mirror.
EEAS_ROP_URL = "https://pubt.io/view/69C6F72953730DF3142C132443AB7DEE8087BAC9"
GEIST_CANADA_URL = (
    "https://michaelgeist.ca/2026/07/a-surveillance-treaty-in-disguise-the-trouble-"
    "with-canadas-quiet-decision-to-sign-the-un-cybercrime-convention/"
)
EDA_URL = (
    "https://eda.admin.ch/eda/de/home/das-eda/aktuell/newsuebersicht/2024/12/"
    "uno-konvention-cyberkriminalitaet.html"
)

# --- rows left out, and why (for editors and the closing report) ----------------------

LEFT_OUT = {
    9: (
        "New Zealand's public consultation on its draft negotiating principles: the "
        "row gives what respondents wanted, not New Zealand's own position."
    ),
    28: (
        'An "absolute majority" of states in a text-scaling analysis: no state is '
        "named."
    ),
    29: (
        "The speakers on Articles 5 and 24 at the concluding session: a speaker "
        "list, not what any of them said (participation only)."
    ),
    34: (
        "The Chair's delegation of pending articles to vice-chairs from Australia, "
        "Japan and Nigeria: process, not a state's position."
    ),
    37: (
        "Iran, Jamaica and the Russian Federation spoke on paragraphs 7-9 of the "
        "draft resolution, which were then set aside: the row does not say what "
        "they said."
    ),
    58: (
        "Three groups of states on NGO participation in the Conference of the "
        "States Parties: the states are not named."
    ),
    59: "The United States did not sign in Hanoi: tagged [U] (a negative finding).",
    61: ("The composition of Azerbaijan's delegation: not a position."),
}

# --- 1.1: before the negotiations (2018-2021) and the first session -------------------


def _before_and_first_session():
    yield _statement(
        0,
        "USA",
        "Explanation of vote on the draft that became resolution 73/187",
        "Courtney Nemroff, Deputy US Representative to ECOSOC, explained the US vote "
        "against the draft. The informal talks had been narrow and opaque: after "
        "four rounds, Russia had not accepted a single substantive edit. The "
        "open-ended Intergovernmental Expert Group on cybercrime (IEG) already "
        "existed, so the resolution would politicise the issue and undercut the "
        "experts' work in Vienna.",
        USUN_73_187_URL,
        (),
        note=row(1)
        + " Said at the General Assembly's Third Committee on 13 November 2018."
        + BEFORE_COMMITTEE
        + " Not coded: resolution 73/187 did not call for a convention.",
    )
    yield _statement(
        0,
        "RUS",
        "On the adoption of resolution 73/187",
        "Russia's Foreign Ministry said the United States and EU countries had shown "
        "that they do not want the issue discussed at the United Nations, and that "
        "their aim is to keep a status quo that preserves “digital inequality”. It "
        "said all of Russia's BRICS, SCO and CSTO partners had co-authored the text.",
        "",
        (),
        kind="written",
        status=DRAFT,
        note=row(2)
        + " Press release of 18 December 2018 on the General Assembly's vote of 17 "
        "December 2018."
        + BEFORE_COMMITTEE
        + cut_source("mid.ru/en/…/content/id/3449030"),
    )
    yield _statement(
        0,
        "CHN",
        "At the Conference of the Parties to the UN Convention against Transnational "
        "Organized Crime",
        "At the ninth session of the Conference of the Parties to the UN Convention "
        "against Transnational Organized Crime in Vienna, Ambassador Wang Qun said "
        "China backed the UN expert group on cybercrime (IEG) in further developing "
        "rules for international cooperation.",
        XINHUA_COP9_URL,
        (),
        note=row(3)
        + " Said on 15 October 2018 (reported by Xinhua)."
        + BEFORE_COMMITTEE
        + " A year later China co-sponsored resolution 74/247, which moved the work "
        "to a new General Assembly committee; the notes read this as a change of "
        "position, an inference they tag [P], so public text does not say it. Not "
        "coded: backing the expert group is no stance on a convention.",
    )
    yield _statement(
        0,
        "RUS",
        "On the Third Committee's approval of the draft that became resolution 74/247",
        "Russia's Foreign Ministry said the text approved by the Third Committee "
        "secures states' “digital sovereignty” over their information space. Russia "
        "and its supporters saw the future treaty as a universal criminal-law "
        "instrument.",
        MID_74_247_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Russia and its supporters saw the future treaty as a universal "
                "criminal-law instrument",
                summary(4),
            ),
        ),
        kind="written",
        sources=(MID_74_247_URL, TASS_74_247_URL),
        note=row(4)
        + " Comment of 22 November 2019 on the Third Committee's vote of 18 November "
        "2019."
        + BEFORE_COMMITTEE
        + " The notes cite the mid.ru page as mid.ru/en/foreign_policy/…/content/id/"
        "3909516; its full address is the one they give in §2.2 row 6.",
    )
    yield _statement(
        0,
        "QAT",
        "Statement to the Commission on Crime Prevention and Criminal Justice",
        "Ambassador Sultan bin Salmeen Al Mansouri told the Commission on Crime "
        "Prevention and Criminal Justice (CCPCJ) at its 30th session that Qatar had "
        "voted for a UN resolution to draw up a comprehensive convention against "
        "cybercrime, and had founded its National Cybersecurity Agency.",
        QATAR_CCPCJ_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Qatar had voted for a UN resolution to draw up a comprehensive "
                "convention against cybercrime",
                summary(8),
            ),
        ),
        verification=PARTLY_VERIFIED,
        note="Partly verified: the statement says “this year”, so it is unclear "
        "whether resolution 74/247 (2019, Qatar recorded Yes) or 75/282 (2021, "
        "adopted without a vote) is meant. "
        + row(8)
        + " Said at the CCPCJ's 30th session (2021)."
        + BEFORE_COMMITTEE,
    )
    yield _statement(
        0,
        "RUS",
        "The presidential envoy on the preparations for the negotiations",
        "Andrey Krutskikh, the Russian President's special envoy, complained of "
        "efforts to play down Russia's role and to set up conditions that would "
        "disrupt the start of the negotiations in January 2022.",
        TASS_KRUTSKIKH_URL,
        (),
        note=row(10) + " Said on 16 December 2021." + BEFORE_COMMITTEE,
    )
    yield _statement(
        1,
        "USA",
        "Remarks of Principal Deputy Assistant Secretary Walsh",
        "James Walsh said that, because of Russia's invasion of Ukraine, the United "
        "States would treat Russian proposals with “extreme skepticism”, as not "
        "offered in good faith.",
        STATE_WALSH_URL,
        (),
        note=row(11) + " The notes date it 28 February-1 March 2022, so no day is "
        "given.",
    )
    yield _statement(
        1,
        "EU",
        "On Russia's cyberattacks on Ukraine",
        "The European Union said Russia's cyberattacks on Ukraine were “not conducive "
        "to a constructive engagement with Russia” on the treaty.",
        EFF_S1_URL,
        (),
        date=D(2022, 3, 1),
        note=row(12) + " Reported by EFF.",
    )
    yield _statement(
        1,
        "QAT",
        "Support for a comprehensive international convention",
        "Ambassador Sheikha Alya Ahmed bin Saif Al-Thani said Qatar gives the "
        "comprehensive convention high priority, and tabled three proposals on its "
        "scope, objectives and structure.",
        QATAR_S1_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Gave the comprehensive convention high priority",
                summary(13),
            ),
        ),
        date=D(2022, 3, 2),
        note=row(13)
        + " The source excerpt the notes read is cut off before the content of the "
        "three proposals (that part is partly verified), so they are not described "
        "or coded.",
    )
    yield _statement(
        2,
        "RUS",
        "Foreign Ministry on the outcome of the first session",
        "Russia's Foreign Ministry said an eight-chapter structure for the "
        "convention was approved by consensus at the first session, and that "
        "resolution 74/247 had been adopted with 46 co-authors.",
        GLOBALSECURITY_S1_URL,
        (),
        kind="written",
        note=row(14)
        + " Press release of 12 March 2022, the day after the first session closed; "
        "recorded under the second session. The ministry gave 47 co-sponsors in "
        "November 2019 (notes §2.2).",
    )


# --- 1.2: second to sixth sessions and the 2022 Third Committee -----------------------

Q_NZ_NARROW = (
    "Proposed a narrow set of offences: core cyber-dependent crimes plus a limited "
    "set of cyber-enabled crimes where ICT greatly increases the harm"
)


def _second_to_sixth_sessions():
    yield _statement(
        2,
        "NZL",
        "Written submission on criminalization",
        "New Zealand's written submission proposed a narrow set of offences: the "
        "core cyber-dependent crimes, plus a limited set of cyber-enabled crimes "
        "where ICT greatly increases the harm.",
        NZ_FEEDBACK_URL,
        ((BROAD_SCOPE, OPPOSE, Q_NZ_NARROW, summary(15)),),
        kind="written",
        verification=PARTLY_VERIFIED,
        note="Partly verified: New Zealand's approach is described through the "
        "government's summary of the feedback to its public consultation. "
        + row(15)
        + " The feedback also asked for a criminal-intent requirement for illegal "
        "access, to protect security research: the public's view, not coded for "
        "New Zealand.",
    )
    s3 = " Reported by dig.watch (the third session's page)."
    yield _statement(
        3,
        "BRA",
        "Proposals on international cooperation",
        "Brazil drafted its proposals from the Russian, Chinese and Budapest "
        "Convention texts. It said dual criminality should be required for mutual "
        "legal assistance, except for requests for expedited preservation of data.",
        DIG_S3_URL,
        (),
        note=row(16) + s3 + NO_PROVISION.format(what="dual criminality"),
    )
    eu_s3 = (
        (
            17,
            "Dual criminality",
            "The EU and its member states said dual criminality shall be fulfilled.",
            "dual criminality",
        ),
        (
            18,
            "Human rights in international cooperation",
            "The EU and its member states said cooperation must fully protect human "
            "rights as set out in the Universal Declaration of Human Rights, the "
            "International Covenant on Civil and Political Rights, the UN Convention "
            "against Transnational Organized Crime and the Convention on the Rights "
            "of the Child with its Optional Protocol.",
            "human rights in international cooperation",
        ),
        (
            19,
            "Refusal of extradition on grounds of discrimination",
            "The EU and its member states said extradition should be refused where "
            "there are substantial grounds to believe that the request aims to "
            "prosecute or punish a person because of sex, race, religion, political "
            "opinion or similar status.",
            "extradition",
        ),
        (
            20,
            "24/7 network and settlement of disputes",
            "The EU and its member states supported a 24/7 contact platform, and said "
            "disputes not settled by negotiation or arbitration could go to the "
            "International Court of Justice.",
            "the 24/7 network or the settlement of disputes",
        ),
    )
    for n, title, text, what in eu_s3:
        yield _statement(
            3,
            "EU",
            title,
            text,
            DIG_S3_URL,
            (),
            on_behalf_of=EU_MEMBERS,
            note=row(n) + s3 + NO_PROVISION.format(what=what),
        )
    yield _statement(
        3,
        "USA",
        "Tools of international cooperation",
        "The United States said the treaty should enable expedited preservation of "
        "stored data, mutual legal assistance and a 24/7 network.",
        DIG_S3_URL,
        (),
        verification=PARTLY_VERIFIED,
        note="Partly verified: the source excerpt the notes read is cut off after "
        "these three tools. " + row(21) + s3,
    )
    yield _statement(
        3,
        "USA",
        "Proposal on the mechanism of implementation",
        "The United States proposed that the Commission on Crime Prevention and "
        "Criminal Justice (CCPCJ) serve as the convention's mechanism of "
        "implementation, on the model of the Commission on Narcotic Drugs for the "
        "drug control treaties, so that no new stand-alone body is needed.",
        US_IMPLEMENTATION_URL,
        (),
        kind="written",
        note=row(22)
        + " Proposed before the third session and recalled in the US statement at "
        "the fifth session (the source); recorded under the third session."
        + NO_PROVISION.format(what="the mechanism of implementation"),
    )
    yield _statement(
        4,
        "AUS",
        "Explanation of vote on strengthening the UN crime prevention and criminal "
        "justice programme",
        "Australia, speaking for Canada, Iceland, Liechtenstein, New Zealand, Norway "
        "and Australia, welcomed that the crime-prevention omnibus resolution kept "
        "the term “cybercrime” by consensus. The alternatives proposed were vague "
        "and never reached consensus; terminology should be settled in the Ad Hoc "
        "Committee, not by precedent set in the Third Committee.",
        "",
        (),
        kind="joint",
        co_signers=("CAN", "ISL", "LIE", "NZL", "NOR"),
        status=DRAFT,
        note=row(24)
        + " Said at the General Assembly's Third Committee on 15 November 2022; "
        "recorded under the fourth session."
        + cut_source(
            "dfat.gov.au/…/77th-session/explanation-vote-strengthening-united-"
            "nations-crime-prevention-and-criminal-justice-programme-…-15-november-"
            "2022"
        ),
    )
    yield _statement(
        4,
        "IND",
        "Statement at the Third Committee",
        "Counsellor Ashish Sharma said terrorists use ICT, new digital payment "
        "methods, encrypted messaging, crypto-currencies, crowdfunding and drones, "
        "and that most states lack the capacity to respond.",
        INDIA_TC22_URL,
        (),
        note=row(25)
        + " Said at the Third Committee on 3 October 2022; recorded under the fourth "
        "session. Not coded: the notes read it as support for a broad scope, which "
        "the statement does not say.",
    )
    yield _statement(
        5,
        "RUS",
        "Foreign Ministry on the consolidated negotiating document",
        "Russia's Foreign Ministry said many provisions of the Chair's consolidated "
        "negotiating document matched Russia's draft of July 2021. With like-minded "
        "and developing states, Russia wants the treaty to apply broadly and to "
        "commit parties to protect national sovereignty.",
        GLOBALSECURITY_S4_URL,
        (
            (
                BROAD_SCOPE,
                SUPPORT,
                "Russia wants the treaty to apply broadly",
                summary(26),
            ),
        ),
        kind="written",
        note=row(26)
        + " Press release of 23 January 2023 on the fourth session (9-20 January), "
        "published after it closed; recorded under the fifth session.",
    )
    yield _statement(
        5,
        "USA",
        "Statement under agenda item 7 (implementation)",
        "The United States moved from its proposal of the CCPCJ to accepting the "
        "co-facilitators' compromise as the working basis, with revisions. It said "
        "it was flexible on the means; its goals were effectiveness, efficiency, "
        "transparency and inclusiveness.",
        US_IMPLEMENTATION_URL,
        (),
        date=D(2023, 4, 20),
        note=row(23) + NO_PROVISION.format(what="the mechanism of implementation"),
    )
    yield _statement(
        6,
        "CHN",
        "China's aims in the negotiations, as analysed by the Leiden Asia Centre",
        "An analysis of China's positions by Zhang and Creemers (Leiden Asia Centre) "
        "found four aims: a treaty based at the United Nations as its primary "
        "objective, state sovereignty in cyberspace as a principle of the text, a "
        "broad range of criminalization, and conditions on transborder access to "
        "data.",
        LEIDEN_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "a UN-based treaty as its primary objective",
                summary(27),
            ),
            (BROAD_SCOPE, SUPPORT, "a broad range of criminalisation", summary(27)),
        ),
        note=row(27)
        + " A secondary analysis (February 2024) of the first six sessions; recorded "
        "under the sixth, the last it covers.",
    )


# --- 1.3: concluding session (29 Jan - 9 Feb 2024) ------------------------------------


def _concluding_session():
    cs = " Reported by dig.watch (5 February 2024)."
    yield _statement(
        7,
        "RUS",
        "On the title and an additional protocol",
        "The Russian Federation proposed the title “Countering the use of ICT for "
        "criminal purposes” for the draft resolution and convention, and an "
        "additional protocol to cover more ICT-enabled offences.",
        DIG_CS_URL,
        (),
        date=D(2024, 2, 5),
        verification=PARTLY_VERIFIED,
        note=DIG_AI
        + " "
        + row(30)
        + cs
        + NO_PROVISION.format(what="the title or a protocol"),
    )
    yield _statement(
        7,
        "IRN",
        "On the draft General Assembly resolution",
        "Iran proposed language in the draft resolution urging states to refrain "
        "from unilateral economic measures that impede international cooperation.",
        DIG_CS_URL,
        (),
        date=D(2024, 2, 5),
        verification=PARTLY_VERIFIED,
        note=DIG_AI
        + " "
        + row(31)
        + cs
        + NO_PROVISION.format(what="the draft resolution"),
    )
    yield _statement(
        7,
        "USA",
        "On the title and the draft resolution",
        "The United States, backed by several other delegations, opposed the "
        "Russian and the Iranian proposals and favoured the title “Countering "
        "Cybercrime”.",
        DIG_CS_URL,
        (),
        date=D(2024, 2, 5),
        also_for="several other delegations",
        verification=PARTLY_VERIFIED,
        note=DIG_AI
        + " "
        + row(32)
        + cs
        + NO_PROVISION.format(what="the title or the draft resolution"),
    )
    yield _statement(
        7,
        "AUS",
        "Extradition: Article 37(18) of the further revised draft",
        "At the third reading, Australia supported paragraph 18 of Article 37 "
        "(extradition) of the further revised draft as drafted.",
        OTTER_THIRD_READING_URL,
        (),
        verification=PARTLY_VERIFIED,
        note=OTTER
        + " "
        + row(33)
        + " The notes date the third reading about 8 February 2024, so no day is "
        "given." + NO_PROVISION.format(what="extradition"),
    )


# --- 1.4: reconvened concluding session (29 Jul - 9 Aug 2024) -------------------------


def _dig_meeting(meeting, address):
    return (
        f" Reported in dig.watch's report of the {meeting} meeting, which the notes "
        f"cite with its address cut short ({address}); the source URL is the "
        "session's event page on dig.watch, the full address the notes give for "
        "those reports (ahc-facts.md §4)."
    )


DIG_13TH = _dig_meeting(
    "13th", "dig.watch/event/reconvened-concluding-session-…/13th-meeting-…"
)
DIG_14TH = _dig_meeting(
    "14th", "dig.watch/event/reconvened-concluding-session-…/14th-meeting-…"
)
DIG_19TH = _dig_meeting(
    "19th (titled “17th meeting”)",
    "dig.watch/event/reconvened-concluding-session-…/19th-meeting-…",
)
CSAM_CODING = (
    " Coded on Article 14 as a whole; `wants` says which paragraph the stance is about."
)


def _reconvened_session():
    yield _statement(
        8,
        "PRY",
        "Article 52: the new paragraph taken from the Convention against Corruption",
        "Paraguay suggested a slight change to the new paragraph of Article 52 taken "
        "from Article 57(4) of the UN Convention against Corruption; the small group "
        "supported it.",
        DIG_RCS_EVENT_URL,
        (),
        date=D(2024, 8, 1),
        verification=PARTLY_VERIFIED,
        note=DIG_AI
        + " "
        + row(35)
        + _dig_meeting(
            "8th", "dig.watch/event/reconvened-concluding-session-…/8th-meeting-…"
        )
        + NO_PROVISION.format(what="Article 52"),
    )
    yield _statement(
        8,
        "CAN",
        "Draft resolution, paragraph 6",
        "Canada asked to keep paragraph 6 of the draft resolution open, because it "
        "depends on the process of paragraph 5 (the negotiation of protocols).",
        DIG_RCS_10TH_URL,
        (),
        date=D(2024, 8, 2),
        verification=PARTLY_VERIFIED,
        note=DIG_AI
        + " "
        + row(36)
        + " Reported in dig.watch's report of the 10th meeting."
        + NO_PROVISION.format(what="the draft resolution"),
    )
    yield _statement(
        8,
        "JPN",
        "Article 14(3): material that depicts no real child",
        "Japan insisted on keeping paragraph 3 of Article 14. It lets a party "
        "distinguish material depicting real children from material that does not "
        "(for example fictional or generated material), on the argument that the "
        "latter does not directly harm a real child.",
        DIG_RCS_EVENT_URL,
        (
            (
                CSAM,
                SUPPORT,
                "Insisted on keeping para. 3",
                summary(38) + CSAM_CODING,
                "keep paragraph 3",
            ),
        ),
        date=D(2024, 8, 6),
        verification=PARTLY_VERIFIED,
        note=DIG_AI + " " + row(38) + DIG_13TH,
    )
    yield _statement(
        8,
        "IRN",
        "Article 14(3): the distinction between real and non-real material",
        "Iran and the Russian Federation opposed the distinction between material "
        "depicting real children and non-real material, saying it normalises crimes "
        "against children.",
        DIG_RCS_EVENT_URL,
        (
            (
                CSAM,
                WITH_CHANGES,
                "Opposed the real/non-real distinction, saying it normalises crimes "
                "against children",
                summary(39)
                + CSAM_CODING
                + " Coded support with changes: they oppose the paragraph that lets "
                "a party leave non-real material out, not the offences.",
                "delete paragraph 3 (the real/non-real distinction)",
            ),
        ),
        date=D(2024, 8, 6),
        supporters=("RUS",),
        verification=PARTLY_VERIFIED,
        note=DIG_AI + " " + row(39) + DIG_13TH,
    )
    yield _statement(
        8,
        "CHE",
        "Article 14(4): “without right”",
        "Switzerland, with others, supported the text of Article 14(4) as in “REF "
        "3”, including “without right”: national authorities need the phrase to "
        "handle child sexual abuse material lawfully when acting against it.",
        DIG_RCS_EVENT_URL,
        (
            (
                CSAM,
                SUPPORT,
                "Supported the text as in “REF 3”, including “without right”",
                summary(40) + CSAM_CODING,
                "keep “without right” in paragraph 4",
            ),
        ),
        date=D(2024, 8, 6),
        also_for="others",
        verification=PARTLY_VERIFIED,
        note=DIG_AI + " " + row(40) + DIG_14TH,
    )
    yield _statement(
        8,
        "UGA",
        "Article 14(4): “without right”",
        "Uganda and the Democratic Republic of the Congo wanted “without right” "
        "deleted: in their view it implies that some exploitation could be lawful, "
        "which conflicts with their national laws and the Convention on the Rights "
        "of the Child.",
        DIG_RCS_EVENT_URL,
        (
            (
                CSAM,
                WITH_CHANGES,
                "Wanted “without right” deleted",
                summary(41) + CSAM_CODING,
                "delete “without right” from paragraph 4",
            ),
        ),
        date=D(2024, 8, 6),
        supporters=("COD",),
        verification=PARTLY_VERIFIED,
        note=DIG_AI + " " + row(41) + DIG_14TH,
    )
    yield _statement(
        8,
        "IRN",
        "Attempts to delete human-rights provisions",
        "At the end of the session Iran, receiving support from dozens of states, "
        "tried repeatedly to remove almost all the remaining human-rights "
        "protections from the text, among them Article 6(2) and Article 24. Each "
        "attempt was defeated.",
        EFF_RCS_URL,
        (
            (
                SAFEGUARDS,
                OPPOSE,
                "Tried repeatedly to remove almost all the surviving human-rights "
                "protections",
                summary(42)
                + " The excerpt the notes read does not say which articles were put "
                "to a vote, or the tallies; Article 24 is among those the row names.",
            ),
        ),
        date=D(2024, 8, 8),
        also_for="dozens of states (not named)",
        note=row(42)
        + " Reported by EFF (and mirrors). Article 6 is not coded: the row names "
        "its paragraph 2 only, not a stance on the article.",
    )
    closing = (
        (
            "CRI",
            "Costa Rica said in its closing statement that the text lacks safeguards "
            "against misuse for political repression, and wanted an explicit ground "
            "to refuse judicial cooperation for political offences.",
            43,
            " Not coded: the demo has no provision for grounds to refuse cooperation.",
        ),
        ("ECU", "Ecuador called the text a balanced outcome.", 44, ""),
        (
            "SYR",
            "Syria entered reservations on articles that do not fit its national "
            "rules or societal values, particularly on the inclusiveness of human "
            "rights.",
            45,
            " Not coded: the row names no article.",
        ),
        (
            "BFA",
            "Burkina Faso was unhappy that Article 6(2) had no consensus, and with "
            "the title chosen.",
            46,
            " Not coded: the row does not say what Burkina Faso wanted in Article "
            "6(2).",
        ),
    )
    for actor, text, n, more in closing:
        yield _statement(
            8,
            actor,
            "Closing statement",
            text,
            DIG_RCS_EVENT_URL,
            (),
            date=D(2024, 8, 9),
            verification=PARTLY_VERIFIED,
            note=DIG_AI + " " + row(n) + DIG_19TH + more,
        )


# --- 1.5: Third Committee 2024, Hanoi signing, rules-of-procedure session -------------

AFTER_SESSIONS = (
    " Recorded under the session on the rules of procedure (January 2026), the "
    "first Committee session after it."
)
AFTER_LAST = (
    " Made after the last Committee session on record (January 2026); recorded "
    "under it."
)


def _third_committee_signing_and_rules():
    yield _statement(
        9,
        "AUS",
        "Explanation of position on the adoption of the convention",
        "Yunei Kim, First Secretary, said Australia joined consensus because of the "
        "convention's safeguards: Article 6 (a “uniquely high bar” among "
        "criminal-justice treaties), Article 24 (limits on procedural powers), "
        "Article 36 (conditions on personal data) and Article 40(22) "
        "(non-discrimination). Australia would have liked some elements added or "
        "set out differently.",
        DFAT_ADOPTION_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Joined consensus because of the safeguards",
                summary(47),
            ),
            (
                HUMAN_RIGHTS,
                SUPPORT,
                "Art. 6 (a “uniquely high bar” among criminal-justice treaties)",
                summary(47),
            ),
            (
                SAFEGUARDS,
                SUPPORT,
                "Art. 24 (limits on procedural powers)",
                summary(47),
            ),
        ),
        note=row(47)
        + " The source does not give the date (partly verified): said at the "
        "adoption, either at the reconvened concluding session (August 2024) or at "
        "the Third Committee (November 2024)."
        + " Recorded under the session on the rules of procedure (January 2026), "
        "the first Committee session after both.",
    )
    yield _statement(
        9,
        "EU",
        "Explanation of position at the Third Committee on the adoption of the "
        "convention",
        "The EU and its member states welcomed the consensus. They called the treaty "
        "an unprecedented instrument that adds value against child sexual abuse and "
        "will help close “safe havens”, and said its safeguards are essential for "
        "trust.",
        IEU_TC24_URL,
        ((CONVENTION, SUPPORT, "Welcomed the consensus", summary(48)),),
        on_behalf_of=EU_MEMBERS,
        supporters=("MKD", "MNE", "SRB", "ALB", "MDA", "BIH", "GEO"),
        note=row(48)
        + " Explanation of position at the Third Committee on 11 November 2024."
        + AFTER_SESSIONS
        + " The aligned states are its supporters.",
    )
    yield _statement(
        9,
        "NZL",
        "Statement at the Third Committee",
        "New Zealand supports adoption, but the scope is broader than it wanted and "
        "the procedural powers are significant. It warned the text would be open to "
        "abuse without safeguards, and pushed for mandatory human-rights "
        "protections, now found in Articles 6, 24, 36 and 40(21)-(22). It is "
        "worried by states that criticise or try to undermine those safeguards.",
        MFAT_TC24_URL,
        (
            (CONVENTION, SUPPORT, "Supports adoption", summary(49)),
            (
                HUMAN_RIGHTS,
                SUPPORT,
                "pushed for mandatory human-rights protections, now found in Arts 6, "
                "24, 36 and 40(21)-(22)",
                summary(49),
            ),
            (
                SAFEGUARDS,
                SUPPORT,
                "pushed for mandatory human-rights protections, now found in Arts 6, "
                "24, 36 and 40(21)-(22)",
                summary(49),
            ),
            (
                BROAD_SCOPE,
                OPPOSE,
                "the scope is broader than NZ wanted",
                summary(49),
            ),
        ),
        note=row(49)
        + " Said at the Third Committee in November 2024 (the date is partly "
        "verified)." + AFTER_SESSIONS,
    )
    yield _statement(
        9,
        "GBR",
        "Human rights must be protected: statement at the Third Committee",
        "Liz Page, First Secretary, said states must provide the conditions and "
        "safeguards of Article 24 in domestic law: the duty is not optional and not "
        "subordinate to domestic law, and under Article 24(4) it also applies in "
        "international cooperation. A few member states have already tried to deny "
        "or dodge these duties.",
        GOVUK_TC24_URL,
        (
            (
                SAFEGUARDS,
                SUPPORT,
                "States must provide Art. 24 conditions and safeguards in domestic "
                "law: the duty is not optional",
                summary(50),
            ),
        ),
        note=row(50)
        + " Said at the Third Committee in November 2024."
        + AFTER_SESSIONS,
    )
    yield _statement(
        9,
        "GBR",
        "National statement at the signing in Hanoi",
        "Andrew Whittaker, the FCDO's Cyber Director, said on signing the convention "
        "in Hanoi that the United Kingdom will not cooperate with any country that "
        "fails to comply with its safeguards.",
        UK_HANOI_URLS[0],
        ((CONVENTION, SUPPORT, "Signed in Hanoi", summary(51)),),
        sources=UK_HANOI_URLS,
        note=row(51)
        + " Said at the signing in Hanoi on 25 October 2025."
        + AFTER_SESSIONS
        + " The United Kingdom voted against resolution 74/247 in 2019.",
    )
    yield _statement(
        9,
        "AUS",
        "Statement at the signing in Hanoi",
        "Matt Thistlethwaite, Assistant Minister, said Australia was proud to sign "
        "the convention.",
        VOV_HANOI_URL,
        ((CONVENTION, SUPPORT, "Australia was proud to sign", summary(52)),),
        note=row(52)
        + " Said at the signing in Hanoi on 25 October 2025."
        + AFTER_SESSIONS
        + " Australia voted against resolutions 73/187 and 74/247.",
    )
    yield _statement(
        9,
        "EU",
        "Declaration at the signing in Hanoi",
        "The EU and its member states welcomed the convention as a collective "
        "success that complements long-standing frameworks for cooperation, such as "
        "the Budapest Convention.",
        EEAS_HANOI_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Welcomed the convention as a collective success",
                summary(53),
            ),
        ),
        on_behalf_of=EU_MEMBERS,
        kind="written",
        note=row(53)
        + " Published at the signing in Hanoi in October 2025."
        + AFTER_SESSIONS,
    )
    yield _statement(
        9,
        "QAT",
        "Statement at the signing in Hanoi",
        "Dr Maryam Al Misnad, Minister of State, signed the convention for Qatar and "
        "recalled Qatar's early support for it and the UN regional centre against "
        "cybercrime in Doha.",
        QATAR_HANOI_URLS[0],
        ((CONVENTION, SUPPORT, "Signed; recalled Qatar's early support", summary(54)),),
        sources=QATAR_HANOI_URLS,
        verification=PARTLY_VERIFIED,
        note="Partly verified: the notes tag the row [P] (news reports only). "
        + row(54)
        + " Said at the signing in Hanoi in October 2025."
        + AFTER_SESSIONS,
    )
    yield _statement(
        9,
        "RUS",
        "On the signing of the convention",
        "President Putin called the signing a historic event, owed to the wide "
        "support for Russia's 2019 proposal.",
        "",
        (
            (
                CONVENTION,
                SUPPORT,
                "Called the signing a historic event",
                summary(55),
            ),
        ),
        status=DRAFT,
        verification=PARTLY_VERIFIED,
        note="Partly verified: a secondary news summary. "
        + row(55)
        + " Said in October 2025, at the signing."
        + AFTER_SESSIONS
        + cut_source("gayaone.com/en/world-events/summary/…"),
    )
    yield _statement(
        9,
        "VNM",
        "Statement at the session on the rules of procedure",
        "Ambassador Vu Le Thai Hoang urged states to sign and ratify the convention "
        "quickly, said Viet Nam was completing its domestic procedures and would "
        "ratify as early as possible, and called for rules of procedure of the "
        "Conference of the States Parties agreed by consensus.",
        VIETNAMPLUS_ROP_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Urged states to sign and ratify quickly",
                summary(56),
            ),
        ),
        note=row(56) + " The notes' second source is cut short: en.baochinhphu.vn/…"
        "11126012815110605.htm.",
    )
    yield _statement(
        9,
        "EU",
        "Statement at the session on the rules of procedure",
        "The EU and its member states committed to effective implementation of the "
        "convention, and noted that the EU and 13 member states were among the first "
        "signatories. They congratulated the new Chair of the Bureau, Eduardo Paes "
        "Saboia (Brazil), and thanked the co-facilitators on the rules of "
        "procedure, Alex Wetzig Abdale (Chile) and Mohamed Nasr (Egypt).",
        EEAS_ROP_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Committed to effective implementation",
                summary(57),
            ),
        ),
        date=D(2026, 1, 26),
        on_behalf_of=EU_MEMBERS,
        supporters=(
            "ALB",
            "ARM",
            "BIH",
            "ISL",
            "MNE",
            "MKD",
            "NOR",
            "MDA",
            "SRB",
            "UKR",
        ),
        sources=((EEAS_ROP_URL, "actor_statement"),),
        note=row(57)
        + " An EEAS release, read on a mirror (pubt.io). The aligned states are its "
        "supporters.",
    )
    yield _statement(
        9,
        "CAN",
        "Announcement of Canada's signature",
        "Ministers Anand, Anandasangaree and Fraser announced that Canada had signed "
        "the convention, stressing its provisions on child protection. Canada was "
        "reported as joining 76 other signatories.",
        GEIST_CANADA_URL,
        ((CONVENTION, SUPPORT, "Canada had signed the convention", summary(60)),),
        verification=PARTLY_VERIFIED,
        note="Partly verified: read in news digests on GitHub (in Chinese and "
        "English) that quote this post by Michael Geist, not at the source. "
        + row(60)
        + " Announced in July 2026."
        + AFTER_LAST
        + " The digests also note that Canada had stressed the human-rights risks "
        "during the negotiations (not coded). The signature itself is among the "
        "formal acts (acts.py).",
    )
    yield _statement(
        9,
        "CHE",
        "Assessment of the negotiations",
        "Switzerland's negotiators at the Federal Department of Foreign Affairs and "
        "the Federal Department of Justice and Police called the consensus a win "
        "for multilateralism and the text a hard-won compromise. Positions were far "
        "apart at the start and stayed divergent to the end.",
        EDA_URL,
        (
            (
                CONVENTION,
                SUPPORT,
                "Called the consensus a win for multilateralism",
                summary(62),
            ),
        ),
        kind="written",
        note=row(62)
        + " Published in December 2024."
        + AFTER_SESSIONS
        + " English mirror on schweizerbeitrag.admin.ch.",
    )


STATEMENTS = (
    *_before_and_first_session(),
    *_second_to_sixth_sessions(),
    *_concluding_session(),
    *_reconvened_session(),
    *_third_committee_signing_and_rules(),
)
