"""The source registry: register a text, list the registered ones, show and search sentences.

``data/sources.yaml`` is edited by hand too, so a new entry is appended as YAML text: the
file's comments and layout stay as they were. The text itself is copied into the sources
folder; a different file of the same name is never overwritten, and a registered file whose
content changed is refused (its locators would no longer resolve).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from loader.dates import check_partial_date
from loader.errors import KazgraphError
from loader.facts import DEFAULT_DATA_DIR, Dataset, Fact, Source, load_dataset
from loader.names import searchable
from loader.sources import Sentence, file_hash, segment, sentences
from loader.verify import DEFAULT_SOURCES_DIR
from loader.yaml_lines import LineDict, YamlProblem, load_yaml

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
REF = re.compile(r"^(?P<id>[^#\s]+)(?:#p(?P<para>\d+)(?:\.s(?P<sent>\d+))?)?$")
REGISTRY_HEADER = (
    "# The source registry: every fact cites one of these by id.\n"
    "# sha256 is the SHA-256 of the text file; `kazgraph verify` checks it.\n"
    "sources:\n"
)


class RegistryError(KazgraphError):
    """A source could not be registered, or a reference names nothing registered."""


@dataclass(frozen=True)
class RegistryEntry:
    """One entry of ``sources.yaml`` as written, ``subject`` included (the entity a text may
    leave implicit, such as KAZ)."""

    id: str
    file: str
    author: str
    title: str
    date: str
    sha256: str
    date_note: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class SourceRow:
    """One line of ``list_sources``: a source, its size, and how well its citations hold."""

    id: str
    date: str
    author: str
    sentences: int | None  # None when the text file is missing
    facts: int
    citations: int
    verified: int

    @property
    def verified_share(self) -> float | None:
        """Share of the citations of this source whose locator and hash resolve."""
        return self.verified / self.citations if self.citations else None


def locator(sentence: Sentence) -> str:
    """``source#pN.sM`` for one sentence."""
    return f"{sentence.source}#p{sentence.para}.s{sentence.sent}"


# --- reading the registry --------------------------------------------------------------------
def registry_path(data_dir: Path) -> Path:
    return Path(data_dir) / "sources.yaml"


def read_registry(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, RegistryEntry]:
    """Every entry of ``sources.yaml`` by id, read as written (``subject`` included)."""
    path = registry_path(data_dir)
    if not path.is_file():
        return {}
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, YamlProblem) as exc:
        raise RegistryError(f"{path}: malformed YAML ({exc})") from exc
    if doc is None:
        return {}
    if not isinstance(doc, LineDict) or not isinstance(doc.get("sources") or [], list):
        raise RegistryError(f"{path}: expected a top-level 'sources:' list")
    entries: dict[str, RegistryEntry] = {}
    fields = RegistryEntry.__dataclass_fields__
    for row in doc.get("sources") or []:
        if not isinstance(row, dict) or "id" not in row:
            raise RegistryError(f"{path}: every source needs an id")
        missing = [k for k in ("file", "author", "title", "date", "sha256") if k not in row]
        if missing:
            raise RegistryError(f"{path}: source '{row['id']}' lacks {', '.join(missing)}")
        known = {k: str(v) for k, v in row.items() if k in fields and v is not None}
        entries[str(row["id"])] = RegistryEntry(**known)
    return entries


def subject_of(source_id: str, data_dir: Path = DEFAULT_DATA_DIR) -> str | None:
    """The entity a source leaves implicit (its registry ``subject``), if any."""
    return _entry(source_id, read_registry(data_dir)).subject


def _entry(source_id: str, registry: dict[str, RegistryEntry]) -> RegistryEntry:
    if source_id not in registry:
        known = ", ".join(sorted(registry)) or "none"
        raise RegistryError(f"unknown source '{source_id}' (registered: {known})")
    return registry[source_id]


# --- adding a source -------------------------------------------------------------------------
def _yaml_text(value: str) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _entry_text(fields: dict[str, str]) -> str:
    lines = [f"  - id: {fields['id']}"]
    lines += [f"    {key}: {_yaml_text(value)}" for key, value in fields.items() if key != "id"]
    return "\n".join(lines) + "\n"


def _check_new(
    source_id: str, file: Path, sha: str, registry: dict[str, RegistryEntry], date: str
) -> None:
    if not SOURCE_ID.match(source_id):
        raise RegistryError(
            f"source id '{source_id}' is not a slug: use lower-case letters, digits and "
            "hyphens, such as sanchez-2020"
        )
    try:
        check_partial_date(date)
    except ValueError as exc:
        raise RegistryError(f"source '{source_id}': {exc}") from None
    if source_id in registry:
        raise RegistryError(
            f"source id '{source_id}' is already registered (file {registry[source_id].file}); "
            "choose another id"
        )
    for entry in registry.values():
        if entry.file == file.name and entry.sha256 != sha:
            raise RegistryError(
                f"{file.name} is already registered as '{entry.id}' with SHA-256 "
                f"{entry.sha256[:12]}…, but this file's content differs ({sha[:12]}…); its "
                "locators would no longer resolve: register the new text under a new file name"
            )
        if entry.sha256 == sha:
            raise RegistryError(f"this text is already registered as '{entry.id}' ({entry.file})")


def add_source(
    file: Path,
    id: str,
    author: str,
    title: str,
    date: str,
    subject: str | None = None,
    data_dir: Path = DEFAULT_DATA_DIR,
    sources_dir: Path = DEFAULT_SOURCES_DIR,
    date_note: str | None = None,
) -> Source:
    """Register a text: check it, copy it into ``sources_dir``, append it to sources.yaml."""
    file, data_dir, sources_dir = Path(file), Path(data_dir), Path(sources_dir)
    if not file.is_file():
        raise RegistryError(f"{file}: no such file")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from exc
    if not segment(text):
        raise RegistryError(f"{file}: holds no text")
    sha = file_hash(file)
    registry = read_registry(data_dir)
    _check_new(id, file, sha, registry, date)
    fields = {"id": id, "file": file.name, "author": author, "title": title, "date": date}
    if date_note:
        fields["date_note"] = date_note
    if subject:
        fields["subject"] = subject
    fields["sha256"] = sha
    record = _validated(fields)
    target = sources_dir / file.name
    copied = False
    if target.exists():
        if file_hash(target) != sha:
            raise RegistryError(
                f"{target} exists with different content; it is never overwritten: rename your file"
            )
    else:
        sources_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        copied = True
    try:
        _append(registry_path(data_dir), fields)
    except RegistryError:
        if copied:
            target.unlink()
        raise
    return record


def _validated(fields: dict[str, str]) -> Source:
    """The entry as the loader's model reads it (``subject`` once the model knows it)."""
    given: dict[str, Any] = dict(fields)
    if "subject" not in Source.model_fields:
        given.pop("subject", None)
    return Source.model_validate(given)


def _append(path: Path, fields: dict[str, str]) -> None:
    """Append the entry as text, then read the file back; restore it if that fails."""
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    head = before
    if not re.search(r"^sources:", head, re.MULTILINE):
        head = (head.rstrip("\n") + "\n" if head.strip() else "") + REGISTRY_HEADER
    elif re.search(r"^sources:\s*\[\s*\]\s*$", head, re.MULTILINE):
        head = re.sub(r"^sources:\s*\[\s*\]\s*$", "sources:", head, flags=re.MULTILINE)
    if head and not head.endswith("\n"):
        head += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + _entry_text(fields), encoding="utf-8")
    try:
        entry = read_registry(path.parent).get(fields["id"])
    except RegistryError:
        entry = None
    if entry is None or entry.sha256 != fields["sha256"]:
        path.write_text(before, encoding="utf-8")
        raise RegistryError(
            f"{path}: could not append '{fields['id']}' as YAML text (the file's layout is "
            "unusual); add the entry by hand"
        )


# --- listing, showing and searching ----------------------------------------------------------
def _dataset(dataset_or_data_dir: Dataset | Path) -> Dataset:
    if isinstance(dataset_or_data_dir, Dataset):
        return dataset_or_data_dir
    return load_dataset(Path(dataset_or_data_dir))


def list_sources(
    dataset_or_data_dir: Dataset | Path = DEFAULT_DATA_DIR, sources_dir: Path = DEFAULT_SOURCES_DIR
) -> list[SourceRow]:
    """Each registered source: date, author, sentences, facts citing it and how many of its
    citations resolve (locator exists, hash matches)."""
    sources_dir = Path(sources_dir)
    dataset = _dataset(dataset_or_data_dir)
    rows = []
    for source in dataset.sources.values():
        path = sources_dir / source.file
        hashes = (
            {(s.para, s.sent): s.sha256 for s in sentences(path, source.id)}
            if path.is_file()
            else None
        )
        facts = citations = verified = 0
        for item in dataset.facts.values():
            fact: Fact = item.record
            mine = [c for c in fact.cites if c.source == source.id]
            facts += bool(mine)
            citations += len(mine)
            verified += sum(
                1 for c in mine if hashes is not None and hashes.get((c.para, c.sent)) == c.sha256
            )
        count = len(hashes) if hashes is not None else None
        rows.append(
            SourceRow(source.id, source.date, source.author, count, facts, citations, verified)
        )
    return rows


def source_sentences(
    source_id: str, data_dir: Path = DEFAULT_DATA_DIR, sources_dir: Path = DEFAULT_SOURCES_DIR
) -> tuple[Sentence, ...]:
    """Every sentence of one registered source."""
    sources_dir = Path(sources_dir)
    entry = _entry(source_id, read_registry(data_dir))
    path = sources_dir / entry.file
    if not path.is_file():
        raise RegistryError(f"source '{source_id}': {path} not found")
    return sentences(path, source_id)


def show_source(
    ref: str, data_dir: Path = DEFAULT_DATA_DIR, sources_dir: Path = DEFAULT_SOURCES_DIR
) -> list[Sentence]:
    """The sentences ``ref`` names: ``ID`` (all), ``ID#p43`` (a paragraph), ``ID#p43.s6``."""
    match = REF.match(ref.strip())
    if not match:
        raise RegistryError(f"'{ref}' is not a reference like kassenova-2022#p43.s6")
    source_id = match["id"]
    found = list(source_sentences(source_id, data_dir, sources_dir))
    if match["para"] is None:
        return found
    para = int(match["para"])
    paragraphs = max(s.para for s in found)
    in_para = [s for s in found if s.para == para]
    if not in_para:
        raise RegistryError(
            f"{source_id} has {paragraphs} paragraphs (p1 to p{paragraphs}); there is no p{para}"
        )
    if match["sent"] is None:
        return in_para
    sent = int(match["sent"])
    chosen = [s for s in in_para if s.sent == sent]
    if not chosen:
        raise RegistryError(
            f"{source_id}#p{para} has {len(in_para)} sentences (s1 to s{len(in_para)}); "
            f"there is no s{sent}"
        )
    return chosen


def _word_pattern(word: str, anywhere: bool) -> re.Pattern[str]:
    start = "" if anywhere else r"(?<= )"
    return re.compile(start + re.escape(word))


def search_sources(
    words: str,
    data_dir: Path = DEFAULT_DATA_DIR,
    sources_dir: Path = DEFAULT_SOURCES_DIR,
    source_id: str | None = None,
    anywhere: bool = False,
) -> list[Sentence]:
    """Sentences containing every one of ``words``, each matched at the start of a word
    (``sanction`` finds "sanctions", ``Khorg`` finds "Khorgos"), or inside a word with
    ``anywhere``. Case, accents and punctuation are ignored (``loader.names.searchable``)."""
    wanted = [_word_pattern(w, anywhere) for w in searchable(words).split()]
    if not wanted:
        raise RegistryError("give at least one word to search for")
    registry = read_registry(data_dir)
    ids = [source_id] if source_id else sorted(registry)
    found: list[Sentence] = []
    for sid in ids:
        for s in source_sentences(sid, data_dir, sources_dir):
            text = searchable(s.text)
            if all(p.search(text) for p in wanted):
                found.append(s)
    return found
