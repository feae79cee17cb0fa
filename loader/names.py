"""Name normalisation: the one way text is folded for hashing, matching and look-up."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable


def normalise(text: str) -> str:
    """Unicode NFKC, whitespace folded to single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def searchable(text: str) -> str:
    """Lower-case words and numbers only, for matching names and figures in a sentence."""
    folded = re.sub(r"[’‘`´]", "'", normalise(text))  # Iran’s -> iran s, not irans
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    folded = re.sub(r"(?<=\d),(?=\d{3})", "", folded.lower())  # 2,000 -> 2000
    folded = re.sub(r"\.(?!\d)|(?<!\d)\.", " ", folded)  # keep decimal points only
    return " " + " ".join(re.sub(r"[^a-z0-9.]+", " ", folded).split()) + " "


@functools.lru_cache(maxsize=1 << 17)  # validation and the load's rows ask for each name
def lookup_key(name: str) -> str:
    """The normalised form of a name under which ``n.lookup`` finds an entity."""
    return searchable(name).strip()


def lookup_keys(names: Iterable[str]) -> list[str]:
    """Normalised forms of an entity's names, for look-up by any alias."""
    return sorted({key for key in map(lookup_key, names) if key})


def closest(name: str, choices: Iterable[str], limit: int = 5, cutoff: float = 75.0) -> list[str]:
    """The choices that look most like ``name`` (typos, missing letters, word order), best
    first; compared in :func:`lookup_key` form. rapidfuzz is imported here, on the first
    miss, because most commands never need it (a start-up cost of about 15 ms)."""
    from rapidfuzz import fuzz, process

    keyed = {choice: lookup_key(choice) for choice in choices}
    found = process.extract(
        lookup_key(name), keyed, scorer=fuzz.WRatio, limit=limit, score_cutoff=cutoff
    )
    return [choice for _, _, choice in found]
