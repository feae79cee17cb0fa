"""Parsed data files kept between loads: a file that has not changed is not parsed again.

An entry holds what the YAML reader made of one data file (its records, their lines, and
whether any text may hold a control character). It is filed under the file's path, and
used only for the exact bytes it was read from (their SHA-256) and the reader that read
them: the source of kazgraph's YAML reader, PyYAML's version and libyaml's build. Saved
query files are kept the same way, in ``queries/`` (:mod:`loader.saved_queries.files`).
Records from the cache are validated again on every load, exactly as records just parsed:
the cache saves the parsing and nothing else. An entry that is stale, truncated, corrupt
or unreadable is ignored, and replaced once the file has been read again. Only files that
read without a problem are kept, so every message about a file comes from reading it.

Where: the folder in ``KAZGRAPH_CACHE`` (``off`` for no cache), else
``$XDG_CACHE_HOME/kazgraph``, else ``~/.cache/kazgraph``; entries go in ``parsed/``, one
per data file, ``queries/``, one per saved query file, and ``loads/``, one per data
folder (:mod:`loader.write` keeps there the hash of the rows the folder's files made).
Deleting the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

CACHE_ENV = "KAZGRAPH_CACHE"
FORMAT = 2  # of an entry; part of the reader's fingerprint
LOADER = Path(__file__).parent
DATA_READER = ("yaml_lines",)  # the modules that turn a data file's text into records


def cache_folder() -> Path | None:
    """The cache folder (``KAZGRAPH_CACHE``, else the XDG cache folder), or None when
    ``KAZGRAPH_CACHE`` is ``off``."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "kazgraph"


@functools.cache
def reader_fingerprint(modules: tuple[str, ...] = DATA_READER) -> str:
    """What a parsed file depends on besides its bytes: the entry format, PyYAML and libyaml
    (their files), and the source of the kazgraph ``modules`` (paths under ``loader/``, no
    ``.py``) that read it. Nothing is imported, so a cache hit costs no YAML reader."""
    digest = hashlib.sha256(f"format {FORMAT}\0".encode())
    spec = importlib.util.find_spec("yaml")
    if spec and spec.origin:
        init = Path(spec.origin)
        digest.update(init.read_bytes())  # holds PyYAML's __version__
        for path in sorted(init.parent.glob("_yaml*")):  # libyaml, built in
            digest.update(f"{path.name} {path.stat().st_size}\0".encode())
    for module in modules:
        digest.update((LOADER / f"{module}.py").read_bytes())
    return digest.hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ParseCache:
    """Entries under ``folder/part`` (``parsed``: one per data file), each keyed by a path
    and a kind, and valid for one digest of what they were made from."""

    def __init__(
        self, folder: Path, part: str = "parsed", reader: tuple[str, ...] = DATA_READER
    ) -> None:
        self.root = Path(folder)
        self.folder = self.root / part
        self.reader = reader
        self.read: list[tuple[str, str]] = []  # (path, SHA-256) of each file looked up

    def _entry(self, path: Path, kind: str) -> Path:
        name = hashlib.sha256(f"{Path(path).resolve()}\0{kind}".encode()).hexdigest()[:40]
        return self.folder / f"{name}.json"

    def get(self, path: Path, digest: str, kind: str) -> Any:
        """What was kept for the file at ``path`` with these bytes, or None."""
        try:
            raw = self._entry(path, kind).read_bytes()
            head, _, body = raw.partition(b"\n")
            header = json.loads(head)
            if header != self._header(digest, kind, body):
                return None
            return json.loads(body)
        except (OSError, ValueError):  # missing, unreadable, truncated or corrupt
            return None

    def put(self, path: Path, digest: str, kind: str, value: Any) -> None:
        """Keep ``value`` (JSON data) for the file at ``path`` with these bytes; a cache
        that cannot be written is left alone."""
        try:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):  # not JSON text after all: not kept
            return
        head = json.dumps(self._header(digest, kind, body), sort_keys=True).encode()
        target = self._entry(path, kind)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.stem}.{os.getpid()}.tmp")  # one per writer
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(head + b"\n" + body)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return

    def _header(self, digest: str, kind: str, body: bytes) -> dict[str, str]:
        return {
            "reader": reader_fingerprint(self.reader),
            "file_sha256": digest,
            "kind": kind,
            "body_sha256": hashlib.sha256(body).hexdigest(),
        }
