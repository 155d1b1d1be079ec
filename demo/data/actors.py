"""The EU and its member states, and the non-state actors the sources name."""

import datetime

D = datetime.date

EU = ("EU", "European Union")

EU_GROUP = {
    "slug": "eu-member-states",
    "name": "European Union member states",
    "kind": "organization_members",
}

# Member states of the EU (and of the European Communities before it) with the date
# each joined; the founding six from the entry into force of the Treaty of Rome.
# Source: https://european-union.europa.eu/principles-countries-history/eu-countries_en
# (public reference knowledge). The United Kingdom left on 31 January 2020.
EU_MEMBERSHIPS = (
    ("BEL", D(1958, 1, 1), None),
    ("FRA", D(1958, 1, 1), None),
    ("DEU", D(1958, 1, 1), None),
    ("ITA", D(1958, 1, 1), None),
    ("LUX", D(1958, 1, 1), None),
    ("NLD", D(1958, 1, 1), None),
    ("DNK", D(1973, 1, 1), None),
    ("IRL", D(1973, 1, 1), None),
    ("GBR", D(1973, 1, 1), D(2020, 1, 31)),
    ("GRC", D(1981, 1, 1), None),
    ("PRT", D(1986, 1, 1), None),
    ("ESP", D(1986, 1, 1), None),
    ("AUT", D(1995, 1, 1), None),
    ("FIN", D(1995, 1, 1), None),
    ("SWE", D(1995, 1, 1), None),
    ("CYP", D(2004, 5, 1), None),
    ("CZE", D(2004, 5, 1), None),
    ("EST", D(2004, 5, 1), None),
    ("HUN", D(2004, 5, 1), None),
    ("LVA", D(2004, 5, 1), None),
    ("LTU", D(2004, 5, 1), None),
    ("MLT", D(2004, 5, 1), None),
    ("POL", D(2004, 5, 1), None),
    ("SVK", D(2004, 5, 1), None),
    ("SVN", D(2004, 5, 1), None),
    ("BGR", D(2007, 1, 1), None),
    ("ROU", D(2007, 1, 1), None),
    ("HRV", D(2013, 7, 1), None),
)

# (code, name, kind): only those the two sources name as taking a position.
OTHER_ACTORS = (
    ("EFF", "Electronic Frontier Foundation", "civil_society"),
    ("HRW", "Human Rights Watch", "civil_society"),
    ("ARTICLE19", "ARTICLE 19", "civil_society"),
    ("APC", "Association for Progressive Communications", "civil_society"),
    ("ACCESSNOW", "Access Now", "civil_society"),
    ("PI", "Privacy International", "civil_society"),
    ("GPD", "Global Partners Digital", "civil_society"),
    ("MICROSOFT", "Microsoft", "private_sector"),
    ("OHCHR", "Office of the UN High Commissioner for Human Rights", "un_entity"),
)


# Other names actors are known by (DESIGN §2), matched by search and entry.
ALIASES = (
    ("RUS", "Russia"),
    ("TUR", "Turkey"),
    ("PRK", "DPRK"),
    ("PRK", "North Korea"),
    ("KOR", "South Korea"),
    ("IRN", "Iran"),
    ("SYR", "Syria"),
    ("VEN", "Venezuela"),
    ("GBR", "United Kingdom"),
    ("GBR", "UK"),
    ("USA", "United States"),
    ("USA", "US"),
)
