"""Neo4j Browser: the link that opens it connected, its style sheet, and the starter guide.

The style sheet ``cypher/browser-style.grass`` is generated (``python -m loader.browser``)
from the vocabulary and the colour and caption tables below: a rule for every label and
every relationship type. It is the one place that gives each label its colour;
:mod:`loader.pictures` reads its colours from there too.

Two starter query sets, one statement per step, to paste into Browser's editor:

- ``cypher/browser-guide.cypher``, a walk through the graph, generated from
  :data:`WALKTHROUGH` (``kazgraph browse --write-guide``);
- ``.kazgraph/browser-saved-queries.cypher``, every saved query with ``:param`` lines for its
  default parameters, written afresh by each ``kazgraph browse`` from the files in queries/,
  so it never lags behind them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from loader.cypher_text import cypher_literal, split_statements
from loader.errors import KazgraphError
from loader.facts import Source, load_dataset, load_sources
from loader.names import lookup_key, lookup_keys
from loader.settings import LOCAL_HTTP_PORT, PROJECT_ROOT, Settings
from loader.vocabulary import LABELS, REL_TYPES, SOURCE, all_types

STYLE_FILE = PROJECT_ROOT / "cypher" / "browser-style.grass"
GUIDE_FILE = PROJECT_ROOT / "cypher" / "browser-guide.cypher"
SAVED_QUERIES_FILE = PROJECT_ROOT / ".kazgraph" / "browser-saved-queries.cypher"
HOST = "127.0.0.1"


# --- the style sheet -------------------------------------------------------------------
# Each node kind's fill, border, caption colour and diameter; every label needs one.
NODE_STYLE: dict[str, tuple[str, str, str, int]] = {
    "Country": ("#4C8EDA", "#2F6DB5", "#FFFFFF", 65),
    "Organisation": ("#2CA58D", "#1E7D6A", "#FFFFFF", 60),
    "Person": ("#F79767", "#D9744A", "#2A2A2A", 50),
    "Company": ("#C990C0", "#A8709F", "#2A2A2A", 50),
    "Bank": ("#8B6DB0", "#6B4F8F", "#FFFFFF", 50),
    "Place": ("#8DCC93", "#6BAA71", "#2A2A2A", 50),
    "Sea": ("#57C7E3", "#3AA4C0", "#2A2A2A", 55),
    "Infrastructure": ("#D9C8AE", "#B5A386", "#2A2A2A", 45),
    "Route": ("#F16667", "#C94444", "#FFFFFF", 65),
    "Agreement": ("#FFC454", "#D9A136", "#2A2A2A", 45),
    "Event": ("#DA7194", "#B55274", "#FFFFFF", 45),
    "Issue": ("#B5483F", "#8F322B", "#FFFFFF", 45),
    "Programme": ("#9B8F3A", "#786E25", "#FFFFFF", 45),
    SOURCE: ("#E0E0E0", "#A5ABB6", "#2A2A2A", 40),
}
# Relationship rules beyond the default (the type and its required properties).
REL_STYLE: dict[str, dict[str, str]] = {
    "TRADES_WITH": {
        "color": "#4C8EDA",
        "shaft-width": "3px",
        "caption": '"{year} {figure} {value_usd} USD"',
    },
    "ROUTE_STEP": {"color": "#F16667", "shaft-width": "2px", "caption": '"step {order} {role}"'},
    "ROUTE_LEG": {"color": "#C94444", "shaft-width": "3px", "caption": '"leg {order}"'},
    "DOCUMENTED_IN": {"color": "#D0D0D0", "caption": '"{mentions} mentions"'},
}
_BASE_STYLE = """node {
  diameter: 50px;
  color: #A5ABB6;
  border-color: #9AA1AC;
  border-width: 2px;
  text-color-internal: #FFFFFF;
  font-size: 10px;
}
relationship {
  color: #A5ABB6;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #000000;
  text-color-internal: #FFFFFF;
  caption: "<type>";
}
"""


def _rule(selector: str, props: Mapping[str, str]) -> str:
    return selector + " {\n" + "".join(f"  {k}: {v};\n" for k, v in props.items()) + "}\n"


def _default_caption(rel_type: str) -> str:
    """The type, then its required properties (Browser shows a missing one as ``{name}``)."""
    required = (
        [p for p, req in REL_TYPES[rel_type].props.items() if req] if rel_type in REL_TYPES else []
    )
    return '"' + " ".join([rel_type, *(f"{{{p}}}" for p in required)]) + '"'


def style_sheet() -> str:
    """The Browser style sheet: a rule for every label and relationship type."""
    if missing := sorted(set(LABELS) - set(NODE_STYLE)):
        raise KazgraphError(f"loader/browser.py NODE_STYLE has no colour for {', '.join(missing)}")
    rules = [_BASE_STYLE]
    for label in [*LABELS, SOURCE]:
        fill, border, text, diameter = NODE_STYLE[label]
        caption = '"{id}"' if label == SOURCE else '"{name}"'
        rules.append(
            _rule(
                f"node.{label}",
                {
                    "color": fill,
                    "border-color": border,
                    "text-color-internal": text,
                    "diameter": f"{diameter}px",
                    "caption": caption,
                },
            )
        )
    for rel_type in all_types():
        props = {"caption": _default_caption(rel_type), **REL_STYLE.get(rel_type, {})}
        rules.append(_rule(f"relationship.{rel_type}", props))
    return "".join(rules)


def write_style(path: Path = STYLE_FILE) -> Path:
    """Write the generated style sheet."""
    Path(path).write_text(style_sheet(), encoding="utf-8")
    return Path(path)


def _grass_rules(text: str) -> dict[str, str]:
    """Selector -> rule body, split the way Neo4j Browser splits a GraSS file: braces and
    quote marks structure it, quote marks are dropped, whitespace outside rules ignored."""
    rules: dict[str, str] = {}
    quoted = in_rule = False
    selector = body = ""
    for char in text:
        if char in "'\"":
            quoted = not quoted
        elif char == "{" and not quoted:
            in_rule = True
        elif char == "}" and not quoted:
            rules[selector], selector, body, in_rule = body, "", "", False
        elif in_rule:
            body += char
        elif not char.isspace():
            selector += char
    return rules


def read_style(path: Path = STYLE_FILE) -> dict[str, dict[str, str]]:
    """A GraSS file as ``{selector: {property: value}}``, read as Neo4j Browser reads it: no
    comments, and a value may not hold a ``:`` (Browser would drop the property)."""
    rules: dict[str, dict[str, str]] = {}
    for selector, body in _grass_rules(Path(path).read_text(encoding="utf-8")).items():
        props = {}
        for item in body.split(";"):
            if item.strip():
                key, sep, value = item.partition(":")
                if not sep or ":" in value:
                    raise KazgraphError(
                        f"{path}: `{item.strip()}` in `{selector}` is not "
                        "`property: value` without another `:`"
                    )
                props[key.strip()] = value.strip()
        rules[selector] = props
    return rules


def label_colours(path: Path = STYLE_FILE) -> dict[str, str]:
    """Each label's colour in the style sheet (``node.Country { color: ... }``)."""
    return {
        selector.split(".", 1)[1]: props["color"]
        for selector, props in read_style(path).items()
        if selector.startswith("node.") and "color" in props
    }


def style_command(path: Path = STYLE_FILE) -> str:
    """``:style`` followed by the style sheet, to paste into Browser's editor and run."""
    return ":style " + " ".join(Path(path).read_text(encoding="utf-8").split())


# --- the link --------------------------------------------------------------------------
@dataclass(frozen=True)
class BrowserLink:
    """Where Neo4j Browser is, connected to which Bolt URI, and the files to use with it."""

    url: str
    bolt_uri: str
    style_file: Path
    guide_file: Path
    saved_queries_file: Path


def browser_url(
    bolt_uri: str, http_port: int = LOCAL_HTTP_PORT, user: str | None = None, host: str = HOST
) -> str:
    """Browser at ``http://host:port/browser/`` with the connection prefilled.

    Without ``user`` it preselects "No authentication" (the local runner has none); with a
    user it puts the name into the URI and preselects user and password. The password is
    never part of the URL.
    """
    dbms = bolt_uri
    method = "NO_AUTH"
    if user:
        parts = urlsplit(bolt_uri)
        dbms = urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}@{parts.netloc}"))
        method = "BASIC"
    return f"http://{host}:{http_port}/browser/?dbms={dbms}&preselectAuthMethod={method}"


def browser_link(settings: Settings, http_port: int = LOCAL_HTTP_PORT) -> BrowserLink:
    """The link for ``settings``: the local runner's ports when it runs and settings are local."""
    from loader.local_neo4j import find_runner

    bolt_uri = settings.uri
    runner = find_runner() if settings.is_local else None
    if runner is not None:
        bolt_uri, http_port = runner.bolt_uri, runner.http_port
    user = settings.user if settings.password else None
    return BrowserLink(
        browser_url(bolt_uri, http_port, user), bolt_uri, STYLE_FILE, GUIDE_FILE, SAVED_QUERIES_FILE
    )


# --- the guide -------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of the walk-through: a title, a sentence on what it shows, and the Cypher."""

    title: str
    about: str
    cypher: str


def entity_match(variable: str, param: str) -> str:
    """A Cypher condition: ``variable`` is the entity ``$param`` names by id, name or alias,
    the way the CLI resolves names (``lookup`` holds the normalised names; lower case covers
    most of what Browser users type)."""
    v, p = variable, f"${param}"
    return (
        f"({v}.id IN [{p}, toUpper({p})] OR {v}.name = {p} OR {p} IN coalesce({v}.aliases, []) "
        f"OR toLower({p}) IN coalesce({v}.lookup, []))"
    )


def entity_expression(name: str) -> str:
    """A ``:param`` expression that turns an entity's id, name or alias into its id, for the
    saved queries (Browser evaluates the right of ``:param x =>`` as Cypher): edit the name
    in quotes."""
    return (
        f"COLLECT {{ WITH {cypher_literal(name)} AS name MATCH (e:Entity) "
        f"WHERE {entity_match('e', 'name').replace('$name', 'name')} RETURN e.id }}[0]"
    )


_SUBJECT = f"MATCH (s:Entity) WHERE {entity_match('s', 'subject')} "

WALKTHROUGH = (
    Step(
        "What the graph holds",
        "Entities by label, and how many rest on background knowledge, not on a source.",
        "MATCH (n:Entity) WITH [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n "
        "RETURN label, count(*) AS nodes, "
        "count(CASE n.basis WHEN 'background' THEN 1 END) AS background "
        "ORDER BY nodes DESC",
    ),
    Step(
        "The model",
        "Labels and relationship types as Neo4j sees them.",
        "CALL db.schema.visualization()",
    ),
    Step(
        "The subject and its memberships",
        "The organisations the sources' subject belongs to, with its role where the sources "
        "give one.",
        _SUBJECT + "MATCH p = (s)-[:MEMBER_OF]->(:Organisation) RETURN p",
    ),
    Step(
        "Trade, with its figures",
        "Trade links carry the year, the kind of figure (actual, target) and the value in "
        "USD; the style sheet shows them on the arrows.",
        _SUBJECT + "MATCH p = (s)-[:TRADES_WITH]-(:Entity) RETURN p",
    ),
    Step(
        "Routes, step by step",
        "Each corridor, pipeline or rail link and its ordered steps; ROUTE_LEG links join "
        "consecutive steps for path finding.",
        "MATCH p = (:Route)-[:ROUTE_STEP]->(:Entity) RETURN p",
    ),
    Step(
        "Background facts",
        "Facts no source states, kept for context and marked basis = 'background' with "
        "the reason in background_basis.",
        "MATCH (a)-[r]->(b) WHERE r.basis = 'background' "
        "RETURN a.name AS from, type(r) AS type, b.name AS to, r.background_basis AS why "
        "ORDER BY type, from LIMIT 50",
    ),
    Step(
        "Where a fact comes from",
        "Every fact cites sources by locator (source#paragraph.sentence); DOCUMENTED_IN "
        "links each entity to the sources that name it.",
        _SUBJECT + "MATCH p = (s)-[:DOCUMENTED_IN]->(:Source) RETURN p",
    ),
)


def _comment(text: str, width: int = 92) -> list[str]:
    lines, line = [], "//"
    for word in text.split():
        if len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "//"
        line += " " + word
    return [*lines, line]


CONNECT_RESULT_NODES_OFF = ":config autoComplete: false;"  # Browser's key for the setting


def _param_lines(values: Mapping[str, Any]) -> list[str]:
    return [f":param {name} => {cypher_literal(value)};" for name, value in values.items()]


def guide_params(query: Any, entity_ids: Mapping[str, str]) -> dict[str, Any]:
    """The values the guide sets for a saved query: its first example's or its defaults,
    entity names turned into ids with ``entity_ids`` (lookup key -> id)."""
    from loader.saved_queries import parse_params, run_params

    values = parse_params(query, run_params(query))
    for name, param in query.params.items():
        if param.type == "entity" and values[name] is not None:
            key = lookup_key(str(values[name]))
            if key not in entity_ids:
                raise KazgraphError(
                    f"saved query '{query.name}': no entity is called "
                    f"'{values[name]}' (parameter {name})"
                )
            values[name] = entity_ids[key]
    return values


def entity_lookup(dataset: Any) -> dict[str, str]:
    """Every entity's lookup keys (id, name, aliases, normalised) mapped to its id."""
    found: dict[str, str] = {}
    for eid, item in dataset.entities.items():
        for key in lookup_keys([eid, item.record.name, *item.record.aliases]):
            found.setdefault(key, eid)
    return found


def guide_subject(sources: Iterable[Source]) -> str | None:
    """The entity most sources name as their subject: the walk-through starts from it."""
    subjects = Counter(s.subject for s in sources if s.subject)
    return subjects.most_common(1)[0][0] if subjects else None


def browser_guide(subject: str | None = None) -> str:
    """The walk-through: one titled, explained statement per step, about ``subject`` (by
    default the sources' subject, from the registry)."""
    subject = subject or guide_subject(load_sources().values())
    lines = [
        "// kazgraph in Neo4j Browser: a walk through the graph.",
        "// Generated by `kazgraph browse --write-guide` from loader/browser.py; do not edit.",
        "// Paste the whole file into the editor and run it (Ctrl+Enter): each statement",
        "// opens its own frame. Or run the steps one by one, or drop the file onto the",
        "// Favorites drawer to keep it. Apply cypher/browser-style.grass first (`:style`,",
        "// then drag the file onto the style frame) for colours and captions. Every saved",
        "// query, ready to run: `kazgraph browse` writes .kazgraph/browser-saved-queries.cypher.",
        "//",
        '// The :config line switches off Browser\'s "Connect result nodes" (its key is',
        "// autoComplete), which would draw every relationship between the nodes of an answer,",
        "// not only the ones it returns (by hand: Settings, the gear at the bottom left, then",
        '// untick "Connect result nodes").',
        "// The subject is any id, name or alias, as on the command line: `:param subject =>",
        "// 'Kazakhstan'` works too.",
        "",
        CONNECT_RESULT_NODES_OFF,
        *_param_lines({"subject": subject}),
        "",
    ]
    for n, step in enumerate(WALKTHROUGH, start=1):
        lines += [f"// {n}. {step.title}", *_comment(step.about), step.cypher + ";", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def saved_queries_guide(queries: Iterable[Any], entity_ids: Mapping[str, str]) -> str:
    """Every saved query as Browser runs it: title and description as comments, ``:param``
    lines for its parameters (entity names as ids), then its Cypher."""
    lines = [
        "// kazgraph saved queries for Neo4j Browser, written by `kazgraph browse` from",
        "// queries/*.cypher. Run one statement, or paste the whole file and run it.",
        "",
    ]
    from loader.saved_queries import parse_params, run_params

    for query in queries:
        guide_params(query, entity_ids)  # every entity name is known
        names = parse_params(query, run_params(query))
        params = []
        for name, value in names.items():
            if query.params[name].type == "entity" and value is not None:
                params.append(f":param {name} => {entity_expression(str(value))};")
            else:
                params += _param_lines({name: value})
        entity_note = (
            ["// Entity parameters take any id, name or alias: edit the name in quotes."]
            if any(p.type == "entity" for p in query.params.values())
            else []
        )
        lines += [
            f"// Saved query `{query.name}`: {query.title}",
            *_comment(query.description),
            f"// (queries/{query.path.name}; `kazgraph query run {query.name}`)",
            *entity_note,
            *params,
            query.cypher.strip().rstrip(";") + ";",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_guide(path: Path = GUIDE_FILE) -> Path:
    """Write the walk-through guide."""
    Path(path).write_text(browser_guide(), encoding="utf-8")
    return Path(path)


def write_saved_queries_guide(path: Path = SAVED_QUERIES_FILE) -> Path:
    """Write the saved queries in queries/ for Browser (entity names resolved with data/)."""
    from loader.saved_queries import load_saved_queries

    text = saved_queries_guide(load_saved_queries().values(), entity_lookup(load_dataset()))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def guide_statements(text: str) -> list[tuple[dict[str, str], str]]:
    """The guide's Cypher statements, each with the ``:param`` values set before it (as
    Cypher expressions), in order; other Browser commands (``:config``) are left out."""
    params: dict[str, str] = {}
    found = []
    for _, statement in split_statements(text):
        if statement.startswith(":param "):
            name, _, expression = statement[len(":param ") :].partition("=>")
            params[name.strip()] = expression.strip()
        elif statement.startswith(":"):  # another Browser command (:config)
            continue
        else:
            found.append((dict(params), statement))
    return found


if __name__ == "__main__":
    print(write_style(), write_guide())
