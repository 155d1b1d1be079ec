"""Formal acts of the UN Convention against Cybercrime: the recorded votes of 2018 and
2019, their sponsors, adoption, the signature period, the rule for entry into force,
and the signatures and ratification steps the sources give.

Source: the research notes ../shared/source/ahc-facts-2.md (§2 votes and sponsors, §3
ratification steps, §6 signatories) and ahc-facts.md (§1.3 adoption, signature period,
entry into force). Each fact keeps its source URLs as the notes give them. Facts the
notes tag [P] are loaded as partly verified; facts tagged [U] are left out (see
LEFT_OUT). Names are printed as the sources print them and matched to actors by
states.names, as a pasted vote would be.
"""

import datetime

D = datetime.date

VERIFIED = "verified"
PARTLY = "partly_verified"

UNTC = (
    "https://treaties.un.org/doc/Publication/MTDSG/Volume II/Chapter XVIII/"
    "XVIII-16.en.xml"
)
VERDRAGEN = "https://verdragen.nl/nl/Verdrag/Details/013891_p.html"
UNVOTES = "https://github.com/dgrtwo/unvotes"

# ahc-facts.md §1.3 [V]: GA resolution 79/243 adopted without a vote on 24 Dec 2024
# (so there is no recorded vote to load); open for signature in Hanoi from 25 Oct
# 2025 and at UN Headquarters until 31 Dec 2026; in force on the 90th day after the
# 40th instrument, instruments of a regional organization not counted (Art. 65).
TREATY_ACTS = {
    "adopted_on": D(2024, 12, 24),
    "signature_opens_on": D(2025, 10, 25),
    "signature_closes_on": D(2026, 12, 31),
    "entry_into_force_threshold": 40,
    "entry_into_force_delay_days": 90,
    "regional_orgs_count": False,
}
TREATY_ACTS_SOURCES = (
    UNTC,
    "https://press.un.org/en/2024/sgsm22505.doc.htm",
)

QUESTION_74_247 = (
    "Establish an open-ended ad hoc intergovernmental committee of experts to "
    "elaborate a comprehensive international convention (resolution 74/247)."
)
QUESTION_73_187 = (
    "Adopt resolution 73/187 on countering the use of information and "
    "communications technologies for criminal purposes."
)
TITLE = (
    "Countering the use of information and communications technologies for "
    "criminal purposes"
)

# ahc-facts-2.md §2.3 and §2.4 [V]: the lists as the notes print them, read from the
# Voeten / Strezhnev / Bailey UN General Assembly voting data (rcid 9087 and 6138).
BALLOTS_74_247 = """
- **In favour (79):** Algeria; Antigua and Barbuda; Armenia; Azerbaijan; Belarus;
  Bhutan; Botswana; Brunei Darussalam; Burundi; Cambodia; Cameroon; Central African
  Republic; Chad; China; Cuba; DPRK; Egypt; Equatorial Guinea; Eritrea; Ethiopia;
  Gabon; Gambia; Guinea; India; Indonesia; Iran; Iraq; Jamaica; Jordan; Kazakhstan;
  Kenya; Kuwait; Kyrgyzstan; Lao PDR; Lebanon; Libya; Madagascar; Malawi; Malaysia;
  Maldives; Mali; Mauritania; Mongolia; Mozambique; Myanmar; Namibia; Nauru; Nepal;
  Nicaragua; Niger; Nigeria; Oman; Pakistan; Qatar; Russian Federation; Rwanda;
  Saint Kitts and Nevis; Saint Lucia; Saint Vincent and the Grenadines; Senegal;
  Serbia (dataset label "Yugoslavia"); Singapore; South Africa; Sri Lanka; Sudan;
  Suriname; Syria; Tajikistan; Tanzania; Thailand; Togo; Turkmenistan; Uganda;
  United Arab Emirates; Uzbekistan; Venezuela; Viet Nam; Yemen; Zimbabwe
- **Against (60):** Albania; Andorra; Australia; Austria; Belgium; Belize; Bosnia
  and Herzegovina; Bulgaria; Cabo Verde; Canada; Chile; Colombia; Croatia; Cyprus;
  Czechia; Denmark; Dominican Republic; Estonia; Finland; France; Georgia; Germany;
  Greece; Honduras; Hungary; Iceland; Ireland; Israel; Italy; Japan; Latvia;
  Liechtenstein; Lithuania; Luxembourg; Malta; Marshall Islands; Micronesia;
  Moldova; Monaco; Montenegro; Netherlands; New Zealand; North Macedonia; Norway;
  Panama; Paraguay; Poland; Portugal; Republic of Korea; Romania; San Marino;
  Slovakia; Slovenia; Spain; Sweden; Switzerland; Tonga; Ukraine; United Kingdom;
  United States
- **Abstaining (33):** Argentina; Bahamas; Bahrain; Bangladesh; Barbados; Bolivia;
  Brazil; Costa Rica; Côte d'Ivoire; Djibouti; Ecuador; El Salvador; Ghana;
  Guatemala; Guyana; Haiti; Lesotho; Mauritius; Mexico; Morocco; Palau; Papua New
  Guinea; Peru; Philippines; Saudi Arabia; Solomon Islands; Timor-Leste; Trinidad
  and Tobago; Tunisia; Tuvalu; Türkiye; Uruguay; Zambia
- **Non-voting (21):** Afghanistan; Angola; Benin; Burkina Faso; Comoros; Congo; DR
  Congo; Dominica; Eswatini; Fiji; Grenada; Guinea-Bissau; Kiribati; Liberia; Samoa;
  Sao Tome and Principe; Seychelles; Sierra Leone; Somalia; South Sudan; Vanuatu
"""

BALLOTS_73_187 = """
- **In favour (94):** Algeria; Angola; Armenia; Azerbaijan; Bahrain; Belarus;
  Belize; Benin; Bhutan; Bolivia; Botswana; Brazil; Brunei Darussalam; Burkina Faso;
  Burundi; Cambodia; Cameroon; Chad; China; Congo; Cuba; Côte d'Ivoire; DPRK;
  Dominica; Ecuador; Egypt; El Salvador; Equatorial Guinea; Eritrea; Ethiopia;
  Gabon; Guinea; Guinea-Bissau; India; Indonesia; Iran; Iraq; Jamaica; Jordan;
  Kazakhstan; Kenya; Kuwait; Kyrgyzstan; Lao PDR; Lebanon; Libya; Madagascar;
  Malawi; Malaysia; Maldives; Mali; Mauritania; Mongolia; Morocco; Mozambique;
  Myanmar; Namibia; Nepal; Nicaragua; Niger; Nigeria; Oman; Pakistan; Palau; Qatar;
  Russian Federation; Saint Kitts and Nevis; Saint Lucia; Saint Vincent and the
  Grenadines; Sao Tome and Principe; Saudi Arabia; Serbia (dataset label
  "Yugoslavia"); Seychelles; Singapore; Somalia; South Africa; South Sudan; Sri
  Lanka; Sudan; Suriname; Syria; Tajikistan; Tanzania; Thailand; Togo; Turkmenistan;
  Uganda; United Arab Emirates; Uzbekistan; Venezuela; Viet Nam; Yemen; Zambia;
  Zimbabwe
- **Against (59):** Albania; Andorra; Australia; Austria; Belgium; Bosnia and
  Herzegovina; Bulgaria; Canada; Chile; Croatia; Cyprus; Czechia; Denmark; Dominican
  Republic; Estonia; Finland; France; Georgia; Germany; Greece; Honduras; Hungary;
  Iceland; Ireland; Israel; Italy; Japan; Kiribati; Latvia; Liechtenstein;
  Lithuania; Luxembourg; Malta; Marshall Islands; Micronesia; Moldova; Monaco;
  Montenegro; Netherlands; New Zealand; North Macedonia; Norway; Panama; Poland;
  Portugal; Republic of Korea; Romania; San Marino; Slovakia; Slovenia; Solomon
  Islands; Spain; Sweden; Switzerland; Tonga; Ukraine; United Kingdom; United
  States; Vanuatu
- **Abstaining (33):** Antigua and Barbuda; Argentina; Bahamas; Bangladesh;
  Barbados; Cabo Verde; Colombia; Costa Rica; DR Congo; Djibouti; Fiji; Gambia;
  Ghana; Grenada; Guatemala; Guyana; Haiti; Lesotho; Liberia; Mauritius; Mexico;
  Nauru; Papua New Guinea; Paraguay; Peru; Philippines; Rwanda; Samoa; Senegal;
  Timor-Leste; Tuvalu; Türkiye; Uruguay
- **Non-voting (7):** Afghanistan; Central African Republic; Comoros; Eswatini;
  Sierra Leone; Trinidad and Tobago; Tunisia
"""

VOTES = (
    {
        "body": "General Assembly",
        "date": D(2019, 12, 27),
        "document_symbol": "A/RES/74/247",
        "title": TITLE,
        "question": QUESTION_74_247,
        "sources": [
            UNVOTES,
            "https://mid.ru/en/foreign_policy/international_safety/disarmament/-/asset_publisher/rp0fiUBmANaH/content/id/3909516",
        ],
        "verification": VERIFIED,
        "note": (
            "Recorded vote 79–60–33; 21 members cast no vote. Country by country "
            "from the Voeten UN General Assembly voting data (roll call 9087), "
            "secondary to the UN Digital Library record. The Third Committee had "
            "approved the draft A/C.3/74/L.11 by 88–58–34 on 18 Nov 2019."
        ),
        "ballots": BALLOTS_74_247,
    },
    {
        "body": "General Assembly",
        "date": D(2018, 12, 17),
        "document_symbol": "A/RES/73/187",
        "title": TITLE,
        "question": QUESTION_73_187,
        "sources": [UNVOTES, "https://mid.ru/en/web/guest/…/content/id/3449030"],
        "verification": VERIFIED,
        "note": (
            "Recorded vote 94–59–33; 7 members cast no vote (Voeten data, roll "
            "call 6138; the Russian MFA gives the same totals). The Russian MFA "
            "counted 36 co-authors; their names were not found."
        ),
        "ballots": BALLOTS_73_187,
    },
)

# ahc-facts-2.md §2.2 [V]: the sponsors of A/C.3/74/L.11 as first tabled (row 5) and
# the 47 co-sponsors at its Third Committee approval, per the Russian MFA (row 6).
SPONSORS_74_247 = {
    "sponsor": (
        "Belarus, Cambodia, China, DPRK, Myanmar, Nicaragua, Russian Federation, "
        "Venezuela"
    ),
    "co_sponsor": (
        "Algeria, Angola, Antigua and Barbuda, Armenia, Azerbaijan, Belarus, Benin, "
        "Bolivia, Burundi, Cambodia, Cameroon, Central African Republic, China, "
        "Congo, Cuba, Egypt, Eritrea, Eswatini, Equatorial Guinea, Guinea, India, "
        "Indonesia, Iran, Jamaica, Kazakhstan, Kyrgyzstan, Laos, Libya, Madagascar, "
        "Myanmar, Nauru, Nicaragua, Niger, DPRK, Russia, Saint Vincent and the "
        "Grenadines, South Africa, Sudan, Suriname, Syria, Tajikistan, Togo, "
        "Turkmenistan, Uganda, Uzbekistan, Venezuela, Zimbabwe"
    ),
}
SPONSOR_SOURCES = {
    "sponsor": "https://assets.documentcloud.org/documents/6594665/A-C-3-74-L-11-En.txt",
    "co_sponsor": "https://mid.ru/en/foreign_policy/international_safety/disarmament/-/asset_publisher/rp0fiUBmANaH/content/id/3909516",
}

# ahc-facts-2.md §6 [V]: the Hanoi signatories confirmed by UNTC (A–J) and the
# verdragen.nl list (A–"Turkije"), 25 Oct 2025 unless noted.
HANOI_SIGNATORIES = (
    "Algeria, Angola, Australia, Austria, Azerbaijan, Belarus, Belgium, Brazil, "
    "Brunei Darussalam, Burkina Faso, Cambodia, Chile, China, Costa Rica, "
    "Côte d'Ivoire, Cuba, Czechia, DPRK, DR Congo, Djibouti, Dominican Republic, "
    "Ecuador, Egypt, European Union, France, Ghana, Greece, Guinea-Bissau, Iran, "
    "Ireland, Jamaica, Kazakhstan, Lao PDR, Libya, Luxembourg, Malaysia, Maldives, "
    "Morocco, Mozambique, Namibia, Nauru, Nicaragua, Nigeria, Palau, "
    "State of Palestine, Papua New Guinea, Peru, Philippines, Poland, Portugal, "
    "Qatar, Russian Federation, Slovakia, Slovenia, Spain, Sri Lanka, Tanzania, "
    "Thailand, Togo, Türkiye, Uzbekistan"
)
HANOI_SECOND_DAY = "Mali, Rwanda, Saudi Arabia"  # 26 Oct 2025 [V]

SIGNATURES = (
    *(
        (
            name.strip(),
            D(2025, 10, 25),
            "day",
            VERIFIED,
            [UNTC, VERDRAGEN],
            "Signed in Hanoi.",
        )
        for name in HANOI_SIGNATORIES.split(",")
    ),
    *(
        (
            name.strip(),
            D(2025, 10, 26),
            "day",
            VERIFIED,
            [UNTC, VERDRAGEN],
            "Signed in Hanoi.",
        )
        for name in HANOI_SECOND_DAY.split(",")
    ),
    # §6 [P]: named as Hanoi signatories by newshour.media and cybernews (no URL kept
    # in the notes beyond the site names); Viet Nam signed first, as host.
    (
        "Sweden",
        D(2025, 10, 25),
        "day",
        PARTLY,
        ["newshour.media", "cybernews"],
        "Signed in Hanoi (reported).",
    ),
    (
        "United Kingdom",
        D(2025, 10, 25),
        "day",
        PARTLY,
        [
            "newshour.media",
            "cybernews",
            "https://www.solicitorsjournal.com/sjarticle/uk-signs-landmark-convention-against-cybercrime",
        ],
        "Signed in Hanoi (reported).",
    ),
    (
        "Venezuela",
        D(2025, 10, 25),
        "day",
        PARTLY,
        ["newshour.media", "cybernews"],
        "Signed in Hanoi (reported).",
    ),
    (
        "Viet Nam",
        D(2025, 10, 25),
        "day",
        PARTLY,
        ["newshour.media", "cybernews"],
        "Signed first, as host (reported).",
    ),
    # §3 rows 9–10 [P]: named among the Hanoi signatories by Azerbaijani media.
    (
        "United Arab Emirates",
        D(2025, 10, 25),
        "day",
        PARTLY,
        ["https://trend.az/azerbaijan/politics/4151684.html", "report.az"],
        "Signed in Hanoi (reported by Azerbaijani media).",
    ),
    # §6 and ahc-facts.md §1.3 [V]: after Hanoi, at UN Headquarters.
    ("Mauritius", D(2025, 11, 19), "day", VERIFIED, [VERDRAGEN], "Signed after Hanoi."),
    # §1.5 row 60 and ahc-facts.md §1.3 [P]: reported signed in July 2026 (day not
    # given).
    (
        "Canada",
        D(2026, 7, 1),
        "month",
        PARTLY,
        [
            "https://www.michaelgeist.ca/2026/07/a-surveillance-treaty-in-disguise-the-trouble-with-canadas-quiet-decision-to-sign-the-un-cybercrime-convention/"
        ],
        "Reported signed in July 2026 (the day is not given).",
    ),
)

# ahc-facts-2.md §3 rows 1–2 [V]: Azerbaijan's approval at home. The date its
# instrument was deposited with the UN was not found (row 4 [P]), so no instrument
# is loaded and no state counts toward the threshold yet.
DOMESTIC_APPROVALS = (
    (
        "Azerbaijan",
        D(2026, 2, 10),
        VERIFIED,
        [
            "https://trend.az/azerbaijan/politics/4151684.html",
            "https://caliber.az/en/post/azerbaijan-ratifies-un-cybercrime-convention-to-boost-digital-security",
        ],
        "The Milli Majlis passed, in a single reading, the President's bill "
        "approving the Convention.",
    ),
    (
        "Azerbaijan",
        D(2026, 2, 23),
        VERIFIED,
        [
            "https://trend.az/azerbaijan/politics/4156490.html",
            "https://report.az/en/incident/azerbaijan-designates-competent-authorities-under-un-convention-against-cybercrime",
        ],
        "President Aliyev signed the approval law; the Convention is to be ratified "
        "with Azerbaijan's declarations and reservations (their text is not in the "
        "sources).",
    ),
)

# Facts tagged [U] in the notes, not loaded.
LEFT_OUT = (
    "ahc-facts-2.md §2.6 row 17: the 2019 co-sponsors inferred absent from Hanoi.",
    "ahc-facts-2.md §2.2 row 8: the symbol of the 2018 draft (and its 36 co-authors' "
    "names, not found).",
    "ahc-facts-2.md §3 row 8: a Qatari ratification and its date.",
    "ahc-facts-2.md §1.5 row 59: no later US signature (a negative).",
    "ahc-facts-2.md §4 row 4 and §6: the tallies of the AHC's votes of 8 Aug 2024.",
    "ahc-facts-2.md §6: the Hanoi signatories after 'Turkije' in the Dutch list.",
    "ahc-facts.md §1.3: three ratifiers (Azerbaijan, Qatar, Viet Nam) by May 2026.",
)
