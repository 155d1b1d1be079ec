"""The synthetic negotiation's rows, drawn from one random stream in a fixed order."""

import datetime

from django.db import connection
from django.utils import timezone

from provisions.models import Chapter, Draft, Provision, ProvisionText, Session
from states.models import (
    Actor,
    Group,
    Membership,
    Position,
    Statement,
    Status,
)

BATCH_SIZE = 2000

Stance = Position.Stance
Kind = Actor.Kind

# UN regional groups, by their share of the 193 member states.
REGIONS = [
    ("syn-african-group", "African Group", 54),
    ("syn-asia-pacific-group", "Asia-Pacific Group", 53),
    ("syn-eastern-european-group", "Eastern European Group", 23),
    ("syn-grulac", "Latin American and Caribbean Group", 33),
    ("syn-weog", "Western European and Others Group", 30),
]
AFR, APG, EEG, GRULAC, WEOG = range(5)

EU_GROUP = "syn-eu-members"
CORE_GROUP = "syn-core-group"
# slug, name, kind, size at UN scale, regions drawn from (None: civil society), share
# of memberships starting or ending between sessions.
BLOCS = [
    (EU_GROUP, "European Union and its member states", "organization_members", 27,
     (EEG, WEOG), 0.0),
    ("syn-g77", "Group of 77 and China", "negotiating_bloc", 134,
     (AFR, APG, GRULAC), 0.05),
    ("syn-like-minded", "Like-minded group", "negotiating_bloc", 18,
     (AFR, APG, EEG, GRULAC), 0.1),
    ("syn-caricom", "CARICOM", "organization_members", 14, (GRULAC,), 0.0),
    ("syn-arab-group", "Arab Group", "negotiating_bloc", 22, (AFR, APG), 0.0),
    ("syn-asean", "ASEAN", "organization_members", 10, (APG,), 0.0),
    ("syn-nordic-baltic", "Nordic-Baltic group", "negotiating_bloc", 8,
     (EEG, WEOG), 0.0),
    # Exactly 50 stable members: the benchmark's "50-actor group".
    (CORE_GROUP, "Core group on human-rights safeguards", "coalition", 50,
     (AFR, APG, EEG, GRULAC, WEOG), 0.0),
    ("syn-freedom-online", "Freedom Online Coalition", "coalition", 38,
     (APG, EEG, GRULAC, WEOG), 0.15),
    ("syn-cso-coalition", "Civil-society coalition", "coalition", 30, None, 0.1),
]  # fmt: skip

STANCE_THRESHOLDS = [
    (0.5, Stance.SUPPORT),
    (0.0, Stance.SUPPORT_WITH_CHANGES),
    (-0.4, Stance.UNDECIDED),
]
FIRST_SESSION = datetime.date(2022, 2, 28)
MEMBERSHIP_START = datetime.date(2000, 1, 1)


class Generator:
    """Draws every row from one random stream in a fixed order: same seed, same rows."""

    def __init__(self, scale, rng):
        self.scale = scale
        self.rng = rng

    def run(self, treaty):
        self.treaty = treaty
        self.now = timezone.now()
        self._actors()
        self._sessions()
        self._groups()
        self._provisions()
        self._drafts()
        self._statements()
        self._positions()
        return {
            "actors": len(self.actor_ids),
            "groups": len(self.groups),
            "memberships": self.membership_count,
            "sessions": len(self.sessions),
            "chapters": len(self.chapters),
            "provisions": len(self.provisions),
            "statements": len(self.statements),
            "positions": self.position_count,
        }

    # Actors -------------------------------------------------------------------------

    def _actors(self):
        s = self.scale
        specs = [
            (_state_code(i), f"Synthetic State {i + 1:03d}", Kind.MEMBER_STATE)
            for i in range(s.member_states)
        ]
        specs += [
            (
                _state_code(s.member_states + i),
                f"Synthetic Observer {i + 1}",
                Kind.OBSERVER_STATE,
            )
            for i in range(s.observer_states)
        ]
        specs.append(("SYN-EU", "Synthetic Union", Kind.REGIONAL_ORG))
        specs += [(f"SYN-CSO{i + 1:02d}", f"Synthetic Civil Society {i + 1:02d}",
                   Kind.CIVIL_SOCIETY) for i in range(s.civil_society)]  # fmt: skip
        Actor.objects.bulk_create(
            [Actor(code=code, name=name, kind=kind) for code, name, kind in specs],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "kind", "updated_at"],
        )
        ids = dict(Actor.objects.filter(code__in=[c for c, _, _ in specs])
                   .values_list("code", "id"))  # fmt: skip
        self.actor_ids = [ids[code] for code, _, _ in specs]
        self.index_of = {actor_id: i for i, actor_id in enumerate(self.actor_ids)}
        self.states = list(range(s.member_states))
        self.observers = list(
            range(s.member_states, s.member_states + s.observer_states)
        )
        self.eu = s.member_states + s.observer_states
        self.csos = list(range(self.eu + 1, len(specs)))
        # A latent orientation and a drift per actor make stances consistent within an
        # actor, opposed between camps, and changing over the sessions for some.
        self.orientation = [self.rng.gauss(0, 1) for _ in specs]
        self.drift = [self.rng.gauss(0, 0.4) for _ in specs]

    # Sessions -----------------------------------------------------------------------

    def _sessions(self):
        n = self.scale.sessions
        rows = []
        for number in range(1, n + 1):
            start = FIRST_SESSION + datetime.timedelta(days=70 * (number - 1))
            status = (
                Session.Status.IN_PROGRESS if number == n else Session.Status.CLOSED
            )
            rows.append(Session(
                treaty=self.treaty, number=number, title=f"Session {number}",
                start_date=start, end_date=start + datetime.timedelta(days=11),
                venue="New York" if number % 2 else "Vienna", status=status,
            ))  # fmt: skip
        self.sessions = Session.objects.bulk_create(rows)

    # Groups and memberships ---------------------------------------------------------

    def _groups(self):
        regions = self._partition_regions()
        specs = [
            (slug, name, "un_regional_group", members, 0.0)
            for (slug, name, _), members in zip(REGIONS, regions, strict=True)
        ]
        for slug, name, kind, size, pools, churn in BLOCS:
            specs.append((slug, name, kind, self._bloc(regions, size, pools), churn))
        groups = {}
        for slug, name, kind, _, _ in specs:
            groups[slug], _ = Group.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind}
            )
        Membership.objects.filter(group__in=groups.values()).delete()
        rows = []
        for slug, _, _, members, churn in specs:
            rows += [
                # A churning group always has one member leaving mid-process.
                self._membership(groups[slug], a, 1.0 if i == 0 and churn else churn)
                for i, a in enumerate(members)
            ]
        Membership.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.membership_count = len(rows)
        self.groups = groups
        self.members = {}
        for row in rows:
            self.members.setdefault(row.group_id, []).append(row)

    def _partition_regions(self):
        states = self.states[:]
        self.rng.shuffle(states)
        total = sum(size for _, _, size in REGIONS)
        regions, start = [], 0
        for i, (_, _, size) in enumerate(REGIONS):
            end = len(states) if i == len(REGIONS) - 1 else (
                start + max(1, round(size * len(states) / total)))  # fmt: skip
            regions.append(states[start:end])
            start = end
        return regions

    def _bloc(self, regions, size, pools):
        if pools is None:
            pool = self.csos
            size = round(size * len(self.csos) / 54)
        else:
            pool = sorted(a for r in pools for a in regions[r])
            size = round(size * len(self.states) / 193)
        return self.rng.sample(pool, min(len(pool), max(2, size)))

    def _membership(self, group, actor, churn):
        start, end = MEMBERSHIP_START, None
        if self.rng.random() < churn:
            # Joins or leaves between the second and the last session.
            first = self.sessions[1].start_date
            span = (self.sessions[-1].start_date - first).days
            day = first + datetime.timedelta(days=self.rng.randrange(span))
            if churn < 1 and self.rng.random() < 0.5:
                start = day
            else:
                end = day
        return Membership(
            actor_id=self.actor_ids[actor], group=group, start_date=start, end_date=end
        )

    # Chapters, provisions, drafts ---------------------------------------------------

    def _provisions(self):
        s = self.scale
        self.chapters = Chapter.objects.bulk_create([
            Chapter(treaty=self.treaty, number=_roman(i + 1),
                    title=f"Chapter title {i + 1}", order=i + 1)
            for i in range(s.chapters)
        ])  # fmt: skip
        issues = max(1, s.provisions // 50)
        proposals = max(1, s.provisions * 12 // 100)
        self._articles(s.provisions - issues - proposals)
        specs = [
            ("proposal", f"proposal-{i + 1}", self.rng.choice(self.chapters))
            for i in range(proposals)
        ]
        specs += [("issue", f"issue-{i + 1}", None) for i in range(issues)]
        rows = [self._provision(kind, slug, chapter) for kind, slug, chapter in specs]
        self.provisions = self.articles + Provision.objects.bulk_create(rows)
        self.by_chapter = {}
        for p in self.provisions:
            self.by_chapter.setdefault(p.chapter_id, []).append(p.id)
        self.polarity = {p.id: self.rng.gauss(0, 1) for p in self.provisions}

    def _articles(self, count):
        """`count` articles and paragraphs, spread over the chapters in order."""
        self.order = 0
        articles, paragraphs = [], []
        per_chapter = [count // len(self.chapters)] * len(self.chapters)
        per_chapter[-1] += count - sum(per_chapter)
        number = 0
        for chapter, quota in zip(self.chapters, per_chapter, strict=True):
            while quota > 0:
                number += 1
                article = self._provision("article", f"art-{number}", chapter)
                n = min(quota - 1, self.rng.randint(0, 5))
                children = [self._provision("paragraph", f"art-{number}-{k + 1}",
                                            chapter) for k in range(n)]  # fmt: skip
                articles.append(article)
                paragraphs.append((article, children))
                quota -= 1 + n
        Provision.objects.bulk_create(articles)
        children = []
        for article, kids in paragraphs:
            for kid in kids:
                kid.parent = article
            children += kids
        Provision.objects.bulk_create(children)
        self.articles = sorted(articles + children, key=lambda p: p.order)

    def _provision(self, kind, slug, chapter):
        self.order += 10
        title = f"{kind.capitalize()} {slug.split('-', 1)[1]}"
        return Provision(
            treaty=self.treaty, slug=slug, title=title, kind=kind, chapter=chapter,
            order=self.order, proposition=f"Keep {title.lower()} in the convention.",
        )  # fmt: skip

    def _drafts(self):
        """Three drafts; from the second on, articles after the 4th are renumbered."""
        drafts, texts = [], []
        for i, session in enumerate(self.sessions[:: max(1, len(self.sessions) // 3)]):
            drafts.append(Draft(
                treaty=self.treaty, slug=f"draft-{i + 1}", title=f"Draft text {i + 1}",
                symbol=f"A/AC.999/{i + 1}", published_on=session.start_date,
                session=session,
            ))  # fmt: skip
        Draft.objects.bulk_create(drafts[:3])
        for shift, draft in enumerate(drafts[:3]):
            for p in self.articles:
                label = _label(p, min(shift, 1))
                texts.append(ProvisionText(
                    provision=p, draft=draft, label=label, heading=p.title,
                    text=f"States Parties shall consider {p.title.lower()} ({label}).",
                ))  # fmt: skip
        ProvisionText.objects.bulk_create(texts, batch_size=BATCH_SIZE)

    # Statements ---------------------------------------------------------------------

    def _statements(self):
        s = self.scale
        weights = [self.rng.uniform(0.7, 1.3) for _ in self.sessions]
        picks = sorted(self.rng.choices(range(len(self.sessions)), weights,
                                        k=s.statements))  # fmt: skip
        rows, cosigners, self.speakers = [], [], []
        for n, index in enumerate(picks, start=1):
            statement, signers = self._statement(n, self.sessions[index])
            rows.append(statement)
            cosigners.append(signers)
        self.statements = Statement.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        through = Statement.co_signers.through
        links = [
            through(statement_id=st.id, actor_id=self.actor_ids[a])
            for st, signers in zip(self.statements, cosigners, strict=True)
            for a in signers
        ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.speaker_of = {st.id: speaker for st, speaker in self.speakers}

    def _statement(self, n, session):
        rng = self.rng
        day = None
        if rng.random() < 0.8:
            day = session.start_date + datetime.timedelta(days=rng.randint(0, 11))
        effective = day or session.start_date
        r = rng.random()
        group, signers, kind = None, [], Statement.Kind.ORAL
        if r < 0.05:
            group, speaker = self._on_behalf(effective)
        elif r < 0.13:
            kind = Statement.Kind.JOINT
            speaker, *signers = rng.sample(self.states, rng.randint(3, 9))
        else:
            speaker = self._speaker()
            kind = Statement.Kind.WRITTEN if rng.random() < 0.25 else kind
        published = rng.random() < 0.92
        statement = Statement(
            session=session, actor_id=self.actor_ids[speaker], on_behalf_of=group,
            date=day, kind=kind, title=f"Statement {n} at session {session.number}",
            text=f"Synthetic statement {n}.", language="en",
            source_url=f"https://example.org/synthetic/statements/{n}",
            status=Status.PUBLISHED if published else Status.DRAFT,
        )  # fmt: skip
        self.speakers.append((statement, speaker))
        return statement, signers

    def _on_behalf(self, day):
        slug = self.rng.choice(sorted(self.groups))
        group = self.groups[slug]
        if slug == EU_GROUP:
            return group, self.eu
        covering = [
            self.index_of[m.actor_id]
            for m in self.members[group.id]
            if m.start_date <= day and (m.end_date is None or day <= m.end_date)
        ]
        return group, self.rng.choice(covering or self.states)  # fmt: skip

    def _speaker(self):
        r = self.rng.random()
        if r < 0.82 or not self.csos:
            return self.rng.choice(self.states)
        if r < 0.83:
            return self.rng.choice(self.observers or self.states)
        if r < 0.86:
            return self.eu
        return self.rng.choice(self.csos)

    # Positions ----------------------------------------------------------------------

    def _positions(self):
        counts = self._position_counts()
        chapters = sorted(self.by_chapter, key=lambda c: (c is None, c))
        all_ids = [p.id for p in self.provisions]
        rows = []
        for statement, k in zip(self.statements, counts, strict=True):
            pool = self.by_chapter[self.rng.choice(chapters)]
            if k > len(pool) or self.rng.random() < 0.1:
                pool = all_ids
            for provision_id in self.rng.sample(pool, k):
                rows.append(self._position(statement, provision_id))
        _insert_positions(rows, self.now)
        self.position_count = len(rows)

    def _position_counts(self):
        """Positions per statement, between 1 and 2 × mean − 1, summing to the total."""
        s = self.scale
        mean = s.positions // s.statements
        top = min(2 * mean - 1, len(self.provisions))
        counts = [self.rng.randint(1, top) for _ in range(s.statements)]
        missing = s.positions - sum(counts)
        while missing:
            i = self.rng.randrange(s.statements)
            step = 1 if missing > 0 else -1
            if 1 <= counts[i] + step <= len(self.provisions):
                counts[i] += step
                missing -= step
        return counts

    def _position(self, statement, provision_id):
        speaker = self.speaker_of[statement.id]
        progress = statement.session.number / len(self.sessions)
        leaning = self.orientation[speaker] + self.drift[speaker] * progress
        score = self.polarity[provision_id] * leaning + self.rng.gauss(0, 0.6)
        stance = next((st for low, st in STANCE_THRESHOLDS if score > low), "oppose")
        published = statement.status == Status.PUBLISHED and self.rng.random() < 0.97
        return (statement.id, provision_id, stance,
                Status.PUBLISHED if published else Status.DRAFT)  # fmt: skip


def _insert_positions(rows, now):
    """Positions (statement, provision, stance, status): COPY on PostgreSQL."""
    if connection.vendor != "postgresql":
        Position.objects.bulk_create(
            [Position(statement_id=st, provision_id=p, stance=stance, status=status)
             for st, p, stance, status in rows],
            batch_size=BATCH_SIZE,
        )  # fmt: skip
        return
    sql = (
        "COPY states_position (statement_id, provision_id, stance, status, quote, "
        "note, created_at, updated_at) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row((*row, "", "", now, now))


def _state_code(i):
    """XAA, XAB, … : ISO 3166-1 reserves X-codes for user assignment."""
    return "X" + chr(65 + i // 26) + chr(65 + i % 26)


def _roman(n):
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def _label(provision, shift):
    number = provision.slug.split("-")[1]
    article = int(number) + (shift if int(number) > 4 else 0)
    if provision.kind == Provision.Kind.PARAGRAPH:
        return f"Art. {article}({provision.slug.split('-')[2]})"
    return f"Article {article}"
