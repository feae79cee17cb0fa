"""Small curated datasets written to a temporary folder, for validation and load tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from loader.errors import ValidationError
from loader.facts import DEFAULT_DATA_DIR, load_dataset

ENTITIES = """
entities:
  - {id: KAZ, label: Country, name: Kazakhstan, aliases: [Astana, Nur-Sultan]}
  - {id: CHN, label: Country, name: China, aliases: [Beijing]}
  - {id: khorgos-gateway, label: Infrastructure, kind: dry_port, name: Khorgos Gateway}
"""

FACTS = """
facts:
  - id: t-trade-chn-2018
    type: TRADES_WITH
    from: KAZ
    to: CHN
    year: "2018"
    figure: actual
    value_usd: 11000000000
    cites:
      - source: sanchez-2020
        para: 7
        sent: 1
        sha256: 6383b85b1bc4bb1768b9b1e2af787460916d94c8c04c07bdcf9ebeb8c44cd0f7
  - id: t-khorgos-in-kaz
    type: LOCATED_IN
    from: khorgos-gateway
    to: KAZ
    background: Khorgos lies on the Kazakh side of the border with China.
"""


def write_dataset(root: Path, entities: str = ENTITIES, facts: str = FACTS) -> Path:
    """A data folder with the real source registry and the given entity and fact files."""
    (root / "entities").mkdir(parents=True, exist_ok=True)
    (root / "facts").mkdir(exist_ok=True)
    shutil.copy(DEFAULT_DATA_DIR / "sources.yaml", root / "sources.yaml")
    (root / "entities" / "test.yaml").write_text(textwrap.dedent(entities), encoding="utf-8")
    (root / "facts" / "test.yaml").write_text(textwrap.dedent(facts), encoding="utf-8")
    return root


def problems_for(root: Path, entities: str = ENTITIES, facts: str = FACTS) -> list[str]:
    """The problems load_dataset reports for a dataset written under ``root``."""
    with pytest.raises(ValidationError) as caught:
        load_dataset(write_dataset(root, entities, facts))
    return caught.value.problems
