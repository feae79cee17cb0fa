"""Query files found and read: the project's ``queries/`` and private folders, each file
parsed into a :class:`~loader.saved_queries.records.SavedQuery` once per version.

A file is parsed once per version: in a process, by path, modification time and size; across
processes, through the parse cache (:mod:`loader.parse_cache`), by its bytes. A command that
runs one saved query therefore reads one file and, when it was read before, imports no YAML
reader (:mod:`loader.saved_queries.header` is imported on a miss only, for speed).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from loader.errors import QueryFileError
from loader.names import closest
from loader.parse_cache import ParseCache, cache_folder, file_digest
from loader.saved_queries.records import QUERIES_DIR, QUERY_NAME, SavedQuery, as_json, from_json

QUERY_READER = (  # the modules a parsed query file depends on
    "yaml_lines",
    "dates",
    "saved_queries/values",
    "saved_queries/records",
    "saved_queries/header",
)


def parse_saved_query(path: Path) -> SavedQuery:
    """Parse and check one query file; raise QueryFileError listing every problem.

    Files in the project's ``queries/`` must give examples (the tests run them); elsewhere
    (an analyst's private folder) examples are optional. An unchanged file (same
    modification time and size) is not read again."""
    stat = Path(path).stat()
    return _parse(Path(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _parse(path: Path, mtime_ns: int, size: int) -> SavedQuery:
    """:func:`parse_saved_query` for one version of the file (the cache key)."""
    data = path.read_bytes()
    folder = cache_folder()
    cache = ParseCache(folder, "queries", QUERY_READER) if folder else None
    digest = file_digest(data)
    if cache and isinstance(kept := cache.get(path, digest, "saved-query"), dict):
        try:
            return from_json(kept)
        except (KeyError, TypeError):  # not a saved query after all: read the file
            pass
    from loader.saved_queries.header import parse_header  # PyYAML: ~20 ms to import

    saved = parse_header(path, data.decode("utf-8"))
    if cache:
        cache.put(path, digest, "saved-query", as_json(saved))
    return saved


Folders = Path | Sequence[Path]


def _load_folder(folder: Path) -> dict[str, SavedQuery]:
    folder = Path(folder)
    if not folder.is_dir():
        raise QueryFileError(f"{folder}: no such folder of saved queries")
    queries: dict[str, SavedQuery] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.cypher")):
        try:
            queries[path.stem] = parse_saved_query(path)
        except QueryFileError as exc:
            problems.append(str(exc))
    if problems:
        raise QueryFileError(
            f"{len(problems)} saved query file(s) have problems:\n" + "\n".join(problems)
        )
    return queries


def _folders(folder: Folders) -> list[Path]:
    return [Path(folder)] if isinstance(folder, (str, Path)) else [Path(f) for f in folder]


def load_saved_queries(folder: Folders = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every ``*.cypher`` file in ``folder`` (or in each of several folders) by name; raise
    QueryFileError listing all problems, or naming a query two folders both hold."""
    queries: dict[str, SavedQuery] = {}
    for one in _folders(folder):
        for name, saved in _load_folder(one).items():
            if name in queries:
                raise QueryFileError(
                    f"saved query '{name}' is defined twice: {queries[name].path} and "
                    f"{saved.path}; rename one of them"
                )
            queries[name] = saved
    return queries


def query_folders(extra: Sequence[Path] = ()) -> tuple[Path, ...]:
    """The project's ``queries/`` and the given private folders after it (each once)."""
    folders = [QUERIES_DIR]
    for folder in extra:
        if Path(folder).resolve() not in {f.resolve() for f in folders}:
            folders.append(Path(folder))
    return tuple(folders)


def unknown_query(name: str, known: Sequence[str]) -> str:
    """The message for a saved query name that is not known: the closest names, if any look
    like it, else every known name."""
    if near := closest(name, known, limit=3, cutoff=80):
        return f"no saved query '{name}'; did you mean {or_list(near)}?"
    return f"no saved query '{name}'; known: {', '.join(known) or 'none'}"


def or_list(items: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def find_saved_query(name: str, folder: Folders = QUERIES_DIR) -> SavedQuery:
    """The saved query called ``name``, parsed from its one file; when no folder holds
    ``<name>.cypher``, every file is read so that the error suggests the closest names."""
    folders = _folders(folder)
    paths = [f / f"{name}.cypher" for f in folders] if QUERY_NAME.match(name) else []
    found = [path for path in paths if path.is_file()]
    if len(found) == 1 and all(f.is_dir() for f in folders):
        return parse_saved_query(found[0])
    queries = load_saved_queries(folders)  # names a clash, a missing folder or bad files
    if name not in queries:
        raise QueryFileError(unknown_query(name, list(queries)))
    return queries[name]


def as_saved_query(query: SavedQuery | str) -> SavedQuery:
    """``query`` itself, or the saved query of that name in ``queries/``."""
    return query if isinstance(query, SavedQuery) else find_saved_query(query)
