"""Deterministic generator of large synthetic cancer-network setups with known defects.

Benchmarks and end-to-end tests need big inputs whose correct validation result is known
in advance. Every generated network is built to satisfy every rule of its era (and the
`any`-era rules), so a clean setup has no finding at all; then a seeded choice of defects
from a catalogue is injected, each with the findings that the rule table of
docs/modelling.md says it causes, knock-on findings included.

Usage::

    python benchmarks/generate.py --networks N --seed S --out DIR
        [--era post-2013|cancer-plan] [--defects K] [--format nt|ttl]

writes DIR/setup.nt (or .ttl) and DIR/expected.json. `generate()` gives the same
N-Triples text and findings without files.
"""

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BASE = "https://w3id.org/cancergraph/synthetic/"
POST = "post-2013"
PLAN = "cancer-plan"
ERAS = (POST, PLAN)


class _Ns:
    """IRIs of one namespace as N-Triples terms; attributes are cached after first use."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> str:
        term = f"<{self._base}{name}>"
        setattr(self, name, term)
        return term

    def __getitem__(self, local: str) -> str:
        return f"<{self._base}{local}>"


CG = _Ns("https://w3id.org/cancergraph/ontology#")
ORG = _Ns("http://www.w3.org/ns/org#")
FOAF = _Ns("http://xmlns.com/foaf/0.1/")
XSD = "http://www.w3.org/2001/XMLSchema#"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"


def words(text: str, sep: str | None = None) -> list[str]:
    """Split a list written as one string, which keeps long name lists compact."""
    return text.split(sep)


# Severity and era of each rule, as in recommendations.yaml and the era table of modelling.md.
RULES = (
    [f"NAO-{i:02d}" for i in range(1, 11)]
    + [f"KF-{i:02d}" for i in range(1, 21)]
    + [f"INT-{i:02d}" for i in range(1, 4)]
)
SEVERITY = {rule: "Warning" for rule in RULES}
SEVERITY.update(dict.fromkeys(words("NAO-02 NAO-10 KF-03 KF-16 KF-17 KF-18"), "Info"))
SEVERITY.update(
    dict.fromkeys(words("KF-04 KF-05 KF-07 KF-08 KF-09 KF-10 INT-01 INT-02 INT-03"), "Violation")
)
RULE_ERA = {rule: "any" for rule in RULES}
RULE_ERA.update(dict.fromkeys(words("NAO-01 NAO-02 NAO-04 NAO-08"), PLAN))
RULE_ERA.update({f"KF-{i:02d}": POST for i in range(1, 21) if i != 17})


def rules_of_era(era: str) -> list[str]:
    """The rules judged in a setup of `era`: its own rules plus the `any`-era rules."""
    return sorted(r for r, e in RULE_ERA.items() if e in (era, "any"))


# Dates that make every dated link coherent (INT-02): a membership or line starts when the
# later of its organisations starts.
REFERENCE_DATE = {POST: "2014-06-30", PLAN: "2004-06-30"}
FINANCIAL_YEAR = {POST: 2014, PLAN: 2004}
BEFORE_REFERENCE = {POST: "2014-03-31", PLAN: "2004-03-31"}  # an end that is already past
NHSCB_START = "2012-10-01"
SHA_START = "2002-07-01"
CCG_START = "2013-04-01"
SCN_START = "2013-04-01"
PCT_ABOLISHED = "2013-03-31"
NETWORK_STARTS = ("2000-10-01", "2001-01-01", "2001-04-01")
PCT_STARTS = ("2001-04-01", "2002-04-01")
NHS_TRUST_STARTS = ("1991-04-01", "1992-04-01", "1993-04-01", "1994-04-01")
FT_STARTS = {
    POST: ("2004-04-01", "2005-07-01", "2007-03-01", "2008-10-01", "2010-09-01", "2012-04-01"),
    PLAN: ("2004-04-01",),
}
DOCUMENT_STARTS = {
    POST: ("2013-04-01", "2013-10-01", "2014-01-01"),
    PLAN: ("2003-04-01", "2003-10-01", "2004-01-01"),
}

GROUPS_KF13 = (CG.PrimaryCare, CG.CommunityServices, CG.PublicHealth, CG.SocialCare)
ESSENTIAL = (
    ("director", CG.NetworkDirectorPost, "Network Director", False),
    ("medical-director", CG.MedicalDirectorPost, "Network Medical Director", True),
    ("lead-nurse", CG.LeadNursePost, "Network Lead Nurse", True),
)
SITES = {
    "BreastCancer": "Breast",
    "LungCancer": "Lung",
    "ColorectalCancer": "Colorectal",
    "UpperGICancer": "Upper GI",
    "UrologicalCancer": "Urology",
    "GynaecologicalCancer": "Gynaecology",
    "HeadAndNeckCancer": "Head and Neck",
    "HaematologicalCancer": "Haematology",
    "SkinCancer": "Skin",
    "BrainCancer": "Brain and CNS",
    "Sarcoma": "Sarcoma",
    "ChildrensCancer": "Children's",
}
SCN_AREAS = (
    ("cancer", "Cancer", "Cancer"),
    ("cardiac", "CardiacCare", "Cardiac"),
    ("stroke", "StrokeCare", "Stroke"),
)

SENATES = words(
    "Northern England; Yorkshire and the Humber; Cheshire and Merseyside; Greater Manchester, "
    "Lancashire and South Cumbria; East Midlands; West Midlands; East of England; London; "
    "South East Coast; Thames Valley; Wessex; South West",
    "; ",
)
SHAS = words(
    "Avon, Gloucestershire and Wiltshire; Bedfordshire and Hertfordshire; Birmingham and the "
    "Black Country; Cheshire and Merseyside; County Durham and Tees Valley; Cumbria and "
    "Lancashire; Dorset and Somerset; Essex; Greater Manchester; Hampshire and Isle of Wight; "
    "Kent and Medway; Leicestershire, Northamptonshire and Rutland; Norfolk, Suffolk and "
    "Cambridgeshire; North and East Yorkshire and Northern Lincolnshire; North Central London; "
    "North East London; North West London; Northumberland, Tyne and Wear; Shropshire and "
    "Staffordshire; South East London; South West London; South West Peninsula; South "
    "Yorkshire; Surrey and Sussex; Thames Valley; Trent; West Midlands South; West Yorkshire",
    "; ",
)
INITIATIVES = (
    ("tobacco-advertising-ban", "Ban on tobacco advertising"),
    ("voluntary-sector-partnership", "Partnership with the voluntary sector"),
    ("two-week-wait", "Two-week wait for urgent suspected cancer referrals"),
)
PLACE_HEADS = words("North South East West Central Greater Upper Lower Mid")
PLACE_STEMS = words("Vale Moor Fen Downs Weald Marches Dales Wolds Forest Coast Peaks Heath Lakes")
TOWNS = [
    head + tail
    for head in words(
        "Ash Bex Brad Castle Chester Dun Elm Fair Glen Hart Kings Lang Lyn Mill New Nor Oak Pen "
        "Red Rother Salt Stan Thorn Wey Whit Wold"
    )
    for tail in words("bury by field ford ham ley minster mouth stead ton wick worth")
]
FIRST_NAMES = words(
    "Aisha Ben Catherine David Eleanor Farid Grace Harjit Imogen James Kwame Laura Mohammed "
    "Niamh Owen Priya Rhys Ren\u00e9e Sian Tomasz"
)
SURNAMES = words(
    "Adeyemi Brown Chaudhry Davies Evans Fletcher Green Hughes Iqbal Jones Khan Lewis Morgan "
    "Nowak O'Brien Patel Roberts Smith Taylor Walker Wright"
)
TRUST_NAMES = (
    "{} Hospitals NHS Trust",
    "{} and District General Hospital NHS Trust",
    "{} St Luke's Hospital NHS Trust",
)
FT_NAMES = (
    "{} NHS Foundation Trust",
    "{} Teaching Hospitals NHS Foundation Trust",
    "{} St Luke's Hospital NHS Foundation Trust",
)

# ---------------------------------------------------------------------------------------
# Terms and triples


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_ESCAPE_RE = re.compile(r'[\\"\n\r]')


def lit(text: str) -> str:
    """A plain string literal, escaped for N-Triples (and so for Turtle)."""
    return '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text) + '"'


def typed(value: object, datatype: str) -> str:
    """A literal of an XSD datatype; values are digits or dates, so nothing needs escaping."""
    return f'"{value}"^^<{XSD}{datatype}>'


def date(day: str) -> str:
    return typed(day, "date")


def ods(code: str) -> str:
    return f'"{code}"^^{CG.ODSCode}'


TRUE = typed("true", "boolean")
FALSE = typed("false", "boolean")


def iri(path: str) -> str:
    """A synthetic IRI under BASE, as an N-Triples term."""
    return f"<{BASE}{path}>"


def short(term: str) -> str:
    """The part of a synthetic IRI after BASE, for readable defect descriptions."""
    return term[len(BASE) + 1 : -1]


Pair = tuple[str, str]


class Nodes:
    """Triples grouped by subject, kept editable until written so defects can change them."""

    def __init__(self) -> None:
        self.data: dict[str, list[Pair]] = {}

    def add(self, subject: str, *pairs: Pair) -> None:
        self.data.setdefault(subject, []).extend(pairs)

    def drop(self, subject: str) -> None:
        del self.data[subject]

    def remove(self, subject: str, predicate: str, obj: str | None = None) -> None:
        self.data[subject] = [
            (p, o) for p, o in self.data[subject] if p != predicate or obj not in (None, o)
        ]

    def replace(self, subject: str, predicate: str, obj: str) -> None:
        self.remove(subject, predicate)
        self.add(subject, (predicate, obj))

    def objects(self, subject: str, predicate: str) -> list[str]:
        return [o for p, o in self.data[subject] if p == predicate]


class NTriplesWriter:
    """Writes N-Triples, one line per triple."""

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.triples = 0

    def write(self, nodes: Nodes) -> None:
        for s, pairs in nodes.data.items():
            self.triples += len(pairs)
            self.chunks.append("".join(f"{s} {p} {o} .\n" for p, o in pairs))

    def text(self) -> str:
        return "".join(self.chunks)


_PREFIXES = (
    ("cg", "https://w3id.org/cancergraph/ontology#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", XSD),
)
_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class TurtleWriter(NTriplesWriter):
    """Writes Turtle with prefixes, a base IRI and one block per subject, for human readers."""

    def __init__(self) -> None:
        super().__init__()
        self._cache: dict[str, str] = {A: "a"}
        head = [f"@base <{BASE}> ."] + [f"@prefix {p}: <{ns}> ." for p, ns in _PREFIXES]
        self.chunks.append("\n".join(head) + "\n")

    def _term(self, term: str) -> str:
        if term.startswith('"'):
            if not term.endswith(">"):
                return term
            value, datatype = term.rsplit("^^", 1)
            return f"{value}^^{self._term(datatype)}"
        done = self._cache.get(term)
        if done is None:
            done = self._cache[term] = self._iri(term)
        return done

    @staticmethod
    def _iri(term: str) -> str:
        if term.startswith("<" + BASE):
            return "<" + term[len(BASE) + 1 :]
        for prefix, ns in _PREFIXES:
            if term.startswith("<" + ns) and _LOCAL.fullmatch(term[len(ns) + 1 : -1]):
                return f"{prefix}:{term[len(ns) + 1 : -1]}"
        return term

    def write(self, nodes: Nodes) -> None:
        t = self._term
        for s, pairs in nodes.data.items():
            if not pairs:
                continue
            self.triples += len(pairs)
            body = " ;\n    ".join(f"{t(p)} {t(o)}" for p, o in pairs)
            self.chunks.append(f"\n{t(s)} {body} .\n")


# ---------------------------------------------------------------------------------------
# One network: random shape, then triples


@dataclass
class Params:
    """Everything random about one network, drawn before defects so a defect can adjust it."""

    n: int
    era: str
    place: str
    population: int
    plain_start: str
    scn: bool
    commissioners: list[str]
    com_starts: list[str]
    trusts: list[str]
    trust_names: list[int]
    ft: list[bool]
    nhs_starts: list[str]
    ft_starts: list[str]
    sites: list[str]
    people: list[str]
    amount: int
    sha: int
    senate: int

    @property
    def start(self) -> str:
        return SCN_START if self.scn else self.plain_start

    @property
    def name(self) -> str:
        kind = "Strategic Clinical Network" if self.scn else "Cancer Network"
        return f"{self.place} {kind}"

    def trust_start(self, i: int) -> str:
        return self.ft_starts[i] if self.ft[i] else self.nhs_starts[i]


def draw_params(n: int, era: str, seed: int, networks: int) -> Params:
    """The shape of network n, from its own random stream so networks do not depend on each
    other."""
    rng = random.Random(f"{seed}/network/{n}")
    post = era == POST
    n_com = 5 + min(10, int(rng.expovariate(1 / 1.8)))
    n_trust = rng.randint(2, 6)
    towns = rng.sample(TOWNS, n_com + n_trust)
    ft = [rng.random() < (0.5 if post else 0.15) for _ in range(n_trust)]
    if post and not any(ft):
        ft[rng.randrange(n_trust)] = True
    sites = rng.sample(sorted(SITES), rng.randint(2, 3))
    people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(4 + len(sites))]
    return Params(
        n=n,
        era=era,
        place=f"{rng.choice(PLACE_HEADS)} {rng.choice(PLACE_STEMS)}",
        population=rng.randrange(900_000, 3_200_000, 1000),
        plain_start=rng.choice(NETWORK_STARTS),
        scn=post and rng.random() < 0.15,
        commissioners=towns[:n_com],
        com_starts=[CCG_START if post else rng.choice(PCT_STARTS) for _ in range(n_com)],
        trusts=towns[n_com:],
        trust_names=[rng.randrange(len(TRUST_NAMES)) for _ in range(n_trust)],
        ft=ft,
        nhs_starts=[rng.choice(NHS_TRUST_STARTS) for _ in range(n_trust)],
        ft_starts=[rng.choice(FT_STARTS[era]) for _ in range(n_trust)],
        sites=sites,
        people=people,
        amount=rng.randrange(800_000, 2_400_000, 1000),
        sha=(n - 1) % min(len(SHAS), networks) + 1,
        senate=(n - 1) % min(len(SENATES), networks) + 1,
    )


@dataclass
class Member:
    """A constituent organisation of a network and the nodes that hang on it."""

    org: str
    label: str
    kind: str  # "ccg", "pct", "nhs-trust" or "foundation-trust"
    start: str
    membership: str
    engagement: str = ""
    line: str = ""


@dataclass
class Built:
    """A network's triples plus the IRIs of its parts, so defects can find what to change."""

    g: Nodes
    p: Params
    net: str
    overseer: str
    overseer_start: str
    board: str = ""
    chair: str = ""
    power: str = ""
    posts: dict[str, str] = field(default_factory=dict)
    holders: dict[str, str] = field(default_factory=dict)
    tumour: list[tuple[str, str, str]] = field(default_factory=list)
    pis: str = ""
    partnership: str = ""
    reporting: str = ""
    senate_link: str = ""
    hosting: str = ""
    commissioning: str = ""
    plan: str = ""
    workforce: str = ""
    education: str = ""
    funding: str = ""
    expenditure: str = ""
    line: str = ""
    merger: str = ""
    assessment: str = ""
    clinical_boards: dict[str, str] = field(default_factory=dict)
    commissioners: list[Member] = field(default_factory=list)
    trusts: list[Member] = field(default_factory=list)


def _person(b: Built, post: str, key: str, name: str, clinician: bool) -> str:
    person = iri(f"person/{b.p.n}/{key}")
    b.g.add(post, (ORG.heldBy, person))
    b.g.add(
        person,
        (A, CG.Clinician if clinician else FOAF.Person),
        (FOAF.name, lit(f"Dr {name}" if clinician else name)),
    )
    return person


def build_network(p: Params) -> Built:
    """All the triples of one network that satisfies every rule of its era."""
    n, post, g = p.n, p.era == POST, Nodes()
    overseer = iri("org/nhscb") if post else iri(f"sha/{p.sha}")
    b = Built(g, p, iri(f"net/{n}"), overseer, NHSCB_START if post else SHA_START)
    net, name = b.net, p.name
    areas = SCN_AREAS if p.scn else SCN_AREAS[:1]

    g.add(net, (A, CG.CancerNetwork), (LABEL, lit(name)))
    if p.scn:
        g.add(net, (A, CG.SingleClinicalNetwork))
    g.add(net, *((CG.coversClinicalArea, CG[local]) for _, local, _ in areas))
    if post:
        g.add(
            net,
            (CG.primaryFunction, CG.CommissioningSupport),
            (CG.involvesProfessionalGroup, CG.AcuteCare),
            *((CG.involvesProfessionalGroup, grp) for grp in GROUPS_KF13),
        )
    else:
        g.add(
            net,
            (CG.responsibleAuthority, overseer),
            (CG.involvesProfessionalGroup, CG.AcuteCare),
            (CG.involvesProfessionalGroup, CG.PrimaryCare),
        )
    g.add(
        net,
        (CG.population, typed(p.population, "integer")),
        (CG.validFrom, date(p.start)),
        (CG.isAccountableTo, overseer),
    )

    # Boards, teams and posts.
    people = iter(p.people)
    b.board = iri(f"board/{n}")
    g.add(b.board, (A, CG.NetworkBoard), (LABEL, lit(f"{name} Board")), (ORG.unitOf, net))
    b.chair = iri(f"post/{n}/board-chair")
    g.add(
        b.chair,
        (A, CG.ChairPost),
        (LABEL, lit(f"Chair of the {name} Board")),
        (ORG.postIn, b.board),
    )
    _person(b, b.chair, "board-chair", next(people), True)
    if post:
        g.add(b.chair, (CG.isAccountableOfficerFor, net))
        b.power = iri(f"power/{n}/remove-and-replace")
        g.add(
            b.power,
            (A, CG.Power),
            (CG.powerHolder, overseer),
            (CG.powerOver, b.chair),
            (CG.powerType, CG.RemoveAndReplace),
        )
    team = iri(f"team/{n}")
    g.add(team, (A, CG.ManagementTeam), (LABEL, lit(f"{name} Management Team")), (ORG.unitOf, net))
    for key, cls, title, clinician in ESSENTIAL:
        post_iri = b.posts[key] = iri(f"post/{n}/{key}")
        g.add(post_iri, (A, cls), (LABEL, lit(f"{title}, {name}")), (ORG.postIn, team))
        b.holders[key] = _person(b, post_iri, key, next(people), clinician)
    for k, site in enumerate(p.sites, 1):
        tb, chair = iri(f"tumour-board/{n}/{k}"), iri(f"post/{n}/tumour-board-{k}-chair")
        g.add(
            tb,
            (A, CG.TumourBoard),
            (LABEL, lit(f"{name} {SITES[site]} Tumour Board")),
            (ORG.unitOf, net),
            (CG.tumourSite, CG[site]),
        )
        g.add(
            chair,
            (A, CG.ChairPost),
            (LABEL, lit(f"Chair, {SITES[site]} Tumour Board")),
            (ORG.postIn, tb),
        )
        b.tumour.append(
            (tb, chair, _person(b, chair, f"tumour-board-{k}-chair", next(people), True))
        )
    b.pis = iri(f"patient-panel/{n}")
    g.add(
        b.pis,
        (A, CG.PatientInvolvementStructure),
        (ORG.unitOf, net),
        (LABEL, lit(f"{name} Patient and Carer Panel")),
    )
    if p.scn:
        _single_clinical_network(b, areas)

    # Constituent organisations, their memberships and what each needs.
    b.partnership = iri(f"partnership/{n}")
    g.add(
        b.partnership,
        (A, CG.PartnershipAgreement),
        (CG.forNetwork, net),
        (LABEL, lit(f"{name} partnership agreement")),
        (CG.validFrom, date(p.start)),
    )
    if not post:
        b.commissioning = iri(f"commissioning/{n}")
        g.add(
            b.commissioning,
            (A, CG.NetworkCommissioningArrangement),
            (CG.forNetwork, net),
            (LABEL, lit(f"{name} network-wide commissioning arrangement")),
        )
    for i, (town, start) in enumerate(zip(p.commissioners, p.com_starts, strict=True), 1):
        kind = "ccg" if post else "pct"
        org = iri(f"{kind}/{n}/{i}")
        label = f"NHS {town} CCG" if post else f"{town} Primary Care Trust"
        g.add(
            org,
            (A, CG.ClinicalCommissioningGroup if post else CG.PrimaryCareTrust),
            (LABEL, lit(label)),
            (ORG.identifier, ods(f"{kind[0].upper()}{n:04d}{i:02d}")),
            (CG.validFrom, date(start)),
        )
        m = Member(org, label, kind, start, iri(f"membership/{n}/{kind}-{i}"))
        _membership(b, m, CG.CommissionerRole)
        m.line = iri(f"line/{n}/{kind}-{i}")
        g.add(
            m.line,
            (A, CG.AccountabilityLine),
            (CG.accountableParty, org),
            (CG.accountableTo, overseer),
            (CG.isFormal, TRUE),
            (CG.validFrom, date(max(start, b.overseer_start))),
        )
        if post:
            g.add(m.line, (CG.covers, CG.EngagementWithNetworks))
            m.engagement = iri(f"engagement/{n}/{i}")
            g.add(
                m.engagement,
                (A, CG.EngagementArrangement),
                (CG.engagingParty, org),
                (LABEL, lit(f"Engagement of {label} with the {name}")),
                (CG.forNetwork, net),
            )
        else:
            g.add(m.line, (CG.covers, CG.Performance))
            g.add(b.commissioning, (CG.party, org))
        b.commissioners.append(m)
    for i, town in enumerate(p.trusts):
        ft = p.ft[i]
        org = iri(f"trust/{n}/{i + 1}")
        label = (FT_NAMES if ft else TRUST_NAMES)[p.trust_names[i]].format(town)
        g.add(
            org,
            (A, CG.NHSFoundationTrust if ft else CG.NHSTrust),
            (LABEL, lit(label)),
            (ORG.identifier, ods(f"R{n:04d}{i + 1}")),
            (CG.validFrom, date(p.trust_start(i))),
        )
        m = Member(
            org,
            label,
            "foundation-trust" if ft else "nhs-trust",
            p.trust_start(i),
            iri(f"membership/{n}/trust-{i + 1}"),
        )
        _membership(b, m, CG.ProviderRole)
        b.trusts.append(m)

    # Arrangements with the overseeing body, documents and money.
    b.reporting = iri(f"reporting/{n}")
    g.add(
        b.reporting,
        (A, CG.ReportingArrangement),
        (CG.forNetwork, net),
        (LABEL, lit(f"{name} reporting to the {'Board' if post else 'SHA'}")),
        (CG.reportingParty, net),
        (CG.reportsToBody, overseer),
        (CG.covers, CG.ImpedimentsAndConcerns if post else CG.Performance),
    )
    if post:
        b.senate_link = iri(f"senate-link/{n}")
        g.add(
            b.senate_link,
            (A, CG.SenateLink),
            (CG.forNetwork, net),
            (LABEL, lit(f"{name} link with its clinical senate")),
            (CG.senate, iri(f"senate/{p.senate}")),
        )
    b.hosting = iri(f"hosting/{n}")
    g.add(
        b.hosting,
        (A, CG.HostingArrangement),
        (CG.forNetwork, net),
        (LABEL, lit(f"Hosting of the {name}")),
        (CG.host, overseer if post else b.commissioners[0].org),
    )
    docs = (
        ("plan", CG.NetworkPlan, "network plan"),
        ("workforce", CG.WorkforceStrategy, "workforce strategy"),
        ("education", CG.EducationAndTrainingStrategy, "education and training strategy"),
    )
    for (key, cls, title), start in zip(docs, DOCUMENT_STARTS[p.era], strict=True):
        doc = iri(f"{key}/{n}")
        setattr(b, key, doc)
        g.add(
            doc,
            (A, cls),
            (LABEL, lit(f"{name} {title}")),
            (CG.forNetwork, net),
            (CG.validFrom, date(start)),
        )
    year = FINANCIAL_YEAR[p.era]
    b.funding, b.expenditure = iri(f"funding/{n}"), iri(f"expenditure-report/{n}")
    g.add(
        b.funding,
        (A, CG.FundingAllocation),
        (CG.forNetwork, net),
        (LABEL, lit(f"{name} allocation {year}/{(year + 1) % 100:02d}")),
        (CG.amount, typed(f"{p.amount}.00", "decimal")),
        (CG.financialYear, typed(year, "gYear")),
        (CG.allocatedBy, overseer),
        (CG.expenditureReport, b.expenditure),
    )
    g.add(
        b.expenditure,
        (A, CG.ExpenditureReport),
        (CG.reportedSpend, typed(f"{p.amount * 97 // 100}.00", "decimal")),
        (CG.reportedOutcome, lit('Funded "straight to test" diagnostics; 62-day waits down')),
    )
    b.line = iri(f"line/{n}/network")
    g.add(
        b.line,
        (A, CG.AccountabilityLine),
        (CG.accountableParty, net),
        (CG.accountableTo, overseer),
        (CG.isFormal, TRUE),
        (CG.validFrom, date(max(p.start, b.overseer_start))),
    )
    if post:
        g.add(
            b.line,
            (CG.covers, CG.SupportDelivery),
            (CG.mechanism, lit("Quarterly assurance review by the Board")),
            (CG.sanction, lit("Removal and replacement of the accountable officer")),
        )
    else:
        g.add(
            b.line,
            (CG.covers, CG.Performance),
            (CG.mechanism, lit("Annual performance review by the SHA")),
        )
    return b


def _membership(b: Built, m: Member, role: str) -> None:
    b.g.add(
        m.membership,
        (A, ORG.Membership),
        (ORG.member, m.org),
        (ORG.organization, b.net),
        (ORG.role, role),
        (CG.validFrom, date(max(b.p.start, m.start))),
    )
    b.g.add(b.partnership, (CG.party, m.org))


def _single_clinical_network(b: Built, areas: Sequence[tuple[str, str, str]]) -> None:
    """Clinical boards per area and the merger, with its assessment, that formed the network."""
    g, n, net, place = b.g, b.p.n, b.net, b.p.place
    for slug, local, title in areas:
        board = b.clinical_boards[slug] = iri(f"clinical-board/{n}/{slug}")
        g.add(
            board,
            (A, CG.ClinicalBoard),
            (LABEL, lit(f"{place} {title} Clinical Board")),
            (ORG.unitOf, net),
            (CG.clinicalArea, CG[local]),
        )
    cancer, heart = iri(f"net/{n}/predecessor/1"), iri(f"net/{n}/predecessor/2")
    g.add(
        cancer,
        (A, CG.CancerNetwork),
        (LABEL, lit(f"{place} Cancer Network")),
        (CG.coversClinicalArea, CG.Cancer),
        (CG.validFrom, date(b.p.plain_start)),
        (CG.validUntil, date(PCT_ABOLISHED)),
    )
    g.add(
        heart,
        (A, CG.ClinicalNetwork),
        (LABEL, lit(f"{place} Cardiac and Stroke Network")),
        (CG.coversClinicalArea, CG.CardiacCare),
        (CG.coversClinicalArea, CG.StrokeCare),
        (CG.validFrom, date("2008-04-01")),
        (CG.validUntil, date(PCT_ABOLISHED)),
    )
    b.merger, b.assessment = iri(f"merger/{n}"), iri(f"assessment/{n}")
    g.add(
        b.merger,
        (A, CG.Merger),
        (LABEL, lit(f"Forming the {b.p.name}")),
        (ORG.originalOrganization, cancer),
        (ORG.originalOrganization, heart),
        (ORG.resultingOrganization, net),
        (CG.eventDate, date(SCN_START)),
        (CG.suitabilityAssessment, b.assessment),
    )
    g.add(
        b.assessment,
        (A, CG.SuitabilityAssessment),
        (CG.considersTransactionCosts, TRUE),
        (LABEL, lit(f"Suitability of a single clinical network for {place}")),
    )


def build_national(era: str, networks: int, missing_report: int | None) -> Nodes:
    """The setup node and the national and regional bodies every network refers to."""
    g = Nodes()
    g.add(
        iri("setup"),
        (A, CG.Setup),
        (CG.referenceDate, date(REFERENCE_DATE[era])),
        (LABEL, lit(f"Synthetic setup of {networks} cancer networks ({era})")),
    )
    if era == POST:
        g.add(
            iri("org/nhscb"),
            (A, CG.NHSCommissioningBoard),
            (LABEL, lit("NHS Commissioning Board")),
            (ORG.identifier, ods("X24")),
            (CG.validFrom, date(NHSCB_START)),
        )
        for k, region in enumerate(SENATES[: min(len(SENATES), networks)], 1):
            g.add(
                iri(f"senate/{k}"),
                (A, CG.ClinicalSenate),
                (LABEL, lit(f"{region} Clinical Senate")),
                (CG.validFrom, date(CCG_START)),
            )
        return g
    dh, strategy = iri("org/dh"), iri("strategy/nhs-cancer-plan")
    g.add(dh, (A, CG.DepartmentOfHealth), (LABEL, lit("Department of Health")))
    g.add(
        strategy,
        (A, CG.CancerStrategy),
        (LABEL, lit("The NHS Cancer Plan")),
        (CG.publishedOn, date("2000-09-27")),
        (CG.launchedBy, dh),
    )
    for year in (2001, 2002, 2003):
        if year != missing_report:
            g.add(
                iri(f"progress-report/{year}"),
                (A, CG.ProgressReport),
                (LABEL, lit(f"The NHS Cancer Plan: progress in {year}")),
                (CG.publishedBy, dh),
                (CG.reportsOn, strategy),
                (CG.coversYear, typed(year, "gYear")),
                (CG.publishedOn, date(f"{year + 1}-03-31")),
            )
    for slug, title in INITIATIVES:
        g.add(
            iri(f"initiative/{slug}"),
            (A, CG.CancerInitiative),
            (LABEL, lit(title)),
            (CG.partOfStrategy, strategy),
        )
    for k, region in enumerate(SHAS[: min(len(SHAS), networks)], 1):
        g.add(
            iri(f"sha/{k}"),
            (A, CG.StrategicHealthAuthority),
            (LABEL, lit(f"{region} Strategic Health Authority")),
            (CG.validFrom, date(SHA_START)),
        )
    return g


# ---------------------------------------------------------------------------------------
# The defect catalogue

Finding = tuple[str, str]  # (rule, focus node as an N-Triples term)
Target = dict[str, int]
Inject = Callable[[Built, Target, random.Random], tuple[str, list[Finding]]]


@dataclass(frozen=True)
class Kind:
    """One way of breaking a network, with the findings modelling.md's table predicts.

    `target` says what the defect picks: "com" / "trust" / "tb" (a commissioner, trust or
    tumour board it then owns), "ft" / "nhs-trust" (a trust it makes a foundation or NHS
    trust), "any-com" / "any-trust" (one it only points at), "all-com" / "all-members"
    (every commissioner, or every constituent), "trust-pair". `slots` are parts of the
    network that no other defect in the same network may touch; `scn` forces whether the
    network is a single clinical network. A kind is used at most once per network.
    """

    key: str
    rule: str
    eras: tuple[str, ...]
    inject: Inject | None  # None for a national defect, made in build_national
    target: str | None = None
    slots: tuple[str, ...] = ()
    scn: bool | None = None
    prepare: Callable[[Params, Target], None] | None = None
    national: bool = False


BOTH = (POST, PLAN)
ONLY_POST = (POST,)
ONLY_PLAN = (PLAN,)

# Each inject function breaks one thing in a built network and returns a description and the
# findings the rule table predicts, as (rule, focus) pairs, knock-on findings included.


def _who(m: Member) -> str:
    return f"{m.label} ({short(m.org)})"


def _vacate(b: Built, post: str, person: str) -> None:
    b.g.remove(post, ORG.heldBy)
    b.g.drop(person)
    b.g.add(post, (CG.vacantSince, date(BEFORE_REFERENCE[b.p.era])))


def _kf01(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.net, CG.primaryFunction)
    return "the network states no primary function", [("KF-01", b.net)]


def _kf02_itself(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.add(b.net, (CG.performsFunction, CG.ProviderSupport))
    return "the network itself performs provider support", [("KF-02", b.net)]


def _kf02_vehicle(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    vehicle = iri(f"vehicle/{b.p.n}")
    b.g.add(
        vehicle,
        (A, CG.SharedGovernanceVehicle),
        (ORG.unitOf, b.net),
        (LABEL, lit(f"{b.p.place} Provider Integration Group")),
    )
    text = f"a shared governance vehicle ({short(vehicle)}) is a unit of the network"
    return text, [("KF-02", b.net)]


def _kf03_lay_chair(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    tb, _, person = b.tumour[t["k"]]
    b.g.replace(person, A, FOAF.Person)
    return f"tumour board {short(tb)} is chaired by a non-clinician", [("KF-03", tb)]


def _kf03_vacant(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    tb, chair, person = b.tumour[t["k"]]
    _vacate(b, chair, person)
    return f"the chair of tumour board {short(tb)} is vacant", [("KF-03", tb)]


def _second_site(b: Built, k: int) -> str:
    sites = sorted(SITES)
    return CG[sites[(sites.index(b.p.sites[k]) + 1) % len(sites)]]


def _kf03_sites(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    tb = b.tumour[t["k"]][0]
    b.g.add(tb, (CG.tumourSite, _second_site(b, t["k"])))
    return f"tumour board {short(tb)} covers two tumour sites", [("KF-03", tb)]


def _kf03_both(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    tb, chair, person = b.tumour[t["k"]]
    _vacate(b, chair, person)
    b.g.add(tb, (CG.tumourSite, _second_site(b, t["k"])))
    text = f"tumour board {short(tb)} has a vacant chair and two tumour sites"
    return text, [("KF-03", tb), ("KF-03", tb)]


def _kf04_informal(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.replace(b.line, CG.isFormal, FALSE)
    return "the network's line to the Board is informal", [("KF-04", b.net)]


def _kf04_ended(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.add(b.line, (CG.validUntil, date(BEFORE_REFERENCE[b.p.era])))
    return "the network's line to the Board ended before the reference date", [("KF-04", b.net)]


def _kf05(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.replace(b.reporting, CG.covers, CG.Performance)
    return "the reporting arrangement covers performance, not impediments and concerns", [
        ("KF-05", b.net)
    ]


def _kf06_power(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.power)
    return "the Board holds no power to remove and replace the accountable officer", [
        ("KF-06", b.net)
    ]


def _kf06_officer(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.chair, CG.isAccountableOfficerFor)
    b.g.add(b.posts["director"], (CG.isAccountableOfficerFor, b.net))
    return "the accountable officer is the network director, not the board chair", [
        ("KF-06", b.net)
    ]


def _kf07(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.add(b.line, (CG.covers, CG.Outcomes))
    return "the network's line to the Board also covers outcomes", [("KF-07", b.line)]


def _new_line(b: Built, key: str, party: str, to: str, start: str, scope: str) -> str:
    line = iri(f"line/{b.p.n}/{key}")
    b.g.add(
        line,
        (A, CG.AccountabilityLine),
        (CG.accountableParty, party),
        (CG.accountableTo, to),
        (CG.isFormal, TRUE),
        (CG.covers, scope),
        (CG.validFrom, date(start)),
    )
    return line


def _kf08_ccg(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    line = _new_line(b, "network-to-ccg", b.net, m.org, max(b.p.start, m.start), CG.SupportDelivery)
    return f"the network is formally accountable to {_who(m)}", [("KF-08", line)]


def _kf08_trust(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.trusts[t["i"]]
    line = _new_line(b, "trust-to-network", m.org, b.net, max(b.p.start, m.start), CG.Performance)
    return f"{_who(m)} is formally accountable to the network", [("KF-08", line)]


def _network_power(b: Built, key: str, over: str, kind: str) -> str:
    power = iri(f"power/{b.p.n}/{key}")
    b.g.add(
        power, (A, CG.Power), (CG.powerHolder, b.net), (CG.powerOver, over), (CG.powerType, kind)
    )
    return power


def _kf09_trust(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.trusts[t["i"]]
    power = _network_power(b, "performance-management", m.org, CG.PerformanceManagement)
    return f"the network performance-manages {_who(m)}", [("KF-09", power)]


def _kf09_ccg(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    power = _network_power(b, "sanction", m.org, CG.Sanction)
    return f"the network can sanction {_who(m)}", [("KF-09", power)]


def _kf10_missing(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.drop(m.engagement)
    return f"{_who(m)} has no engagement arrangement with the network", [("KF-10", m.org)]


def _kf10_ended(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.add(
        m.engagement,
        (CG.validFrom, date(CCG_START)),
        (CG.validUntil, date(BEFORE_REFERENCE[b.p.era])),
    )
    return f"the engagement arrangement of {_who(m)} has ended", [("KF-10", m.org)]


def _kf11_scope(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.replace(m.line, CG.covers, CG.Outcomes)
    return f"the line of {_who(m)} to the Board does not cover engagement with networks", [
        ("KF-11", m.org)
    ]


def _kf11_informal(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.replace(m.line, CG.isFormal, FALSE)
    return f"the line of {_who(m)} to the Board is informal", [("KF-11", m.org)]


def _kf12(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.senate_link)
    return "the network has no link with a clinical senate", [("KF-12", b.net)]


def _kf13(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    missing = rng.sample(GROUPS_KF13, rng.randint(1, len(GROUPS_KF13)))
    for grp in missing:
        b.g.remove(b.net, CG.involvesProfessionalGroup, grp)
    names = ", ".join(sorted(grp.rsplit("#", 1)[1][:-1] for grp in missing))
    return f"the network does not involve {names}", [("KF-13", b.net)] * len(missing)


def _kf14(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.pis)
    return "the network has no patient involvement structure of its own", [("KF-14", b.net)]


def _kf15_area(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    slug = rng.choice([s for s, _, _ in SCN_AREAS])
    b.g.drop(b.clinical_boards[slug])
    return f"the single clinical network has no {slug} clinical board", [("KF-15", b.net)]


def _kf15_boards(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    second = iri(f"board/{b.p.n}/cardiovascular")
    b.g.add(
        second,
        (A, CG.NetworkBoard),
        (ORG.unitOf, b.net),
        (LABEL, lit(f"{b.p.place} Cardiovascular Strategic Board")),
    )
    return "the single clinical network has two network boards", [("KF-15", b.net)]


def _kf16_costs(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.replace(b.assessment, CG.considersTransactionCosts, FALSE)
    return "the merger's suitability assessment ignores transaction costs", [("KF-16", b.merger)]


def _kf16_none(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.merger, CG.suitabilityAssessment)
    b.g.drop(b.assessment)
    return "the merger has no suitability assessment", [("KF-16", b.merger)]


def _kf17_report(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.funding, CG.expenditureReport)
    b.g.drop(b.expenditure)
    return "the funding allocation has no expenditure report", [("KF-17", b.funding)]


def _kf17_outcome(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.expenditure, CG.reportedOutcome)
    return "the expenditure report states no outcome", [("KF-17", b.funding)]


def _kf18(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    keep = rng.randrange(len(b.commissioners))
    for i, m in enumerate(b.commissioners):
        if i != keep:
            b.g.add(m.membership, (CG.validUntil, date(BEFORE_REFERENCE[b.p.era])))
    text = f"all CCGs but {_who(b.commissioners[keep])} have left the network"
    return text, [("KF-18", b.net)]


def _kf19(*drop: str) -> Inject:
    def inject(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
        for predicate in drop:
            b.g.remove(b.line, CG[predicate])
        names = " or ".join(drop)
        return f"the network's line to the Board names no {names}", [("KF-19", b.line)] * len(drop)

    return inject


def _kf20(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.trusts[t["i"]]
    b.g.replace(b.hosting, CG.host, m.org)
    return f"the network is hosted by {_who(m)}, not the Board", [("KF-20", b.net)]


def _nao02(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    initiative = iri(f"initiative/local/{b.p.n}")
    b.g.add(
        initiative,
        (A, CG.CancerInitiative),
        (LABEL, lit(f"Rapid diagnosis pilot in the {b.p.name}")),
    )
    return f"initiative {short(initiative)} is not linked to a strategy", [("NAO-02", initiative)]


def _nao03_none(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.trusts[t["i"]]
    b.g.remove(m.membership, ORG.role)
    return f"the membership of {_who(m)} states no role", [("NAO-03", m.membership)]


def _nao03_undefined(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    role = iri(f"role/{b.p.n}/lead-commissioner")
    b.g.add(role, (A, CG.NetworkRole), (LABEL, lit("lead commissioner")))
    b.g.replace(m.membership, ORG.role, role)
    return f"{_who(m)} is a member in a role with no definition", [("NAO-03", m.membership)]


def _nao04_sha(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.net, CG.responsibleAuthority)
    return "the network has no responsible strategic health authority", [("NAO-04", b.net)]


def _nao04_funding(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.replace(b.funding, CG.financialYear, typed(FINANCIAL_YEAR[b.p.era] - 1, "gYear"))
    return "the network's only funding allocation is for the previous financial year", [
        ("NAO-04", b.net)
    ]


def _nao05(keys: tuple[str, ...], missing: bool) -> Inject:
    classes = {key: cls for key, cls, _, _ in ESSENTIAL}

    def inject(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
        for key in keys:
            if missing:
                b.g.drop(b.posts[key])
                b.g.drop(b.holders[key])
            else:
                _vacate(b, b.posts[key], b.holders[key])
        names = " and ".join(classes[key].rsplit("#", 1)[1][:-1] for key in keys)
        state = "missing" if missing else "vacant"
        return f"{names} {state}", [("NAO-05", b.net)] * len(keys)

    return inject


def _nao06_none(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.plan)
    return "the network has no network plan", [("NAO-06", b.net)]


def _nao06_expired(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    year = FINANCIAL_YEAR[b.p.era]
    b.g.replace(b.plan, CG.validFrom, date(f"{year - 3}-04-01"))
    b.g.add(b.plan, (CG.validUntil, date(BEFORE_REFERENCE[b.p.era])))
    return "the network plan expired before the reference date", [("NAO-06", b.net)]


def _nao07(*keys: str) -> Inject:
    def inject(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
        for key in keys:
            b.g.drop(getattr(b, key))
        return f"no current {' or '.join(keys)} strategy", [("NAO-07", b.net)] * len(keys)

    return inject


def _nao08_one(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.remove(b.commissioning, CG.party, m.org)
    return f"{_who(m)} commissions outside the network-wide arrangement", [("NAO-08", m.org)]


def _nao08_all(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.commissioning)
    return "the network has no network-wide commissioning arrangement", [
        ("NAO-08", m.org) for m in b.commissioners
    ]


def _not_party(members: str) -> Inject:
    def inject(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
        m = (b.commissioners if members == "com" else b.trusts)[t["i"]]
        b.g.remove(b.partnership, CG.party, m.org)
        found = [("NAO-09", m.org)]
        if m.kind == "foundation-trust":
            found.append(("NAO-10", m.org))
        return f"{_who(m)} is not a party to the partnership agreement", found

    return inject


def _nao09_all(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.drop(b.partnership)
    found = [("NAO-09", m.org) for m in b.commissioners + b.trusts]
    found += [("NAO-10", m.org) for m in b.trusts if m.kind == "foundation-trust"]
    return "the network has no partnership agreement", found


def _int01(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    one, two = b.trusts[t["i"]], b.trusts[t["j"]]
    line = _new_line(
        b, "trust-to-trust", one.org, two.org, max(one.start, two.start), CG.Performance
    )
    b.g.replace(line, CG.isFormal, FALSE)
    b.g.add(two.org, (CG.isAccountableTo, one.org))
    text = f"{_who(one)} and {_who(two)} are accountable to each other"
    return text, [("INT-01", one.org), ("INT-01", two.org)]


def _int02_membership(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    early = "2012-10-01" if b.p.era == POST else "2001-10-01"
    b.g.replace(m.membership, CG.validFrom, date(early))
    return f"the membership of {_who(m)} starts before the organisation does", [
        ("INT-02", m.membership)
    ]


def _int02_line(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    early = "2013-01-01" if b.p.era == POST else "2002-01-01"
    b.g.replace(m.line, CG.validFrom, date(early))
    who = "the CCG" if b.p.era == POST else "the SHA"
    return f"the line of {_who(m)} starts before {who} does", [("INT-02", m.line)]


def _int02_reversed(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    year = FINANCIAL_YEAR[b.p.era]
    b.g.replace(b.plan, CG.validFrom, date(f"{year + 2}-03-31"))
    b.g.add(b.plan, (CG.validUntil, date(f"{year - 1}-04-01")))
    return "the network plan ends before it starts, so it is not current either", [
        ("INT-02", b.plan),
        ("NAO-06", b.net),
    ]


def _int02_ended(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    n, post = b.p.n, b.p.era == POST
    org = iri(f"{'pct' if post else 'trust'}/{n}/legacy")
    label = f"{b.p.place} Primary Care Trust" if post else f"{b.p.place} Community NHS Trust"
    start, end = ("2002-04-01", PCT_ABOLISHED) if post else ("1993-04-01", "2003-03-31")
    b.g.add(
        org,
        (A, CG.PrimaryCareTrust if post else CG.NHSTrust),
        (LABEL, lit(label)),
        (CG.validFrom, date(start)),
        (CG.validUntil, date(end)),
    )
    membership = iri(f"membership/{n}/legacy")
    b.g.add(
        membership,
        (A, ORG.Membership),
        (ORG.member, org),
        (ORG.organization, b.net),
        (ORG.role, CG.CommissionerRole if post else CG.ProviderRole),
        (CG.validFrom, date(max(b.p.start, start))),
    )
    return f"{label} ({short(org)}) ended but its membership has no end", [("INT-02", membership)]


def _int03_org(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.commissioners[t["i"]]
    b.g.remove(m.org, LABEL)
    return f"commissioner {short(m.org)} has no label", [("INT-03", m.org)]


def _int03_post(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    chair = b.tumour[t["k"]][1]
    b.g.remove(chair, LABEL)
    return f"post {short(chair)} has no label", [("INT-03", chair)]


def _int03_arrangement(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    b.g.remove(b.hosting, LABEL)
    return f"arrangement {short(b.hosting)} has no label", [("INT-03", b.hosting)]


def _int03_codes(b: Built, t: Target, rng: random.Random) -> tuple[str, list[Finding]]:
    m = b.trusts[t["i"]]
    b.g.add(m.org, (ORG.identifier, ods(f"R{b.p.n:04d}{t['i'] + 1}X")))
    return f"{_who(m)} has two ODS codes", [("INT-03", m.org)]


def _set_ft(value: bool) -> Callable[[Params, Target], None]:
    def prepare(p: Params, t: Target) -> None:
        p.ft[t["i"]] = value

    return prepare


def _set_com_start(day: str) -> Callable[[Params, Target], None]:
    def prepare(p: Params, t: Target) -> None:
        if p.era == PLAN:
            p.com_starts[t["i"]] = day

    return prepare


CATALOGUE: tuple[Kind, ...] = (
    Kind("NAO-01-progress-report-missing", "NAO-01", ONLY_PLAN, None, national=True),
    Kind("NAO-02-initiative-without-strategy", "NAO-02", ONLY_PLAN, _nao02),
    Kind("NAO-03-membership-without-role", "NAO-03", BOTH, _nao03_none, "trust"),
    Kind("NAO-03-role-without-definition", "NAO-03", BOTH, _nao03_undefined, "com"),
    Kind("NAO-04-no-strategic-health-authority", "NAO-04", ONLY_PLAN, _nao04_sha, slots=("sha",)),
    Kind("NAO-04-no-funding-this-year", "NAO-04", ONLY_PLAN, _nao04_funding, slots=("funding",)),
    Kind(
        "NAO-05-director-vacant", "NAO-05", BOTH, _nao05(("director",), False), slots=("director",)
    ),
    Kind(
        "NAO-05-lead-nurse-missing",
        "NAO-05",
        BOTH,
        _nao05(("lead-nurse",), True),
        slots=("lead-nurse",),
    ),
    Kind(
        "NAO-05-two-posts-vacant",
        "NAO-05",
        BOTH,
        _nao05(("medical-director", "lead-nurse"), False),
        slots=("medical-director", "lead-nurse"),
    ),
    Kind("NAO-06-no-plan", "NAO-06", BOTH, _nao06_none, slots=("plan",)),
    Kind("NAO-06-plan-expired", "NAO-06", BOTH, _nao06_expired, slots=("plan",)),
    Kind("NAO-07-no-workforce-strategy", "NAO-07", BOTH, _nao07("workforce"), slots=("workforce",)),
    Kind("NAO-07-no-education-strategy", "NAO-07", BOTH, _nao07("education"), slots=("education",)),
    Kind(
        "NAO-07-neither-strategy",
        "NAO-07",
        BOTH,
        _nao07("workforce", "education"),
        slots=("workforce", "education"),
    ),
    Kind("NAO-08-pct-outside-arrangement", "NAO-08", ONLY_PLAN, _nao08_one, "com"),
    Kind("NAO-08-no-commissioning-arrangement", "NAO-08", ONLY_PLAN, _nao08_all, "all-com"),
    Kind("NAO-09-commissioner-not-party", "NAO-09", BOTH, _not_party("com"), "com"),
    Kind(
        "NAO-09-nhs-trust-not-party",
        "NAO-09",
        BOTH,
        _not_party("trust"),
        "nhs-trust",
        prepare=_set_ft(False),
    ),
    Kind("NAO-09-no-partnership-agreement", "NAO-09", BOTH, _nao09_all, "all-members"),
    Kind(
        "NAO-10-foundation-trust-not-party",
        "NAO-10",
        BOTH,
        _not_party("trust"),
        "ft",
        prepare=_set_ft(True),
    ),
    Kind("KF-01-no-primary-function", "KF-01", ONLY_POST, _kf01, slots=("function",)),
    Kind("KF-02-network-supports-providers", "KF-02", ONLY_POST, _kf02_itself, slots=("kf02",)),
    Kind("KF-02-governance-vehicle-is-unit", "KF-02", ONLY_POST, _kf02_vehicle, slots=("kf02",)),
    Kind("KF-03-tumour-board-lay-chair", "KF-03", ONLY_POST, _kf03_lay_chair, "tb"),
    Kind("KF-03-tumour-board-chair-vacant", "KF-03", ONLY_POST, _kf03_vacant, "tb"),
    Kind("KF-03-tumour-board-two-sites", "KF-03", ONLY_POST, _kf03_sites, "tb"),
    Kind("KF-03-tumour-board-vacant-two-sites", "KF-03", ONLY_POST, _kf03_both, "tb"),
    Kind("KF-04-informal-line", "KF-04", ONLY_POST, _kf04_informal, slots=("line",)),
    Kind("KF-04-line-ended", "KF-04", ONLY_POST, _kf04_ended, slots=("line",)),
    Kind("KF-05-no-impediments-reporting", "KF-05", ONLY_POST, _kf05, slots=("reporting",)),
    Kind("KF-06-no-remove-power", "KF-06", ONLY_POST, _kf06_power, slots=("chair",)),
    Kind("KF-06-officer-not-chair", "KF-06", ONLY_POST, _kf06_officer, slots=("chair", "director")),
    Kind("KF-07-accountable-for-outcomes", "KF-07", ONLY_POST, _kf07, slots=("line",)),
    Kind("KF-08-network-accountable-to-ccg", "KF-08", ONLY_POST, _kf08_ccg, "any-com"),
    Kind("KF-08-trust-accountable-to-network", "KF-08", ONLY_POST, _kf08_trust, "any-trust"),
    Kind("KF-09-performance-manages-trust", "KF-09", ONLY_POST, _kf09_trust, "any-trust"),
    Kind("KF-09-sanctions-ccg", "KF-09", ONLY_POST, _kf09_ccg, "any-com"),
    Kind("KF-10-no-engagement", "KF-10", ONLY_POST, _kf10_missing, "com"),
    Kind("KF-10-engagement-ended", "KF-10", ONLY_POST, _kf10_ended, "com"),
    Kind("KF-11-line-not-engagement", "KF-11", ONLY_POST, _kf11_scope, "com"),
    Kind("KF-11-line-informal", "KF-11", ONLY_POST, _kf11_informal, "com"),
    Kind("KF-12-no-senate-link", "KF-12", ONLY_POST, _kf12, slots=("senate",)),
    Kind("KF-13-professional-groups-missing", "KF-13", ONLY_POST, _kf13, slots=("groups",)),
    Kind("KF-14-no-patient-structure", "KF-14", ONLY_POST, _kf14, slots=("pis",)),
    Kind("KF-15-clinical-board-missing", "KF-15", ONLY_POST, _kf15_area, slots=("kf15",), scn=True),
    Kind("KF-15-two-network-boards", "KF-15", ONLY_POST, _kf15_boards, slots=("kf15",), scn=True),
    Kind(
        "KF-16-transaction-costs-ignored",
        "KF-16",
        ONLY_POST,
        _kf16_costs,
        slots=("kf16",),
        scn=True,
    ),
    Kind(
        "KF-16-no-suitability-assessment", "KF-16", ONLY_POST, _kf16_none, slots=("kf16",), scn=True
    ),
    Kind("KF-17-no-expenditure-report", "KF-17", BOTH, _kf17_report, slots=("funding",)),
    Kind("KF-17-no-reported-outcome", "KF-17", BOTH, _kf17_outcome, slots=("funding",)),
    Kind("KF-18-single-ccg", "KF-18", ONLY_POST, _kf18, "all-com"),
    Kind("KF-19-no-mechanism", "KF-19", ONLY_POST, _kf19("mechanism"), slots=("line",)),
    Kind("KF-19-no-sanction", "KF-19", ONLY_POST, _kf19("sanction"), slots=("line",)),
    Kind("KF-19-neither", "KF-19", ONLY_POST, _kf19("mechanism", "sanction"), slots=("line",)),
    Kind("KF-20-hosted-by-trust", "KF-20", ONLY_POST, _kf20, "any-trust", slots=("hosting",)),
    Kind("INT-01-accountability-cycle", "INT-01", BOTH, _int01, "trust-pair"),
    Kind(
        "INT-02-membership-before-organisation",
        "INT-02",
        BOTH,
        _int02_membership,
        "com",
        scn=False,
        prepare=_set_com_start("2002-04-01"),
    ),
    Kind(
        "INT-02-line-before-organisation",
        "INT-02",
        BOTH,
        _int02_line,
        "com",
        prepare=_set_com_start("2001-04-01"),
    ),
    Kind("INT-02-dates-reversed", "INT-02", BOTH, _int02_reversed, slots=("plan",)),
    Kind("INT-02-ended-organisation-still-member", "INT-02", BOTH, _int02_ended, scn=False),
    Kind("INT-03-organisation-unlabelled", "INT-03", BOTH, _int03_org, "com"),
    Kind("INT-03-post-unlabelled", "INT-03", BOTH, _int03_post, "tb"),
    Kind("INT-03-arrangement-unlabelled", "INT-03", BOTH, _int03_arrangement, slots=("hosting",)),
    Kind("INT-03-two-ods-codes", "INT-03", BOTH, _int03_codes, "trust"),
)
KINDS = {kind.key: kind for kind in CATALOGUE}


def catalogue(era: str) -> list[Kind]:
    """The defect kinds that can be injected into a setup of `era`."""
    return [kind for kind in CATALOGUE if era in kind.eras]


# ---------------------------------------------------------------------------------------
# Choosing defects


@dataclass
class _Slots:
    """What the defects placed so far in one network own, so later ones do not clash."""

    p: Params
    taken: set[str] = field(default_factory=set)
    scn: bool | None = None


def _place(kind: Kind, st: _Slots, rng: random.Random) -> Target | None:
    """Pick a target for `kind` in one network and reserve it, or None if it does not fit."""
    p = st.p
    if kind.key in st.taken or any(s in st.taken for s in kind.slots):
        return None
    if (kind.scn and p.era == PLAN) or (kind.scn is not None and st.scn not in (None, kind.scn)):
        return None
    claims = [kind.key, *kind.slots]
    coms = [f"com:{i}" for i in range(len(p.commissioners))]
    trusts = [f"trust:{i}" for i in range(len(p.trusts))]
    t: Target = {}
    match kind.target:
        case "com" | "trust" | "nhs-trust" | "ft":
            pool = coms if kind.target == "com" else trusts
            free = [i for i, s in enumerate(pool) if s not in st.taken]
            if not free:
                return None
            t["i"] = rng.choice(free)
            claims.append(pool[t["i"]])
        case "any-com":
            t["i"] = rng.randrange(len(coms))
        case "any-trust":
            t["i"] = rng.randrange(len(trusts))
        case "all-com" | "all-members":
            pool = coms if kind.target == "all-com" else coms + trusts
            if any(s in st.taken for s in pool):
                return None
            claims += pool
        case "tb":
            free = [k for k in range(len(p.sites)) if f"tb:{k}" not in st.taken]
            if not free:
                return None
            t["k"] = rng.choice(free)
            claims.append(f"tb:{t['k']}")
        case "trust-pair":
            t["i"], t["j"] = rng.sample(range(len(trusts)), 2)
    st.taken.update(claims)
    if kind.scn is not None:
        st.scn = p.scn = kind.scn
    if kind.prepare is not None:
        kind.prepare(p, t)
    return t


def choose_defects(
    params: list[Params], era: str, count: int, rng: random.Random, kinds: Sequence[Kind]
) -> list[tuple[int | None, Kind, Target]]:
    """Place `count` defects, cycling through the shuffled kinds so that a large enough count
    uses every kind; stops early when nothing more fits."""
    order = list(kinds)
    rng.shuffle(order)
    states = [_Slots(p) for p in params]
    placed: list[tuple[int | None, Kind, Target]] = []
    national: set[str] = set()
    while len(placed) < count:
        before = len(placed)
        for kind in order:
            if len(placed) == count:
                break
            if kind.national:
                if kind.key not in national:
                    national.add(kind.key)
                    placed.append((None, kind, {}))
                continue
            for idx in rng.sample(range(len(states)), min(len(states), 24)):
                target = _place(kind, states[idx], rng)
                if target is not None:
                    placed.append((params[idx].n, kind, target))
                    break
        if len(placed) == before:
            break
    return placed


# ---------------------------------------------------------------------------------------
# The whole setup


@dataclass
class Result:
    """A generated setup and what validating it must report."""

    era: str
    networks: int
    seed: int
    text: str
    triples: int
    defects: list[dict[str, object]]
    findings: list[dict[str, str]]

    def expected(self) -> dict[str, object]:
        """The content of expected.json."""
        return {
            "era": self.era,
            "networks": self.networks,
            "seed": self.seed,
            "triples": self.triples,
            "defects": self.defects,
            "findings": self.findings,
        }


def default_defects(networks: int) -> int:
    """About one defect per three networks, and at least one."""
    return max(1, round(networks / 3))


def build(
    networks: int,
    seed: int,
    era: str = POST,
    defects: int | None = None,
    fmt: str = "nt",
    kinds: Sequence[str] | None = None,
) -> Result:
    """Generate a setup; `kinds` restricts the catalogue (by key), for tests of single kinds."""
    if era not in ERAS:
        raise ValueError(f"era must be one of {', '.join(ERAS)}, not {era!r}")
    if networks < 1:
        raise ValueError("networks must be at least 1")
    if fmt not in ("nt", "ttl"):
        raise ValueError(f"format must be nt or ttl, not {fmt!r}")
    usable = catalogue(era) if kinds is None else [KINDS[key] for key in kinds]
    if any(era not in kind.eras for kind in usable):
        raise ValueError(f"a requested defect kind does not apply to era {era}")
    count = default_defects(networks) if defects is None else defects
    params = [draw_params(n, era, seed, networks) for n in range(1, networks + 1)]
    placed = choose_defects(params, era, count, random.Random(f"{seed}/defects"), usable)

    per_network: dict[int, list[tuple[Kind, Target]]] = {}
    records: list[dict[str, object]] = []
    found: list[Finding] = []
    national_keys = [kind.key for n, kind, _ in placed if n is None]
    for n, kind, target in placed:
        if n is not None:
            per_network.setdefault(n, []).append((kind, target))
    missing_report = 2002 if "NAO-01-progress-report-missing" in national_keys else None
    if missing_report:
        strategy = iri("strategy/nhs-cancer-plan")
        records.append(
            {
                "rule": "NAO-01",
                "network": None,
                "description": f"no progress report on the NHS Cancer Plan for {missing_report}",
            }
        )
        found.append(("NAO-01", strategy))

    writer = TurtleWriter() if fmt == "ttl" else NTriplesWriter()
    writer.write(build_national(era, networks, missing_report))
    for p in params:
        b = build_network(p)
        for kind, target in per_network.get(p.n, []):
            rng = random.Random(f"{seed}/inject/{p.n}/{kind.key}")
            assert kind.inject is not None
            text, kind_found = kind.inject(b, target, rng)
            records.append({"rule": kind.rule, "network": p.n, "description": text})
            found.extend(kind_found)
        writer.write(b.g)

    records.sort(key=lambda d: (d["network"] or 0, str(d["rule"]), str(d["description"])))
    findings = [
        {"rule": rule, "focus_node": focus[1:-1], "severity": SEVERITY[rule]}
        for rule, focus in sorted(found)
    ]
    return Result(era, networks, seed, writer.text(), writer.triples, records, findings)


def generate(
    networks: int, seed: int, era: str = POST, defects: int | None = None
) -> tuple[str, list[dict[str, str]]]:
    """N-Triples text of a setup and the findings its validation must give."""
    result = build(networks, seed, era, defects)
    return result.text, result.findings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, required=True, help="number of networks")
    parser.add_argument("--seed", type=int, required=True, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--era", choices=ERAS, default=POST, help="era of the setup")
    parser.add_argument(
        "--defects",
        type=int,
        default=None,
        help="number of defects (default: about one per three networks)",
    )
    parser.add_argument(
        "--format",
        choices=("nt", "ttl"),
        default="nt",
        dest="fmt",
        help="RDF format of the setup file",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = build(args.networks, args.seed, args.era, args.defects, args.fmt)
    if args.defects is not None and len(result.defects) < args.defects:
        print(f"only {len(result.defects)} of {args.defects} defects fit", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    setup = args.out / f"setup.{args.fmt}"
    setup.write_text(result.text, encoding="utf-8")
    expected = json.dumps(result.expected(), indent=2, ensure_ascii=False) + "\n"
    (args.out / "expected.json").write_text(expected, encoding="utf-8")
    print(
        f"{result.triples} triples, {len(result.defects)} defects, "
        f"{len(result.findings)} expected findings -> {setup} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
