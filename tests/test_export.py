"""Every export format round-trips: back into Neo4j, or read by networkx, with nothing lost."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from click.testing import CliRunner

from loader.bulk import dataset_graph
from loader.cli import main
from loader.errors import ExportError
from loader.export import export, fetch_graph, write_graph
from loader.export.cypher_script import cypher_script, run_cypher_script
from loader.export.neo4j_admin import write_csv
from loader.facts import load_dataset
from loader.graph import Graph
from loader.schema import schema_statements
from loader.settings import Settings
from loader.vocabulary import DERIVED_TYPES, LABELS, REL_TYPES
from loader.write import graph_counts


def wipe(driver: neo4j.Driver, database: str) -> None:
    """Nodes, constraints and indexes gone (token lookup indexes stay, as in a new database)."""
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)
    for kind, query in (
        ("CONSTRAINT", "SHOW CONSTRAINTS YIELD name RETURN name"),
        ("INDEX", "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"),
    ):
        for record in driver.execute_query(query, database_=database).records:
            name = record["name"].replace("`", "``")
            driver.execute_query(f"DROP {kind} `{name}` IF EXISTS", database_=database)


def totals(driver: neo4j.Driver, settings: Settings) -> tuple[int, int]:
    """Nodes (entities and sources) and relationships in the database."""
    labels, types = graph_counts(driver, settings.database)
    return labels.get("Entity", 0) + labels.get("Source", 0), sum(types.values())


def by_id(graph: Graph) -> tuple[dict[str, dict], dict[tuple[str, str], dict]]:
    return (
        {n["id"]: n for n in graph.nodes},
        {(r["type"], r["id"]): r for r in graph.relationships},
    )


# --- Cypher script ---------------------------------------------------------------------
def kinds(graph: Graph) -> set[tuple[str, ...]]:
    """Every label, relationship type and property key (with the Python type of its value)
    the graph holds, per label set or relationship type."""
    found: set[tuple[str, ...]] = set()
    for node in graph.nodes:
        labels = ":".join(sorted(node["labels"]))
        found.add(("node", labels))
        found |= {("node", labels, k, type(v).__name__) for k, v in node["properties"].items()}
    for rel in graph.relationships:
        found.add(("rel", rel["type"]))
        found |= {("rel", rel["type"], k, type(v).__name__) for k, v in rel["properties"].items()}
    return found


def sample_of_every_kind(graph: Graph) -> Graph:
    """A part of ``graph`` with at least one node or relationship of each of its kinds (see
    :func:`kinds`), relationships with both ends: a Neo4j statement with literal values costs
    time in proportion to their size, so the round trip checks a sample of every kind."""
    nodes = {n["id"]: n for n in graph.nodes}

    def size(rel: dict) -> int:  # the smallest first: hubs carry long provenance lists
        return sum(len(repr(x)) for x in (rel, nodes[rel["start"]], nodes[rel["end"]]))

    seen: set[tuple[str, ...]] = set()
    rels, keep = [], set()
    for rel in sorted(graph.relationships, key=size):
        if not (own := kinds(Graph(nodes=[], relationships=[rel]))) <= seen:
            rels.append(rel)
            keep |= {rel["start"], rel["end"]}
            seen |= own
    for node in sorted(graph.nodes, key=lambda n: len(repr(n))):
        own = kinds(Graph(nodes=[node], relationships=[]))
        if node["id"] in keep or not own <= seen:
            keep.add(node["id"])
            seen |= own
    return Graph(nodes=[nodes[i] for i in sorted(keep)], relationships=rels)


def test_cypher_script_rebuilds_the_same_graph_in_an_empty_database(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, spoils_graph: None
) -> None:
    database = neo4j_settings.database
    whole = fetch_graph(loaded, database)
    before = sample_of_every_kind(whole)
    assert kinds(before) == kinds(whole)
    script = write_graph(before, "cypher", tmp_path / "kazgraph.cypher").path
    wipe(loaded, database)

    ran = run_cypher_script(loaded, database, script)

    after = fetch_graph(loaded, database)
    assert ran > len(schema_statements())
    assert len(after.nodes) == len(before.nodes) and len(after.relationships) == len(
        before.relationships
    )
    assert by_id(after) == by_id(before)  # every label, type and property, exactly
    constraints = loaded.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN count(*) AS n", database_=database
    ).records[0]["n"]
    assert constraints == sum(s.startswith("CREATE CONSTRAINT") for s in schema_statements())


TRICKY = Graph(
    nodes=[
        {
            "id": "KAZ",
            "labels": ["Country"],
            "properties": {
                "id": "KAZ",
                "name": "Kazakhstan",
                "basis": "documented",
                "description": 'It\'s a "multi-vector" policy;\nback\\slash\ttab',
                "aliases": ["Qazaqstan", "Қазақстан", "O'Kaz"],
                "share": 0.1,
                "big": 2.58e10,
                "tiny": 1e-7,
                "count": 3,
                "flag": True,
            },
        },
        {
            "id": "src",
            "labels": ["Source"],
            "properties": {"id": "src", "title": "A // not a comment; really", "date": "2020"},
        },
    ],
    relationships=[
        {
            "id": "KAZ@src",
            "type": "DOCUMENTED_IN",
            "start": "KAZ",
            "end": "src",
            "properties": {
                "id": "KAZ@src",
                "basis": "background",
                "mentions": 2,
                "locators": ["src#p1.s1", "src#p2.s3"],
                "background_basis": "editor's note: `quoted`",
            },
        },
    ],
)


def test_cypher_script_escapes_quotes_backslashes_newlines_and_unicode(
    empty_db: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    script = cypher_script(TRICKY)
    assert all(line.endswith(";") or line.startswith("//") for line in script.splitlines())
    path = tmp_path / "tricky.cypher"
    path.write_text(script, encoding="utf-8")
    run_cypher_script(empty_db, neo4j_settings.database, path)
    assert by_id(fetch_graph(empty_db, neo4j_settings.database)) == by_id(TRICKY)


def test_csv_fields_read_back_exactly_with_quotes_line_breaks_and_arrays(tmp_path: Path) -> None:
    folder = write_graph(TRICKY, "csv", tmp_path / "import").path
    with (folder / "nodes-Country.csv").open(encoding="utf-8", newline="") as f:
        header, row = list(csv.reader(f))
    fields = dict(zip(header, row, strict=True))
    kaz = TRICKY.nodes[0]["properties"]
    assert fields["description:string"] == kaz["description"]
    assert fields["aliases:string[]"].split(";") == kaz["aliases"]
    assert (fields[":LABEL"], fields["flag:boolean"], fields["count:long"]) == (
        "Entity;Country",
        "true",
        "3",
    )
    assert [float(fields[f"{k}:double"]) for k in ("share", "big", "tiny")] == [0.1, 2.58e10, 1e-7]


def test_labels_and_types_outside_the_vocabulary_are_refused(tmp_path: Path) -> None:
    evil = Graph(
        [{"id": "x", "labels": ["Country`) DETACH DELETE (n"], "properties": {"id": "x"}}], []
    )
    for fmt in ("cypher", "csv", "graphml", "gexf"):
        with pytest.raises(ExportError, match="loader/vocabulary.py"):
            write_graph(evil, fmt, tmp_path / fmt)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    rel = Graph(TRICKY.nodes, [{**TRICKY.relationships[0], "type": "HACKS"}])
    with pytest.raises(ExportError, match="'HACKS'"):
        cypher_script(rel)


# --- GraphML and GEXF -------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_back_every_node_edge_and_property(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path, fmt: str
) -> None:
    graph = fetch_graph(loaded, neo4j_settings.database)
    path = write_graph(graph, fmt, tmp_path / f"kazgraph.{fmt}").path

    read = nx.read_graphml(path, force_multigraph=True) if fmt == "graphml" else nx.read_gexf(path)

    assert (read.number_of_nodes(), read.number_of_edges()) == totals(loaded, neo4j_settings)
    assert read.is_directed() and read.is_multigraph()
    nodes, rels = by_id(graph)
    kaz = read.nodes["KAZ"]
    assert kaz["labels"] == ":Entity:Country" and kaz["label"] == "Kazakhstan"
    assert json.loads(kaz["aliases"]) == nodes["KAZ"]["properties"]["aliases"]
    assert kaz["basis"] == nodes["KAZ"]["properties"]["basis"]
    edges = {(data["label"], key): data for _, _, key, data in read.edges(keys=True, data=True)}
    assert set(edges) == set(rels)
    for (rel_type, rel_id), data in edges.items():
        props = rels[(rel_type, rel_id)]["properties"]
        assert data["basis"] == props["basis"]  # background facts stay distinguishable
        for name, value in props.items():
            if name == "id":
                continue
            shown = json.loads(data[name]) if isinstance(value, list) else data[name]
            assert shown == value, (rel_id, name)


# --- CSV for neo4j-admin ----------------------------------------------------------------
ADMIN_TYPES = {
    "string": str,
    "long": int,
    "int": int,
    "double": float,
    "float": float,
    "boolean": lambda v: {"true": True, "false": False}[v],
}
HEADER = re.compile(
    r"^(?:(?P<id>[A-Za-z_]\w*)?:ID\((?P<id_space>\w+)\)"
    r"|:(?P<special>LABEL|TYPE)"
    r"|:(?P<end>START_ID|END_ID)\((?P<end_space>\w+)\)"
    r"|(?P<name>[A-Za-z_]\w*):(?P<type>string|long|int|double|float|boolean)(?P<array>\[\])?)$"
)


def read_import_folder(
    folder: Path,
) -> tuple[dict[str, set[str]], list[tuple[str, list[str], list[list[str]]]]]:
    """Check every header and value; return node ids by id space and every file's rows."""
    ids: dict[str, set[str]] = {}
    files = []
    for path in [*sorted(folder.glob("nodes-*.csv")), *sorted(folder.glob("relationships-*"))]:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        matches = [HEADER.match(column) for column in header]
        assert all(matches), (path.name, [c for c, m in zip(header, matches, strict=True) if not m])
        for row in body:
            assert len(row) == len(header), path.name
            for column, match, value in zip(header, matches, row, strict=True):
                if match and match["type"] and value:
                    parse = ADMIN_TYPES[match["type"]]
                    for item in value.split(";") if match["array"] else [value]:
                        parse(item)  # raises if neo4j-admin could not parse it either
                if column == ":LABEL":
                    assert set(value.split(";")) <= set(LABELS) | {"Entity", "Source"}
                if column == ":TYPE":
                    assert value in REL_TYPES or value in DERIVED_TYPES
        if path.name.startswith("nodes-"):
            (space,) = [m["id_space"] for m in matches if m["id_space"]]
            assert header.count(":LABEL") == 1
            ids.setdefault(space, set()).update(row[0] for row in body)
        else:
            assert [m["end"] for m in matches[:2]] == ["START_ID", "END_ID"]
            assert header[2] == ":TYPE"
        files.append((path.name, header, body))
    return ids, files


def test_csv_folder_is_valid_neo4j_admin_import_input(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    summary = export(loaded, neo4j_settings.database, "csv", tmp_path / "import")

    ids, files = read_import_folder(summary.path)

    nodes, rels = totals(loaded, neo4j_settings)
    assert sum(len(body) for name, _, body in files if name.startswith("nodes-")) == nodes
    assert sum(len(body) for name, _, body in files if name.startswith("rel")) == rels
    for name, header, body in files:
        if name.startswith("relationships-"):
            start = HEADER.match(header[0])["end_space"]
            end = HEADER.match(header[1])["end_space"]
            assert all(row[0] in ids[start] and row[1] in ids[end] for row in body), name
    trade = next(h for n, h, _ in files if n == "relationships-TRADES_WITH.csv")
    assert "value_usd:double" in trade and "year:string" in trade
    country = next(h for n, h, _ in files if n == "nodes-Country.csv")
    assert country[:2] == ["id:ID(Entity)", ":LABEL"] and "aliases:string[]" in country
    script = (summary.path / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--array-delimiter=;" in script


def test_the_csv_export_of_the_loaded_graph_is_what_load_bulk_imports(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    """The folder `kazgraph export --format csv` writes from the database is, file for file,
    the one `kazgraph load --bulk` builds from data/ and feeds to the real `neo4j-admin
    database import full` (tests/test_scale.py runs that import and serves its store)."""
    exported = write_graph(fetch_graph(loaded, neo4j_settings.database), "csv", tmp_path / "a")
    bulk = tmp_path / "bulk"
    bulk.mkdir()
    write_csv(dataset_graph(load_dataset()), bulk)
    names = sorted(p.name for p in bulk.iterdir())  # the export adds its schema and marker
    assert "nodes-Country.csv" in names and "relationships-TRADES_WITH.csv" in names
    for name in names:
        assert (exported.path / name).read_bytes() == (bulk / name).read_bytes(), name


# --- subgraphs and the command line ------------------------------------------------------
def test_query_export_holds_the_saved_querys_subgraph_and_nothing_dangling(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "routes.json"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "json",
            "-o",
            str(out),
            "--query",
            "routes-bypassing-russia",
            "--uri",
            neo4j_settings.uri,
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    ids = {n["id"] for n in doc["nodes"]}
    assert {"middle-corridor", "kz-iran-turkey-rail"} <= ids
    assert not {"cpc-pipeline", "kz-europe-via-russia", "RUS"} & ids
    assert all(r["start"] in ids and r["end"] in ids for r in doc["relationships"])
    assert result.output == (
        f"wrote {len(doc['nodes'])} nodes and {len(doc['relationships'])}"
        f" relationships to {out} (json, "
        f"{out.stat().st_size / 1024:,.1f} KiB)\n"
    )


def test_export_command_explains_a_csv_import(
    loaded: neo4j.Driver, neo4j_settings: Settings, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main, ["export", "--format", "csv", "-o", str(tmp_path / "db"), "--uri", neo4j_settings.uri]
    )
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        f"import it into an empty, stopped database with: sh {tmp_path / 'db'}/import.sh\n"
    )


def test_params_without_a_query_are_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "-o", str(tmp_path / "x.json"), "-p", "a=b"])
    assert result.exit_code == 2
    assert "Error: --param needs --query NAME" in result.output
