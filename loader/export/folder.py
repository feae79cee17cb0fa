"""A folder export built beside its target and moved into place, never deleting a file that
an export did not write.

The export is written into a fresh temporary folder next to the target. An absent or empty
target is then replaced by a single rename. A folder that holds an earlier export is replaced
only with ``force``: the files that export listed in its manifest (:data:`MANIFEST`) are
replaced or removed, every other file is left where it is, and a file of the new export's
name that no export wrote is refused.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from loader.errors import ExportError
from loader.output import OutputExists, usual_mode

MANIFEST = ".kazgraph-export.json"


def written_by_export(folder: Path) -> set[str]:
    """The file names an earlier export wrote into ``folder`` (its manifest), else none."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, list):
        return set()
    return {f for f in files if isinstance(f, str) and f and "/" not in f and f != MANIFEST}


def _contents(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def write_folder_atomically(
    path: Path, fmt: str, write: Callable[[Path], list[Path]], force: bool = False
) -> list[Path]:
    """Call ``write`` with a fresh folder beside ``path`` and move what it wrote to ``path``.

    Returns the files at their final places. Refuses a non-empty ``path`` unless ``force``;
    with ``force`` replaces only the files an earlier export listed in its manifest.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputExists(f"{path} is a file; a {fmt} export writes a folder")
    present = _contents(path) if path.is_dir() else set()
    if present and not force:
        raise OutputExists(
            f"{path} is a folder that is not empty; pass --force to replace the files "
            "an earlier export wrote there (other files are kept)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
    try:
        names = [f.name for f in write(temp)]
        (temp / MANIFEST).write_text(
            json.dumps({"format": fmt, "files": names}, indent=1) + "\n", encoding="utf-8"
        )
        os.chmod(temp, usual_mode(folder=True))
        ours = written_by_export(path) if present else set()
        if foreign := sorted((set(names) & present) - ours):
            raise ExportError(
                f"{path} holds {', '.join(foreign)}, which no kazgraph export wrote there; "
                "move it away or export to another folder"
            )
        if not present:
            if path.is_dir():
                path.rmdir()
            os.replace(temp, path)
        elif present <= ours | {MANIFEST}:
            _swap(temp, path)  # only an earlier export's files: replace it whole
        else:
            _merge(temp, path, names, ours)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return [path / name for name in names]


def _swap(new: Path, path: Path) -> None:
    """Put ``new`` at ``path`` and remove the earlier export there, which holds only files an
    export wrote."""
    old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
    os.replace(path, old / "export")
    try:
        os.replace(new, path)
    except OSError:
        os.replace(old / "export", path)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _merge(new: Path, path: Path, names: list[str], ours: set[str]) -> None:
    """Replace the earlier export's files in ``path`` one by one, each atomically; remove
    those the new export no longer writes; keep every other file; the manifest last."""
    for name in names:
        os.replace(new / name, path / name)
    for stale in sorted(ours - set(names)):
        (path / stale).unlink(missing_ok=True)
    os.replace(new / MANIFEST, path / MANIFEST)
