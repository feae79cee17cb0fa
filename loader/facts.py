"""Curated facts: read the YAML files under data/, validate them, return a Dataset.

Every problem in every file is collected, with file, line and record, before
anything is raised, so one run of ``kazgraph load`` shows them all at once.
"""

from __future__ import annotations

import functools
import gc
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticError

from loader.dates import check_partial_date
from loader.errors import ValidationError
from loader.names import lookup_key, normalise
from loader.parse_cache import ParseCache, file_digest
from loader.vocabulary import LABELS, REL_TYPES, TYPE_PROPERTIES
from loader.yaml_lines import CONTROL, LineDict, YamlProblem, problem_line, read_yaml

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[A-Z]{3}$")

# Numbers that cannot surprise: finite, never a boolean, within sane bounds. Strict types
# refuse true/false and text; a YAML integer is still a valid float.
Money = Annotated[float, Field(ge=0, le=1e15, strict=True, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, le=100, strict=True, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10**12, strict=True)]
Index = Annotated[int, Field(ge=1, le=10**6, strict=True)]


def _control_characters(value: Any, where: str = "") -> list[str]:
    """Where text holds control characters (tab and newline included), found recursively."""
    if isinstance(value, str):
        if CONTROL.search(value) is None:
            return []
        bad = sorted({f"U+{ord(c):04X}" for c in value if unicodedata.category(c) == "Cc"})
        return [f"{where or 'text'}: control character {', '.join(bad)}"] if bad else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _control_characters(v, str(k))]
    if isinstance(value, list | tuple):
        return [p for v in value for p in _control_characters(v, where)]
    return []


def _scripts(word: str) -> set[str]:
    """The scripts of a word's letters (LATIN, CYRILLIC, ...), from their Unicode names."""
    return {
        unicodedata.name(c, "?").split()[0]
        for c in word
        if unicodedata.category(c) in ("Lu", "Ll", "Lt", "Lo")
    }


def check_name(value: str) -> str:
    """A name as NFC text: not blank, and no word mixing scripts (a Latin word with a
    Cyrillic look-alike letter); a name wholly in one script, or with words in different
    scripts, is fine."""
    if value.isascii():  # NFC already, and every letter Latin: only blankness to check
        if not value.strip():
            raise ValueError("a name may not be blank")
        return value
    value = unicodedata.normalize("NFC", value)
    if not value.strip():
        raise ValueError("a name may not be blank")
    for word in value.split():
        if len(scripts := _scripts(word)) > 1:
            raise ValueError(
                f"'{word}' mixes scripts ({', '.join(sorted(scripts))}): "
                "a look-alike letter from another alphabet?"
            )
    return value


class Strict(BaseModel):
    """Base model: unknown keys are errors, records are immutable, text has no control
    characters."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context is TEXT_CHECKED:
            return data  # the reader has looked already (see _parse)
        if problems := _control_characters(data):
            raise ValueError("; ".join(problems))
        return data


# Validation context of records whose text the reader has already checked for control
# characters: the model's own walk through every value is then skipped.
TEXT_CHECKED: dict[str, bool] = {"control_characters_checked": True}


class Source(Strict):
    id: str
    file: str
    author: str
    title: str
    date: str
    date_note: str | None = None
    subject: str | None = Field(None, description="the entity a sentence may leave implicit")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    _date = field_validator("date")(check_partial_date)


class Cite(Strict):
    """A locator: paragraph and sentence index (from 1) and the sentence's SHA-256."""

    source: str
    para: Index
    sent: Index
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    @property
    def locator(self) -> str:
        return f"{self.source}#p{self.para}.s{self.sent}"


class Entity(Strict):
    id: str = Field(pattern=SLUG.pattern)
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = Field(
        (),
        description="phrases a source uses for it without naming it; checked by verify, "
        "never used for look-up",
    )
    kind: str | None = None
    description: str | None = None
    date: str | None = None
    date_note: str | None = None
    background: str | None = Field(None, description="basis, when the sources do not name it")

    _date = field_validator("date")(check_partial_date)

    @field_validator("name", "aliases", "mentions")
    @classmethod
    def _names(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        if isinstance(value, str):
            return check_name(value)
        return tuple(check_name(v) for v in value)

    @field_validator("label")
    @classmethod
    def _known_label(cls, value: str) -> str:
        if value not in LABELS:
            raise ValueError(f"unknown label '{value}' (known: {', '.join(LABELS)})")
        return value

    @model_validator(mode="after")
    def _country_code(self) -> Entity:
        if self.label == "Country" and pycountry.countries.get(alpha_3=self.id) is None:
            raise ValueError(f"country id '{self.id}' is not an ISO 3166-1 alpha-3 code")
        if self.label != "Country" and self.id.isupper():
            raise ValueError("only countries take upper-case ISO ids; use a lower-case slug")
        return self


# the type-specific properties each relationship type requires, in name order
_REQUIRED = {t: sorted(f for f, req in rel.props.items() if req) for t, rel in REL_TYPES.items()}

# numeric properties that are figures the cited sentence must state
FIGURES = ("value_usd", "value_max_usd", "share_pct", "personnel", "count")


class Fact(Strict):
    """One relationship between two entities, with provenance."""

    id: str = Field(pattern=SLUG.pattern)
    type: str
    from_: str = Field(alias="from")
    to: str
    description: str | None = None
    date: str | None = None
    date_note: str | None = None
    since: str | None = None
    until: str | None = None
    cites: tuple[Cite, ...] = ()
    background: str | None = Field(None, description="basis, when no source states it")
    count: Count | None = None
    count_of: str | None = None
    # type-specific
    role: str | None = None
    year: str | None = None
    figure: Literal["actual", "estimate", "target"] | None = None
    value_usd: Money | None = None
    value_max_usd: Money | None = None
    share_pct: Percent | None = None
    flow: Literal["total", "exports", "imports"] | None = None
    products: tuple[str, ...] | None = None
    sector: str | None = None
    office: str | None = None
    kind: str | None = None
    personnel: Count | None = None
    status: Literal["open", "easing", "resolved", "managed", "unresolved"] | None = None
    order: Index | None = None
    stance: str | None = None
    field: str | None = None
    outcome: str | None = None
    channel: str | None = None
    purpose: str | None = None
    mode: Literal["asked", "urged", "invited", "instructed"] | None = None
    held_by: Literal["state", "public", "author"] | None = None

    _dates = field_validator("date", "since", "until", "year")(check_partial_date)

    @model_validator(mode="after")
    def _fits_type(self) -> Fact:
        if self.type not in REL_TYPES:
            raise ValueError(
                f"unknown relationship type '{self.type}' (known: {', '.join(sorted(REL_TYPES))})"
            )
        fields = REL_TYPES[self.type].props
        # every type-specific field defaults to None, so a value must have been given
        given = {f for f in self.model_fields_set & TYPE_PROPERTIES if getattr(self, f) is not None}
        if stray := sorted(given - fields.keys()):
            raise ValueError(f"{self.type} takes no {', '.join(stray)}")
        if missing := [f for f in _REQUIRED[self.type] if f not in given]:
            raise ValueError(f"{self.type} needs {', '.join(missing)}")
        if not self.cites and not self.background:
            raise ValueError("needs cites (documented) or background (with its basis)")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self

    @property
    def basis(self) -> str:
        return "background" if self.background else "documented"

    def properties(self) -> dict[str, Any]:
        """Type-specific and time properties, without provenance or endpoints."""
        values = self.__dict__
        out = {k: values[k] for k in _PROPERTY_KEYS if values[k] is not None}
        if "products" in out:
            out["products"] = list(out["products"])
        return out


# a fact's own properties on its relationship, in name order
_PROPERTY_KEYS = tuple(
    sorted(
        TYPE_PROPERTIES
        | {"date", "date_note", "since", "until", "count", "count_of", "description"}
    )
)


@dataclass(frozen=True)
class Located:
    """A validated record and where it came from."""

    file: str
    line: int
    record: Any


@dataclass(frozen=True)
class Dataset:
    """Every validated source, entity and fact; ``files``: where they were read from, when
    they were read through a parse cache."""

    sources: dict[str, Source]
    entities: dict[str, Located]
    facts: dict[str, Located]
    files: DataFiles | None = None


@dataclass(frozen=True)
class DataFiles:
    """A data folder as it was read: each file's path and SHA-256, and the parse cache."""

    folder: Path
    digests: tuple[tuple[str, str], ...]
    cache: Path


def data_files(folder: Path) -> list[Path]:
    """The YAML files of a data folder, ``.yaml`` and ``.yml`` alike, in name order."""
    return sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml"))


@dataclass(frozen=True)
class _Records:
    """The records of one file with their lines; whether any of their text may hold a
    control character (when not, no record needs to be searched for one); and whether
    the parse cache may keep them (JSON holds them exactly)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    control_characters: bool = True
    json_exact: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "lines": self.lines, "control": self.control_characters}

    @classmethod
    def from_json(cls, kept: Any) -> _Records | None:
        """Records the parse cache kept, or None when they are not in the shape it keeps."""
        if not isinstance(kept, dict):
            return None
        rows, lines, control = kept.get("rows"), kept.get("lines"), kept.get("control")
        if (
            not isinstance(rows, list)
            or not isinstance(lines, list)
            or len(rows) != len(lines)
            or not isinstance(control, bool)
            or not all(type(row) is dict for row in rows)
            or not all(type(line) is int for line in lines)
        ):
            return None
        return cls(rows, lines, control)


def _read_yaml(path: Path, raw: bytes, key: str, problems: list[str]) -> _Records:
    """The records under ``key:`` in one file's bytes; every problem is added to
    ``problems``."""
    try:
        read = read_yaml(raw.decode("utf-8"))
        doc = read.data
    except (yaml.YAMLError, YamlProblem) as exc:
        line = problem_line(exc)
        where = f":{line}" if line else ""
        reason = getattr(exc, "problem", None) or exc
        problems.append(f"{path}{where}: malformed YAML ({reason})")
        return _Records()
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return _Records()
    except RecursionError:
        problems.append(f"{path}: nested too deeply to be a kazgraph data file")
        return _Records()
    if not isinstance(doc, LineDict) or not isinstance(doc.get(key), list):
        problems.append(f"{path}: expected a top-level '{key}:' list")
        return _Records()
    if others := [k for k in doc if k != key]:
        problems.append(
            f"{path}:{doc.line_of(others[0])}: unknown top-level key "
            f"'{others[0]}' (a {key} file holds only '{key}:')"
        )
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    for item in doc[key]:
        if not isinstance(item, LineDict):
            problems.append(
                f"{path}:{doc.line_of(key)}: every item under '{key}' must be a mapping"
            )
            continue
        rows.append(item)
        lines.append(item.line)
    return _Records(rows, lines, read.control_characters, read.json_exact)


def _read_file(
    path: Path, key: str, model: type[BaseModel], problems: list[str], cache: ParseCache | None
) -> list[Located]:
    """The valid records of one data file: parsed, or from the parse cache when it holds
    this file's bytes; a file read without a problem is kept there."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
        return []
    if cache is None:
        return _parse(path, _read_yaml(path, raw, key, problems), model, problems)
    digest = file_digest(raw)
    cache.read.append((str(path), digest))
    kept = _Records.from_json(cache.get(path, digest, key))
    if kept is not None:
        return _parse(path, kept, model, problems)
    before = len(problems)
    records = _read_yaml(path, raw, key, problems)
    valid = _parse(path, records, model, problems)
    if len(problems) == before and records.json_exact:
        cache.put(path, digest, key, records.as_json())
    return valid


def _describe(err: PydanticError) -> str:
    return "; ".join(
        (".".join(str(p) for p in e["loc"]) + ": " if e["loc"] else "")
        + e["msg"].removeprefix("Value error, ")
        for e in err.errors()
    )


@functools.cache
def _list_of(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _parse(
    path: Path, records: _Records, model: type[BaseModel], problems: list[str]
) -> list[Located]:
    """The valid records of one file, validated in one call; when any is invalid, each
    record again on its own, so that every problem names its record and line."""
    name, rows, lines = str(path), [], []
    for row, line in zip(records.rows, records.lines, strict=True):
        # as the model's own check would say it, and then nothing else about the record
        if records.control_characters and (bad := _control_characters(row)):
            problems.append(f"{path}:{line}: record '{row.get('id', '?')}': {'; '.join(bad)}")
        else:
            rows.append(row)
            lines.append(line)
    try:
        valid = _list_of(model).validate_python(rows, context=TEXT_CHECKED)
        return [Located(name, line, record) for line, record in zip(lines, valid, strict=True)]
    except PydanticError:
        pass
    out = []
    for row, line in zip(rows, lines, strict=True):
        try:
            out.append(Located(name, line, model.model_validate(row, context=TEXT_CHECKED)))
        except PydanticError as exc:
            problems.append(f"{path}:{line}: record '{row.get('id', '?')}': {_describe(exc)}")
    return out


def _index(items: list[Located], what: str, problems: list[str]) -> dict[str, Located]:
    seen: dict[str, Located] = {}
    for item in items:
        rid = item.record.id
        if rid in seen:
            first = seen[rid]
            problems.append(
                f"{item.file}:{item.line}: duplicate {what} id '{rid}' "
                f"(first at {first.file}:{first.line})"
            )
        else:
            seen[rid] = item
    return seen


def _check_links(
    entities: dict[str, Located],
    facts: dict[str, Located],
    sources: dict[str, Source],
    problems: list[str],
    orphans: bool,
) -> None:
    used: Counter[str] = Counter()
    steps: dict[str, list[int]] = defaultdict(list)
    for item in facts.values():
        fact: Fact = item.record
        where = f"{item.file}:{item.line}: fact '{fact.id}'"
        rel = REL_TYPES[fact.type]
        for end, eid, allowed in (("from", fact.from_, rel.start), ("to", fact.to, rel.end)):
            if eid not in entities:
                problems.append(f"{where}: unknown entity '{eid}' in '{end}'")
                continue
            used[eid] += 1
            label = entities[eid].record.label
            if label not in allowed:
                problems.append(
                    f"{where}: {fact.type} cannot have a {label} at '{end}' "
                    f"(allowed: {', '.join(sorted(allowed))})"
                )
        for cite in fact.cites:
            if cite.source not in sources:
                problems.append(f"{where}: unknown source '{cite.source}'")
        if fact.type == "ROUTE_STEP" and fact.order:
            steps[fact.from_].append(fact.order)
    for source in sources.values():
        if source.subject is not None and source.subject not in entities:
            problems.append(f"source '{source.id}': unknown subject entity '{source.subject}'")
    for route, orders in steps.items():
        if sorted(orders) != list(range(1, len(orders) + 1)):
            problems.append(f"route '{route}': step orders {sorted(orders)} must run 1..n once")
    for eid, item in entities.items() if orphans else ():
        if not used[eid]:
            problems.append(
                f"{item.file}:{item.line}: entity '{eid}' is used by no fact, "
                "so nothing documents it"
            )


def _sources(
    data_dir: Path, problems: list[str], cache: ParseCache | None = None
) -> dict[str, Source]:
    path = data_dir / "sources.yaml"
    if not path.is_file():
        problems.append(f"{path}: the source registry is missing")
        return {}
    return {s.record.id: s.record for s in _read_file(path, "sources", Source, problems, cache)}


def name_keys(name: str) -> set[str]:
    """The forms under which two names count as the same: the ASCII look-up key (accents
    folded) and the NFKC case-folded text, so names in any script are compared."""
    return {k for k in (lookup_key(name), normalise(name).casefold()) if k}


def _check_names(entities: dict[str, Located], problems: list[str]) -> None:
    """A name or alias must point at one entity only, so a look-up by it is unambiguous;
    within one entity, no alias may repeat another of its names."""
    owner: dict[str, str] = {}
    for eid, item in entities.items():
        mine: dict[str, str] = {}
        where = f"{item.file}:{item.line}: entity '{eid}'"
        for name in [item.record.name, *item.record.aliases]:
            folded = normalise(name).casefold()
            if folded in mine:
                problems.append(f"{where}: '{name}' repeats '{mine[folded]}'")
            mine.setdefault(folded, name)
            keys = sorted(name_keys(name))
            if clash := next((k for k in keys if owner.get(k, eid) != eid), None):
                problems.append(f"{where}: name or alias '{clash}' already names '{owner[clash]}'")
            for key in keys:
                owner.setdefault(key, eid)


def load_sources(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, Source]:
    """Only the source registry, validated."""
    problems: list[str] = []
    sources = _sources(Path(data_dir), problems)
    if problems:
        raise ValidationError(problems)
    return sources


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a while: reading a large folder makes millions of
    objects and no cycles, and every full collection would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_dataset(data_dir: Path = DEFAULT_DATA_DIR, cache: Path | None = None) -> Dataset:
    """Read and validate every data file; raise ValidationError listing all problems.

    With ``cache`` (a folder, see :mod:`loader.parse_cache`), a file whose bytes were
    parsed before is not parsed again; its records are validated all the same."""
    with collector_paused():
        return _load_dataset(Path(data_dir), ParseCache(cache) if cache else None)


def _load_dataset(data_dir: Path, cache: ParseCache | None) -> Dataset:
    problems: list[str] = []
    if not data_dir.is_dir():
        raise ValidationError([f"{data_dir}: no such data folder"])
    sources = _sources(data_dir, problems, cache)
    entity_items: list[Located] = []
    for path in data_files(data_dir / "entities"):
        entity_items += _read_file(path, "entities", Entity, problems, cache)
    fact_items: list[Located] = []
    for path in data_files(data_dir / "facts"):
        fact_items += _read_file(path, "facts", Fact, problems, cache)
    entities = _index(entity_items, "entity", problems)
    facts = _index(fact_items, "fact", problems)
    # an entity left unused because its fact was rejected is not a problem of its own
    _check_links(entities, facts, sources, problems, orphans=not problems)
    _check_names(entities, problems)
    if problems:
        raise ValidationError(problems)
    if cache is None:
        return Dataset(sources, entities, facts)
    files = DataFiles(data_dir, tuple(cache.read), cache.root)
    return Dataset(sources, entities, facts, files)
