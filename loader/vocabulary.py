"""The graph's vocabulary: the only labels and relationship types ever written.

Labels and types are formatted into Cypher text, so they come from here and
nowhere else. Each relationship type names the labels allowed at either end and
its own properties; validation, the tables in docs/model.md, the schema in
cypher/schema.cypher, the Browser style sheet and the exports all follow from here,
so a new type is one entry below (and a sentence in docs/model.md on why it exists).

``python -m loader.vocabulary`` rewrites the generated parts: the tables in
docs/model.md and cypher/schema.cypher (tests fail while either is stale).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from loader.settings import PROJECT_ROOT

# Every curated node is an :Entity with one of LABELS; each source is a :Source.
ENTITY = "Entity"
SOURCE = "Source"

LABELS: dict[str, str] = {
    "Country": "a sovereign state, identified by its ISO 3166-1 alpha-3 code",
    "Organisation": "an international organisation, bloc, forum, group or state body",
    "Person": "a named person, with offices held via HOLDS_OFFICE",
    "Company": "a company or state enterprise",
    "Bank": "a bank (also a kind of company)",
    "Place": "a city, port, region or river that matters to a fact",
    "Sea": "a sea or lake that a route crosses or a dispute concerns",
    "Infrastructure": "a dry port, border checkpoint, power plant or similar fixed asset",
    "Route": "a transport or energy corridor, pipeline or rail link with ordered steps",
    "Agreement": "a treaty, deal, declaration or joint statement",
    "Event": "a visit, summit, exercise, round of talks, mission, war or crisis",
    "Issue": "a dispute or open problem between parties, with a status",
    "Programme": "an initiative, policy, strategy or sanctions regime",
}

ANY = frozenset(LABELS)
ACTORS = frozenset({"Country", "Organisation", "Person", "Company", "Bank"})
STATES = frozenset({"Country", "Organisation"})
LOCATIONS = frozenset({"Country", "Place", "Sea", "Infrastructure"})


@dataclass(frozen=True)
class RelType:
    """One relationship type: what it means, which labels it connects, and its own
    properties (name -> required?), beyond the time and provenance every fact may carry."""

    meaning: str
    start: frozenset[str]
    end: frozenset[str]
    props: Mapping[str, bool] = field(default_factory=dict)


ROLE = {"role": False}
ORGS = frozenset({"Organisation"})

REL_TYPES: dict[str, RelType] = {
    "TRADES_WITH": RelType(
        "trade between two economies: a figure for a year, actual, estimate or target",
        STATES,
        STATES,
        {
            "year": False,
            "figure": True,
            "value_usd": False,
            "value_max_usd": False,
            "share_pct": False,
            "flow": False,
            "products": False,
        },
    ),
    "INVESTS_IN": RelType(
        "investment by one actor in a country, sector or project",
        ACTORS | {"Programme"},
        ANY,
        {"sector": False, "value_usd": False},
    ),
    "MEMBER_OF": RelType(
        "membership, observer status or a seat in an organisation", ACTORS, ORGS, ROLE
    ),
    "CHAIRS": RelType("chairing an organisation or group for a period", ACTORS, ORGS, ROLE),
    "LED_BY": RelType(
        "the power the text names as leading or driving an organisation, event or programme",
        frozenset({"Organisation", "Event", "Programme", "Route"}),
        ACTORS,
    ),
    "PART_OF": RelType(
        "an organisation, programme or event within a larger one",
        frozenset({"Organisation", "Programme", "Event", "Route"}),
        frozenset({"Organisation", "Programme", "Event", "Route"}),
    ),
    "HOLDS_OFFICE": RelType(
        "a person's office in a state or organisation, with its term",
        frozenset({"Person"}),
        STATES | {"Company"},
        {"office": True},
    ),
    "SUCCEEDED": RelType(
        "one person succeeded another in an office", frozenset({"Person"}), frozenset({"Person"})
    ),
    "SECURITY_TIE": RelType(
        "military or security cooperation: arms, drones, intelligence, exercises, "
        "military relations",
        ACTORS,
        ACTORS,
        {"kind": True},
    ),
    "PARTICIPATED_IN": RelType(
        "an actor took part in an event", ACTORS, frozenset({"Event"}), ROLE
    ),
    "DEPLOYED_TO": RelType(
        "troops or officers sent to a mission",
        ACTORS,
        frozenset({"Event", "Organisation"}),
        {"role": False, "personnel": False},
    ),
    "HOSTED": RelType(
        "a country or place hosted an event",
        ACTORS | LOCATIONS,
        frozenset({"Event", "Organisation"}),
        ROLE,
    ),
    "HELD_IN": RelType(
        "where an event took place or an agreement was signed",
        frozenset({"Event", "Agreement"}),
        LOCATIONS,
    ),
    "MEDIATED": RelType(
        "a mediating or facilitating role in talks or a dispute",
        ACTORS,
        frozenset({"Event", "Issue"}),
        ROLE,
    ),
    "VISITED": RelType(
        "a visit by a person or delegation to a country or place",
        ACTORS,
        LOCATIONS,
        {"purpose": False},
    ),
    "MET": RelType(
        "a meeting between two people or delegations", ACTORS, ACTORS, {"purpose": False}
    ),
    "SIGNED": RelType(
        "a party signed, ratified or joined a written agreement",
        ACTORS,
        frozenset({"Agreement"}),
        ROLE,
    ),
    "PLEDGED": RelType(
        "a spoken commitment or an agreement in principle, not (yet) a signed text",
        ACTORS,
        ANY,
        {"purpose": False, "outcome": False},
    ),
    "CONCLUDED_AT": RelType(
        "an agreement signed or announced during an event (a visit, summit or talks)",
        frozenset({"Agreement"}),
        frozenset({"Event"}),
    ),
    "ABOUT": RelType(
        "what an agreement, event, issue or programme concerns",
        frozenset({"Agreement", "Event", "Issue", "Programme"}),
        ANY,
    ),
    "PARTY_TO": RelType(
        "a party to a dispute or open issue, with its status as of a date",
        ACTORS,
        frozenset({"Issue"}),
        {"status": True, "role": False},
    ),
    "ROUTE_STEP": RelType(
        "an ordered step of a route: origin, transit country or sea, end",
        frozenset({"Route"}),
        LOCATIONS,
        {"order": True, "role": False},
    ),
    "OPERATED_BY": RelType(
        "who runs or promotes a route or asset (not who built it: BUILT_BY)",
        frozenset({"Route", "Infrastructure"}),
        ACTORS,
        ROLE,
    ),
    "BUILT_BY": RelType(
        "who built, constructed or financed the building of a route or asset",
        frozenset({"Route", "Infrastructure"}),
        ACTORS,
        ROLE,
    ),
    "REQUESTED": RelType(
        "an actor asked, urged, invited or instructed another to act (the act in purpose)",
        ACTORS,
        ACTORS,
        {"mode": True, "purpose": False},
    ),
    "BID_FOR": RelType(
        "an actor bid or campaigned for a seat, post or the hosting of an event",
        ACTORS,
        frozenset({"Organisation", "Event", "Programme"}),
        {"role": False, "outcome": False},
    ),
    "NOMINATED_FOR": RelType(
        "an actor nominated or put forward a person or state for a post or seat",
        ACTORS,
        frozenset({"Organisation", "Event", "Programme", "Person"}),
        {"role": False, "outcome": False},
    ),
    "LOCATED_IN": RelType(
        "a place or asset lies in a country or place; a bloc in its region",
        frozenset({"Place", "Infrastructure", "Sea", "Organisation"}),
        LOCATIONS,
    ),
    "BORDERS": RelType(
        "a shared land border or coastline", frozenset({"Country"}), frozenset({"Country", "Sea"})
    ),
    "OPERATES_IN": RelType(
        "a company or bank present in a country",
        frozenset({"Company", "Bank"}),
        frozenset({"Country"}),
    ),
    "BASED_IN": RelType(
        "a company's or bank's home country", frozenset({"Company", "Bank"}), frozenset({"Country"})
    ),
    "IMPOSED": RelType(
        "who imposes a sanctions regime or programme", ACTORS, frozenset({"Programme"})
    ),
    "TARGETS": RelType(
        "whom a sanctions regime or programme targets", frozenset({"Programme"}), ACTORS
    ),
    "EXPOSED_TO": RelType(
        "an actor at risk from a sanctions regime or a crisis",
        ACTORS | {"Route"},
        frozenset({"Programme", "Event", "Issue"}),
        {"channel": False},
    ),
    "STANCE_ON": RelType(
        "a stated position: support, opposition, abstention, rejection, compliance; held_by "
        "says whose (the state, the public, the author)",
        ACTORS,
        ANY,
        {"stance": True, "held_by": False},
    ),
    "PROPOSED": RelType(
        "an actor proposed or offered a project, platform or agreement",
        ACTORS,
        ANY,
        {"outcome": False},
    ),
    "RELATIONS_WITH": RelType(
        "the state of relations: diplomatic ties, partnership, friction; held_by says whose "
        "judgement it is (the state, the public, the author)",
        ACTORS,
        ACTORS,
        {"kind": True, "held_by": False},
    ),
    "COOPERATES_ON": RelType(
        "cooperation in a field (education, transport, visas, repatriation, environment)",
        ACTORS,
        ANY,
        {"field": True},
    ),
}

# Relationships the loader derives itself, never read from data files.
DERIVED_TYPES: dict[str, str] = {
    "ROUTE_LEG": "consecutive steps of one route, for path finding; carries the route id",
    "DOCUMENTED_IN": "an entity is named by facts citing a source; carries the locators",
}

# Every type-specific property any type may carry.
TYPE_PROPERTIES: frozenset[str] = frozenset(p for t in REL_TYPES.values() for p in t.props)

# Property indexes for the look-ups the saved queries make: (label or type, property).
INDEXES: tuple[tuple[str, str], ...] = (
    (ENTITY, "name"),
    ("Event", "date"),
    ("Agreement", "date"),
    ("TRADES_WITH", "year"),
    ("ROUTE_LEG", "route"),
    ("VISITED", "date"),
    ("MET", "date"),
    ("SIGNED", "date"),
    ("PARTICIPATED_IN", "date"),
)
# Full-text indexes: (name, label, properties, Lucene analyzer; None for the standard one).
# entity_names serves fuzzy search over every name an entity goes by; entity_lookup finds an
# entity by one of its exact look-up keys (`lookup`, a list: no range index can), for saved
# queries that take names in a text parameter (multi-vector-balance's powers).
FULLTEXT_INDEXES: tuple[tuple[str, str, tuple[str, ...], str | None], ...] = (
    ("entity_names", ENTITY, ("name", "alias_text"), None),
    ("entity_lookup", ENTITY, ("lookup",), "keyword"),
)

MODEL_DOC = PROJECT_ROOT / "docs" / "model.md"
SCHEMA_FILE = PROJECT_ROOT / "cypher" / "schema.cypher"
TABLES_START = "<!-- vocabulary tables: generated by `python -m loader.vocabulary` -->"
TABLES_END = "<!-- end of vocabulary tables -->"


def all_types() -> list[str]:
    """Every relationship type the loader writes: curated, then derived."""
    return [*REL_TYPES, *DERIVED_TYPES]


def _ends(labels: frozenset[str]) -> str:
    return "any" if labels == ANY else ", ".join(sorted(labels))


def _props(rel: RelType) -> str:
    return ", ".join(f"`{p}`" + (" (required)" if req else "") for p, req in rel.props.items())


def markdown_tables() -> str:
    """The labels and relationship types of docs/model.md, as Markdown tables."""
    lines = [TABLES_START, "", "| label | meaning |", "| --- | --- |"]
    lines += [f"| {label} | {meaning} |" for label, meaning in LABELS.items()]
    lines += ["", "| type | meaning | from | to | properties |", "| --- | --- | --- | --- | --- |"]
    lines += [
        f"| {name} | {rel.meaning} | {_ends(rel.start)} | {_ends(rel.end)} | {_props(rel)} |"
        for name, rel in REL_TYPES.items()
    ]
    lines += [f"| {name} (derived) | {meaning} | | | |" for name, meaning in DERIVED_TYPES.items()]
    return "\n".join([*lines, "", TABLES_END])


def _snake(name: str) -> str:
    return name.lower()


def _pattern(target: str) -> tuple[str, str]:
    if target in LABELS or target in (ENTITY, SOURCE):
        return f"(n:{target})", "n"
    return f"()-[r:{target}]-()", "r"


def schema_cypher() -> str:
    """cypher/schema.cypher: a uniqueness constraint on ``id`` for every node kind and
    relationship type, then the indexes."""
    lines = [
        "// kazgraph schema: applied by `ensure_schema()` before every load; idempotent.",
        "// Generated from loader/vocabulary.py by `python -m loader.vocabulary`; do not edit.",
        "// Every node the loader writes is an :Entity (or a :Source) with a unique id.",
    ]
    for label in (ENTITY, SOURCE):
        lines.append(
            f"CREATE CONSTRAINT {_snake(label)}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE;"
        )
    lines += ["", "// Every relationship carries a unique id: one uniqueness constraint per type."]
    for name in all_types():
        lines.append(
            f"CREATE CONSTRAINT {_snake(name)}_id IF NOT EXISTS "
            f"FOR ()-[r:{name}]-() REQUIRE r.id IS UNIQUE;"
        )
    lines += ["", "// Look-ups the saved queries make: by name, by any alias, by date and year."]
    for index, label, props, analyzer in FULLTEXT_INDEXES:
        on_each = ", ".join(f"n.{p}" for p in props)
        options = (
            f" OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}'}}}}" if analyzer else ""
        )
        lines.append(
            f"CREATE FULLTEXT INDEX {index} IF NOT EXISTS FOR (n:{label}) "
            f"ON EACH [{on_each}]{options};"
        )
    for target, prop in INDEXES:
        pattern, var = _pattern(target)
        lines.append(
            f"CREATE INDEX {_snake(target)}_{prop} IF NOT EXISTS FOR {pattern} ON ({var}.{prop});"
        )
    return "\n".join(lines) + "\n"


def with_tables(doc: str) -> str:
    """``doc`` (docs/model.md) with its generated tables replaced by the current ones."""
    head, start, rest = doc.partition(TABLES_START)
    _, end, tail = rest.partition(TABLES_END)
    if not (start and end):
        raise ValueError(f"{MODEL_DOC} lacks the markers {TABLES_START!r} ... {TABLES_END!r}")
    return head + markdown_tables() + tail


def main() -> None:
    """Rewrite the generated tables of docs/model.md and cypher/schema.cypher."""
    MODEL_DOC.write_text(with_tables(MODEL_DOC.read_text(encoding="utf-8")), encoding="utf-8")
    SCHEMA_FILE.write_text(schema_cypher(), encoding="utf-8")
    sys.stdout.write(f"wrote {MODEL_DOC} tables and {SCHEMA_FILE}\n")


if __name__ == "__main__":
    main()
